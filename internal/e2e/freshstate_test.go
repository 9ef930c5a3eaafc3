package e2e

import (
	"fmt"
	"testing"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestFreshState_HTTP: a guest that counts its calls in a global variable
// sees the count survive on a pooled instance, and a fresh value on every
// request with limits.fresh_state.
func TestFreshState_HTTP(t *testing.T) {
	for _, tc := range []struct {
		fresh bool
		want  []string
	}{
		{false, []string{"1", "2", "3", "4", "5"}},
		{true, []string{"1", "1", "1", "1", "1"}},
	} {
		t.Run(fmt.Sprint("fresh_state=", tc.fresh), func(t *testing.T) {
			cfg := testenv.Config(t)
			cfg.PoolSize, cfg.FreshState = 1, tc.fresh
			h := testenv.Start(t, cfg, "hello", testenv.Guest(t, "hello"))
			for i, want := range tc.want {
				p := testenv.Do(t, "POST", h.URL+"/function/calls", `{}`, "").Walker(t)
				assertJSON(t, fmt.Sprint("call ", i+1), p.Result, want)
			}
		})
	}
}
