package kv

import (
	"errors"
	"math"
	"reflect"
	"testing"
)

func TestJSON_RoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   any
		text string
	}{
		{"null", nil, "null"},
		{"int", int64(-42), "-42"},
		{"whole float stays a float", 3.0, "3.0"},
		{"float", 0.25, "0.25"},
		{"big float", 1e300, "1e+300"},
		{"string", "a\"b\n", `"a\"b\n"`},
		{"list", []any{true, false, nil}, "[true,false,null]"},
		{"map sorted", map[string]any{"b": int64(1), "a": []any{"x"}}, `{"a":["x"],"b":1}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := encodeJSON(nil, tc.in)
			if err != nil || string(b) != tc.text {
				t.Fatalf("encodeJSON = %s, %v; want %s", b, err, tc.text)
			}
			if got := decodeJSON(string(b)); !reflect.DeepEqual(got, tc.in) {
				t.Fatalf("decodeJSON = %#v, want %#v", got, tc.in)
			}
		})
	}
	for _, raw := range []string{"plain text", "12 13", "{"} {
		if got := decodeJSON(raw); got != raw {
			t.Fatalf("decodeJSON(%q) = %#v, want the text itself", raw, got)
		}
	}
	for _, bad := range []any{math.NaN(), math.Inf(1), map[string]any{"$x": 1}, struct{}{}} {
		if _, err := encodeJSON(nil, bad); !errors.Is(err, ErrInvalid) {
			t.Fatalf("encodeJSON(%v) = %v", bad, err)
		}
	}
}
