package main

import (
	"reflect"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

// The walkers that end on their own; spin, hog, recurse and fork never do.
func TestHostile(t *testing.T) {
	tests := []struct {
		walker string
		fields map[string]any
		status abi.Status
		output any
	}{
		{"ok", nil, abi.StatusOK, map[string]any{}},
		{"panic", nil, abi.StatusPanicked, "panic: assignment to entry in nil map"},
		{"flood", map[string]any{"size": 4, "count": 2}, abi.StatusOK, map[string]any{"size": int64(4), "count": int64(2)}},
		{"badptr", nil, abi.StatusOK, map[string]any{"call": "report"}},
	}
	for _, tc := range tests {
		t.Run(tc.walker, func(t *testing.T) {
			res := sdktest.New().Call(tc.walker, tc.fields)
			if res.Status != tc.status || !reflect.DeepEqual(res.Output, tc.output) {
				t.Fatalf("status %d output %#v, want %d %#v", res.Status, res.Output, tc.status, tc.output)
			}
		})
	}
}
