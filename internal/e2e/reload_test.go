package e2e

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/walkerhost/walkerhost/internal/apps"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestReload_SwapUnderLoad replaces the default app's module back and forth
// (what jac start --reload does after a build) while clients call it: no
// request fails, each reload is answered by the new module at once, and a
// refused module leaves the last good one serving, with nothing stored.
func TestReload_SwapUnderLoad(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.AdminToken = adminToken
	v1, v2 := testenv.VersionGuest(t, "v1"), testenv.VersionGuest(t, "v2")
	h := testenv.Start(t, cfg, "svc", v1)
	ctx := context.Background()
	var stop atomic.Bool
	var failures atomic.Int64
	var firstFailure atomic.Value
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				r, err := testenv.Try("POST", h.URL+"/walker/version", `{}`, "")
				if err == nil && r.Status != 200 {
					err = fmt.Errorf("%d %s", r.Status, r.Body)
				}
				if err != nil {
					failures.Add(1)
					firstFailure.CompareAndSwap(nil, err.Error())
				}
			}
		}()
	}
	for i := range 6 {
		want, wasm := "v2", v2
		if i%2 == 1 {
			want, wasm = "v1", v1
		}
		if err := h.Reload(ctx, "svc", wasm); err != nil {
			t.Fatalf("reload %d: %v", i, err)
		}
		if got := version(t, h.URL); got != want {
			t.Fatalf("reload %d: answered by %s, want %s", i, got, want)
		}
	}
	stop.Store(true)
	wg.Wait()
	if n := failures.Load(); n > 0 {
		t.Fatalf("%d requests failed during reloads; first: %v", n, firstFailure.Load())
	}

	if err := h.Reload(ctx, "svc", []byte("not a module")); !errors.Is(err, apps.ErrRefused) {
		t.Fatalf("reload of a malformed module: %v, want apps.ErrRefused", err)
	}
	if got := version(t, h.URL); got != "v1" {
		t.Fatalf("after a refused reload: answered by %s, want v1", got)
	}
	if list := modules(t, h.URL, "default"); list.Active != 0 || len(list.Versions) != 0 {
		t.Fatalf("reloads stored versions: %+v", list)
	}
}
