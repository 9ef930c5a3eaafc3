package tiered

import (
	"bytes"
	"reflect"
	"sort"
	"testing"
)

func TestOps_Roundtrip(t *testing.T) {
	tests := []struct {
		name string
		ops  []op
	}{
		{"none", nil},
		{"put and delete", []op{{bucket: "a/b", key: []byte("k"), val: []byte("v")}, {bucket: "/seq", key: []byte{0, 255}, del: true}}},
		{"empty value", []op{{bucket: "a/b", key: []byte("k"), val: []byte{}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeOps(appendOps(nil, tc.ops))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.ops) || len(got) > 0 && !reflect.DeepEqual(got, tc.ops) {
				t.Fatalf("got %+v, want %+v", got, tc.ops)
			}
		})
	}
}

func TestDecode_Errors(t *testing.T) {
	good := appendOps(nil, []op{{bucket: "a/b", key: []byte("k"), val: []byte("v")}})
	tests := []struct {
		name string
		fn   func() error
	}{
		{"ops truncated", func() error { _, err := decodeOps(good[:len(good)-1]); return err }},
		{"ops trailing bytes", func() error { _, err := decodeOps(append(good, 0)); return err }},
		{"ops bad flag", func() error { _, err := decodeOps([]byte{1, 0, 0, 7}); return err }},
		{"ops huge count", func() error { _, err := decodeOps([]byte{0xff, 0xff, 0x03}); return err }},
		{"keys truncated", func() error { return decodeKeys([]byte{3, 'a'}, func(string, []byte) {}) }},
		{"l2 short", func() error { _, _, _, err := decodeL2([]byte("00")); return err }},
		{"l2 bad state", func() error { _, _, _, err := decodeL2([]byte("00000000000000019v")); return err }},
		{"l2 bad seq", func() error { _, _, _, err := decodeL2([]byte("zz000000000000011v")); return err }},
		{"document id odd", func() error { _, err := hexKey("abc"); return err }},
		{"document id upper case", func() error { _, err := hexKey("AB"); return err }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.fn(); err == nil {
				t.Fatal("got nil error")
			}
		})
	}
}

// TestDocID_Order checks that document ids sort like their keys and that
// prefixRange selects exactly the keys with the prefix.
func TestDocID_Order(t *testing.T) {
	keys := [][]byte{{}, {0}, {0, 0}, {0, 255}, {1}, {15}, {16}, {255}, {255, 0}, []byte("ab"), []byte("abc"), []byte("ac")}
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = docID(k)
	}
	sort.Slice(keys, func(i, j int) bool { return bytes.Compare(keys[i], keys[j]) < 0 })
	sort.Strings(ids)
	for i := range keys {
		if ids[i] != docID(keys[i]) {
			t.Fatalf("order differs at %d: %q vs %x", i, ids[i], keys[i])
		}
	}
	for _, p := range keys {
		lo, hi := prefixRange(p)
		for _, k := range keys {
			in := docID(k) >= lo && docID(k) < hi
			if in != bytes.HasPrefix(k, p) {
				t.Fatalf("prefix %x, key %x: in range %v", p, k, in)
			}
		}
	}
}

func FuzzDecodeOps(f *testing.F) {
	f.Add(appendOps(nil, []op{{bucket: "a/b", key: []byte("k"), val: []byte("v")}, {bucket: "x/y", key: []byte("d"), del: true}}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		ops, err := decodeOps(b)
		if err != nil {
			return
		}
		if again := appendOps(nil, ops); !bytes.Equal(again, b) {
			t.Fatalf("re-encoding differs: %x vs %x", again, b)
		}
	})
}

func FuzzDecodeKeys(f *testing.F) {
	f.Add(appendKeys(nil, []op{{bucket: "a/b", key: []byte("k")}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		var ops []op
		if decodeKeys(b, func(bucket string, key []byte) { ops = append(ops, op{bucket: bucket, key: key}) }) != nil {
			return
		}
		if again := appendKeys(nil, ops); !bytes.Equal(again, b) {
			t.Fatalf("re-encoding differs: %x vs %x", again, b)
		}
	})
}

func FuzzDecodeL2(f *testing.F) {
	f.Add(encodeL2(42, l2Present, []byte("v")))
	f.Fuzz(func(t *testing.T, b []byte) {
		seq, state, val, err := decodeL2(b)
		if err != nil {
			return
		}
		if again := encodeL2(seq, state, val); !bytes.EqualFold(again, b) {
			t.Fatalf("re-encoding differs: %q vs %q", again, b)
		}
	})
}
