package bundle

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	files := []File{{"app.jac", []byte("walker w {}\n")}, {"lib/util.jac", nil}, {"", []byte("x")}}
	got, err := Decode(Encode(files))
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if got[i].Name != files[i].Name || !bytes.Equal(got[i].Src, files[i].Src) {
			t.Fatalf("file %d: got %+v, want %+v", i, got[i], files[i])
		}
	}
	if len(got) != len(files) {
		t.Fatalf("%d files, want %d", len(got), len(files))
	}
}

func TestDecode_Bad(t *testing.T) {
	for _, in := range []string{"", "jacprog", "jacprog2\x01a\x00", "jacprog1", "jacprog1\x05ab",
		"jacprog1\x01a", "jacprog1\x01a\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", "jacprog1\x01a\x80"} {
		if _, err := Decode([]byte(in)); !errors.Is(err, ErrFormat) {
			t.Errorf("Decode(%q) = %v, want ErrFormat", in, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(Encode([]File{{"app.jac", []byte("walker w {}")}}))
	f.Add([]byte("jacprog1\x01a\x80"))
	f.Fuzz(func(t *testing.T, b []byte) {
		files, err := Decode(b)
		if err != nil {
			return
		}
		again, err := Decode(Encode(files))
		if err != nil || !reflect.DeepEqual(files, again) {
			t.Fatalf("re-encoding %q: %v", b, err)
		}
	})
}
