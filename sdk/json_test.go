package sdk

import (
	"encoding/json"
	"math"
	"testing"
)

func TestAppendJSONString(t *testing.T) {
	tests := []struct{ name, in string }{
		{"plain", "hello"},
		{"empty", ""},
		{"quotes and backslash", `a"b\c`},
		{"control characters", "\x00\x01\n\r\t\x1f\x7f"},
		{"utf8", "héllo ✓ 😀"},
		{"line separators", "a\u2028b\u2029c"},
		{"invalid utf8", "a\xffb\xc3"},
		{"html", "<a href='x'>&</a>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := appendJSONString(nil, tc.in)
			var got string
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("%s is not a JSON string: %v", out, err)
			}
			want, _ := json.Marshal(tc.in) // encoding/json also replaces invalid UTF-8
			var wantS string
			_ = json.Unmarshal(want, &wantS)
			if got != wantS {
				t.Fatalf("round trip %q, want %q", got, wantS)
			}
		})
	}
}

func TestAppendJSON(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"null", nil, `null`},
		{"bools", []any{true, false}, `[true,false]`},
		{"ints", []any{0, -3, int64(math.MaxInt64)}, `[0,-3,9223372036854775807]`},
		{"floats keep a point", []any{1.0, -0.5, 1e21, 1e-7}, `[1.0,-0.5,1e+21,1e-07]`},
		{"strings", []string{"a", `"`}, `["a","\""]`},
		{"map sorted", map[string]any{"b": 1, "a": []any{}}, `{"a":[],"b":1}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := appendJSON(nil, tc.in)
			if !ok || string(got) != tc.want {
				t.Fatalf("got %s (%v), want %s", got, ok, tc.want)
			}
		})
	}
}

func TestAppendJSON_Errors(t *testing.T) {
	tests := []struct {
		name string
		in   any
	}{
		{"NaN", math.NaN()},
		{"infinity", math.Inf(1)},
		{"struct", struct{}{}},
		{"nested", map[string]any{"x": []any{uint8(1)}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := appendJSON(nil, tc.in); ok {
				t.Fatal("want failure")
			}
		})
	}
}
