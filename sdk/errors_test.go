package sdk_test

import (
	"testing"

	"github.com/walkerhost/walkerhost/sdk/internal/fakehost"
	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

// An error's message is taken from the host only when the guest looks at
// the error, since taking it marks the error as handled.
func TestError_MessageTakenOnlyWhenLookedAt(t *testing.T) {
	tests := []struct {
		walker string
		taken  bool
	}{
		{"lookup_ignored", false},
		{"lookup", true},     // errors.Is
		{"lookup_raw", true}, // returned, so its message is the output
	}
	for _, tc := range tests {
		t.Run(tc.walker, func(t *testing.T) {
			sdktest.New().Call(tc.walker, map[string]any{"id": "nope"})
			if got := fakehost.Active().ErrorTaken; got != tc.taken {
				t.Fatalf("error taken = %v, want %v", got, tc.taken)
			}
		})
	}
}
