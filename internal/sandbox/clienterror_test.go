package sandbox

import (
	"reflect"
	"testing"
)

func TestClientError(t *testing.T) {
	tests := []struct {
		name   string
		output map[string]any
		want   *ClientError
	}{
		{"not found", map[string]any{"status": int64(404), "message": "gone"}, &ClientError{Status: 404, Message: "gone"}},
		{"no message", map[string]any{"status": int64(400)}, &ClientError{Status: 400}},
		{"status not for clients", map[string]any{"status": int64(500), "message": "x"}, nil},
		{"status as text", map[string]any{"status": "404", "message": "x"}, nil},
		{"no status", map[string]any{"message": "x"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := clientError(tc.output); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("clientError(%v) = %#v, want %#v", tc.output, got, tc.want)
			}
		})
	}
}
