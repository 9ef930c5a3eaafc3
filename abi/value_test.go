package abi

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"testing"
)

func TestValue_RoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want any
	}{
		{"null", nil, nil},
		{"true", true, true},
		{"false", false, false},
		{"int", 42, int64(42)},
		{"negative int64", int64(math.MinInt64), int64(math.MinInt64)},
		{"float", 3.5, 3.5},
		{"empty string", "", ""},
		{"utf8 string", "héllo ✓", "héllo ✓"},
		{"list", []any{1, "a", nil}, []any{int64(1), "a", nil}},
		{"string list", []string{"a", "b"}, []any{"a", "b"}},
		{"map", map[string]any{"b": 1.5, "a": []any{}}, map[string]any{"b": 1.5, "a": []any{}}},
		{"node ref", Ref{TagNode, 7}, Ref{TagNode, 7}},
		{"nested", map[string]any{"x": map[string]any{"y": []any{true}}}, map[string]any{"x": map[string]any{"y": []any{true}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := AppendValue(nil, tc.in)
			if err != nil {
				t.Fatalf("AppendValue: %v", err)
			}
			got, err := DecodeValue(b)
			if err != nil {
				t.Fatalf("DecodeValue: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %#v, want %#v", got, tc.want)
			}
			skipped := NewReader(b).Skip()
			if len(skipped) != len(b) {
				t.Fatalf("Skip consumed %d of %d bytes", len(skipped), len(b))
			}
		})
	}
}

func TestValue_MapEncodingIsStable(t *testing.T) {
	m := map[string]any{"z": 1, "a": 2, "m": 3}
	first, _ := AppendValue(nil, m)
	for i := 0; i < 20; i++ {
		again, _ := AppendValue(nil, m)
		if string(again) != string(first) {
			t.Fatal("map encoding depends on iteration order")
		}
	}
}

func TestValue_Errors(t *testing.T) {
	deep := []byte{}
	for i := 0; i <= MaxDepth+1; i++ {
		deep = AppendListHeader(deep, 1)
	}
	deep = AppendNull(deep)
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"bad tag", []byte{42}, ErrBadTag},
		{"short int", []byte{TagInt, 1, 2}, ErrTruncated},
		{"string longer than input", AppendU32([]byte{TagString}, 100), ErrTruncated},
		{"huge list count", AppendU32([]byte{TagList}, 0xFFFFFFFF), ErrTruncated},
		{"huge map count", AppendU32([]byte{TagMap}, 1<<30), ErrTruncated},
		{"trailing", []byte{TagNull, TagNull}, ErrTrailing},
		{"too deep", deep, ErrTooDeep},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := DecodeValue(tc.in); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := AppendValue(nil, struct{}{}); !errors.Is(err, ErrGoType) {
		t.Fatalf("struct: got %v, want ErrGoType", err)
	}
}

func FuzzDecodeValue(f *testing.F) {
	for _, v := range []any{nil, 1, "s", []any{1.5, map[string]any{"k": true}}, Ref{TagEdge, 3}} {
		b, _ := AppendValue(nil, v)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := DecodeValue(b)
		skipErr := func() error { r := NewReader(b); r.Skip(); return r.Done() }()
		if (err == nil) != (skipErr == nil) {
			t.Fatalf("Value and Skip disagree: %v vs %v", err, skipErr)
		}
		if err != nil {
			return
		}
		again, err := AppendValue(nil, v)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		// Compare encodings, not values: NaN != NaN.
		v2, err := DecodeValue(again)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		third, _ := AppendValue(nil, v2)
		if !bytes.Equal(again, third) {
			t.Fatalf("encoding not stable: %x then %x", again, third)
		}
	})
}

func TestHasRef(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want bool
	}{
		{"scalar", "x", false},
		{"ref", Ref{TagNode, 1}, true},
		{"nested in list", []any{1, []any{Ref{TagEdge, 2}}}, true},
		{"nested in map", map[string]any{"a": map[string]any{"b": Ref{TagNode, 3}}}, true},
		{"none", map[string]any{"a": []any{1, "b"}}, false},
	}
	for _, tc := range tests {
		if got := HasRef(tc.in); got != tc.want {
			t.Errorf("%s: HasRef = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestLevelName(t *testing.T) {
	for _, tc := range []struct {
		level int32
		want  string
	}{
		{LevelNoAccess, "NO_ACCESS"}, {LevelRead, "READ"}, {LevelConnect, "CONNECT"}, {LevelWrite, "WRITE"},
		{-2, ""}, {3, ""},
	} {
		if got := LevelName(tc.level); got != tc.want {
			t.Errorf("LevelName(%d) = %q, want %q", tc.level, got, tc.want)
		}
	}
}
