package sdk

import (
	"bytes"
	"testing"
)

// TestArgs_Encoding checks the argument list of the worked example of
// ABI.md "Storage" byte for byte.
func TestArgs_Encoding(t *testing.T) {
	got := newArgs(2).str("notes/a.txt").bytes([]byte("hi")).b
	want := []byte("\x06\x02\x00\x00\x00" + "\x05\x0b\x00\x00\x00notes/a.txt" + "\x05\x02\x00\x00\x00hi")
	if !bytes.Equal(got, want) || len(got) != 28 {
		t.Fatalf("args = %q (%d bytes), want %q", got, len(got), want)
	}
	kv := KVStore("shop", MongoDB).args(1).str("orders").b
	want = []byte("\x06\x04\x00\x00\x00" + "\x05\x07\x00\x00\x00mongodb" + "\x05\x04\x00\x00\x00shop" + "\x00" + "\x05\x06\x00\x00\x00orders")
	if !bytes.Equal(kv, want) {
		t.Fatalf("kv args = %q, want %q", kv, want)
	}
}
