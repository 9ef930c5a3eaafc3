package tck

import (
	"bytes"
	"encoding/binary"
	"testing"
)

func TestMatch(t *testing.T) {
	got := map[string]any{"s": "hello", "n": 3.0, "l": []any{1.0, "a"}, "m": map[string]any{"k": nil}, "z": nil}
	tests := []struct {
		name  string
		want  any
		match bool
	}{
		{"subset of keys", M{"s": "hello"}, true},
		{"int against float", M{"n": 3}, true},
		{"wrong number", M{"n": 4}, false},
		{"nested", M{"m": M{"k": nil}}, true},
		{"null is present", M{"z": nil}, true},
		{"missing key", M{"x": 1}, false},
		{"absent", M{"x": Absent}, true},
		{"absent but present", M{"s": Absent}, false},
		{"any", M{"l": Any}, true},
		{"any needs the key", M{"x": Any}, false},
		{"contains", M{"s": "~ell"}, true},
		{"contains not", M{"s": "~bye"}, false},
		{"list", M{"l": L{1, "a"}}, true},
		{"list longer", M{"l": L{1, "a", 2}}, false},
		{"list order", M{"l": L{"a", 1}}, false},
		{"map against list", M{"l": M{}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := Match(tc.want, got); (d == "") != tc.match {
				t.Fatalf("Match = %q, want match %v", d, tc.match)
			}
		})
	}
}

func TestExpand(t *testing.T) {
	vars := map[string]any{"id": "abc", "n": 3.0}
	got := expand(M{"a": "${id}", "b": L{"x-${id}-${n}", "${n}"}, "c": 1}, vars)
	want := M{"a": "abc", "b": L{"x-abc-3", 3.0}, "c": 1}
	if d := Match(want, got); d != "" {
		t.Fatal(d)
	}
}

func TestLookup(t *testing.T) {
	v := map[string]any{"reports": []any{map[string]any{"id": "x"}}}
	if got, ok := lookup(v, "reports.0.id"); !ok || got != "x" {
		t.Fatalf("lookup = %v, %v", got, ok)
	}
	for _, p := range []string{"reports.1.id", "reports.x", "nope", "reports.0.id.more"} {
		if _, ok := lookup(v, p); ok {
			t.Errorf("lookup(%q) found something", p)
		}
	}
}

// WithProgram appends one well-formed custom section.
func TestWithProgram(t *testing.T) {
	module := []byte("\x00asm\x01\x00\x00\x00")
	program := bytes.Repeat([]byte("p"), 200) // a size that needs two LEB128 bytes
	got := WithProgram(module, program)
	rest, ok := bytes.CutPrefix(got, module)
	if !ok || rest[0] != 0 {
		t.Fatalf("no custom section after the module: %q", got)
	}
	size, n := binary.Uvarint(rest[1:])
	body := rest[1+n:]
	if int(size) != len(body) {
		t.Fatalf("section size %d, body %d bytes", size, len(body))
	}
	nameLen, n := binary.Uvarint(body)
	if name := string(body[n : n+int(nameLen)]); name != "walker.program" {
		t.Fatalf("section name %q", name)
	}
	if !bytes.Equal(body[n+int(nameLen):], program) {
		t.Fatal("program bytes differ")
	}
}
