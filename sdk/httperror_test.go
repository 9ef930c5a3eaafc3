package sdk

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

func TestFailure(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want any
	}{
		{"plain error", errors.New("boom"), "boom"},
		{"not found", NotFound("todo x not found"), map[string]any{"status": 404, "message": "todo x not found"}},
		{"conflict", Fail(409, "taken"), map[string]any{"status": 409, "message": "taken"}},
		{"wrapped", fmt.Errorf("update: %w", Fail(403, "not yours")), map[string]any{"status": 403, "message": "not yours"}},
		{"status not for clients", Fail(418, "teapot"), "teapot"},
		{"server status", Fail(503, "later"), "later"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := failure(tc.err); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("failure(%v) = %#v, want %#v", tc.err, got, tc.want)
			}
		})
	}
}
