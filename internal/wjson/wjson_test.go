package wjson

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
)

func transcode(t *testing.T, v any, ref RefFunc) (string, error) {
	t.Helper()
	b, err := abi.AppendValue(nil, v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Append(nil, abi.NewReader(b), ref)
	return string(out), err
}

func TestAppend(t *testing.T) {
	ref := func(dst []byte, r abi.Ref) ([]byte, error) {
		return append(dst, `{"ref":`+string(rune('0'+r.Handle))+`}`...), nil
	}
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"null", nil, `null`},
		{"bools", []any{true, false}, `[true,false]`},
		{"int", int64(-42), `-42`},
		{"float", 1.5, `1.5`},
		{"integral float", 3.0, `3`},
		{"tiny float", 1e-9, `1e-09`},
		{"nan", math.NaN(), `null`},
		{"escapes", "a\"b\\c\n\t\x01", `"a\"b\\c\n\t\u0001"`},
		{"unicode", "héllo ✓", `"héllo ✓"`},
		{"invalid utf8", "a\xffb", `"a\ufffdb"`},
		{"map sorted", map[string]any{"b": 1, "a": []any{}}, `{"a":[],"b":1}`},
		{"node ref", []any{abi.Ref{Tag: abi.TagNode, Handle: 3}}, `[{"ref":3}]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := transcode(t, tc.in, ref)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
			if !json.Valid([]byte(got)) {
				t.Fatalf("invalid JSON %s", got)
			}
		})
	}
}

func TestAppend_Errors(t *testing.T) {
	if _, err := transcode(t, abi.Ref{Tag: abi.TagEdge, Handle: 1}, nil); !errors.Is(err, ErrRef) {
		t.Fatalf("ref without RefFunc: got %v", err)
	}
	for _, in := range [][]byte{{}, {99}, {abi.TagString, 9, 0, 0, 0}, {abi.TagList, 0xff, 0xff, 0xff, 0xff}} {
		if _, err := Append(nil, abi.NewReader(in), nil); err == nil {
			t.Fatalf("%v: want an error", in)
		}
	}
}

func FuzzAppend(f *testing.F) {
	for _, v := range []any{map[string]any{"k": []any{1.5, "s\x00"}}, int64(7), "\xff"} {
		b, _ := abi.AppendValue(nil, v)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := Append(nil, abi.NewReader(b), nil)
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON %q from %x", out, b)
		}
	})
}
