package main

import (
	"reflect"
	"testing"

	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

func TestHello(t *testing.T) {
	tests := []struct {
		name    string
		walker  string
		fields  map[string]any
		reports []any
	}{
		{"greet default", "greet", nil, []any{map[string]any{"message": "Hello, world!"}}},
		{"greet name", "greet", map[string]any{"name": "Ada"}, []any{map[string]any{"message": "Hello, Ada!"}}},
		{"count", "count", map[string]any{"n": 3}, []any{int64(1), int64(2), int64(3)}},
		{"call_secret", "call_secret", nil, []any{map[string]any{"secret": "swordfish"}}},
		{"echo", "echo", map[string]any{"text": "t", "meta": map[string]any{"k": 1}}, []any{map[string]any{
			"text": "t", "count": int64(1), "ratio": 0.5, "flag": false, "tags": []any{},
			"meta": map[string]any{"k": int64(1)}, "extra": nil, "note": nil,
		}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := sdktest.New().Call(tc.walker, tc.fields)
			if err := res.Err(); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res.Reports, tc.reports) {
				t.Fatalf("reports = %#v, want %#v", res.Reports, tc.reports)
			}
		})
	}
}

func TestAdd(t *testing.T) {
	if res := sdktest.New().Func("add", map[string]any{"a": 2, "b": 3}); res.Output != int64(5) {
		t.Fatalf("add = %v (%v)", res.Output, res.Err())
	}
}
