//go:build !race

package sdk_test

import (
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

// The SDK's own allocations per request, with the host discarding what the
// guest sends: greet allocates its walker value, and its ability the
// greeting and its boxing; list allocates the []Node of its edge query.
func TestHandle_Allocs(t *testing.T) {
	tests := []struct {
		name string
		host func() *sdktest.Host // the last one made is the one in use
		rec  []byte
		max  float64
	}{
		{"greet", sdktest.New, sdktest.Record(abi.KindWalker, "greet", 1, 1, abi.TypeRoot, map[string]any{"name": "x"}), 3},
		{"list", func() *sdktest.Host { return listGraph(10) }, sdktest.Record(abi.KindWalker, "list", 1, 1, abi.TypeRoot, nil), 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.host()
			h.Discard(true)
			h.Run(tc.rec)
			allocs := testing.AllocsPerRun(200, func() {
				if res := h.Run(tc.rec); res.Status != abi.StatusOK {
					t.Fatal(res.Err())
				}
			})
			if allocs > tc.max {
				t.Fatalf("%v allocations per request, want at most %v", allocs, tc.max)
			}
		})
	}
}
