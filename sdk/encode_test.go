package sdk

import (
	"reflect"
	"testing"
)

func TestAppendValue(t *testing.T) {
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	tests := []struct {
		name string
		in   any
		ok   bool
	}{
		{"node ref", Node{ref{3}}, true},
		{"nodes", []Node{{ref{1}}}, true},
		{"nested", map[string]any{"n": []any{Edge{ref{2}}, 1.5}}, true},
		{"cyclic map", cyclic, false},
		{"unsupported", uint8(1), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := appendValue(nil, tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok %v", err, tc.ok)
			}
		})
	}
}

func TestClone(t *testing.T) {
	in := map[string]any{"l": []any{map[string]any{"k": 1}}}
	c := clone(in).(map[string]any)
	c["l"].([]any)[0].(map[string]any)["k"] = 2
	if !reflect.DeepEqual(in, map[string]any{"l": []any{map[string]any{"k": 1}}}) {
		t.Fatal("clone shares nested values")
	}
}
