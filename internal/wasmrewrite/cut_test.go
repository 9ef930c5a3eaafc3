package wasmrewrite

import (
	"bytes"
	"errors"
	"slices"
	"testing"
)

func TestCutCustom(t *testing.T) {
	hdr := []byte("\x00asm\x01\x00\x00\x00")
	typ := section(1, vec())
	prog := func(s string) []byte { return section(0, slices.Concat(name("p"), []byte(s))) }
	other := section(0, slices.Concat(name("q"), []byte("keep")))
	// A name length written in two bytes (non-minimal LEB128) is still read.
	padded := section(0, slices.Concat([]byte{0x81, 0x00, 'p'}, []byte("xy")))
	tests := []struct {
		name     string
		in, want []byte
		contents []string
	}{
		{"none", slices.Concat(hdr, typ, other), slices.Concat(hdr, typ, other), nil},
		{"one", slices.Concat(hdr, prog("abc"), typ, other), slices.Concat(hdr, typ, other), []string{"abc"}},
		{"two", slices.Concat(hdr, typ, prog("a"), other, prog("")), slices.Concat(hdr, typ, other), []string{"a", ""}},
		{"padded name", slices.Concat(hdr, padded, typ), slices.Concat(hdr, typ), []string{"xy"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rest, contents, err := CutCustom(tc.in, "p")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(rest, tc.want) {
				t.Errorf("rest = % x, want % x", rest, tc.want)
			}
			var got []string
			for _, c := range contents {
				got = append(got, string(c))
			}
			if !slices.Equal(got, tc.contents) {
				t.Errorf("contents = %q, want %q", got, tc.contents)
			}
		})
	}
}

// TestCutCustom_Lying: a section whose size runs past the end of the module
// (a 4 GiB program in a module of a few bytes) is an error, not an
// allocation.
func TestCutCustom_Lying(t *testing.T) {
	in := slices.Concat([]byte("\x00asm\x01\x00\x00\x00"), []byte{0, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 'p'})
	if _, _, err := CutCustom(in, "p"); !errors.Is(err, ErrTruncated) {
		t.Fatalf("err = %v, want ErrTruncated", err)
	}
}
