package e2e

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/testenv"
	"github.com/walkerhost/walkerhost/internal/testenv/wasmbomb"
)

// TestHostile_RecursionWithoutLoops: walkers that recurse exponentially
// without a loop (wasmbomb) end at their time limit with
// LIMIT_EXCEEDED while /healthz keeps answering, and modules doing it, or
// calling a host function, in an export the host calls at load are refused
// on upload with one sentence, no stack trace.
func TestHostile_RecursionWithoutLoops(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.RequestTimeout = 2 * time.Second
	cfg.PoolSize = 4
	cfg.AdminToken = adminToken
	h := testenv.Start(t, cfg, "hand", wasmbomb.Spec{Manifest: wasmbomb.PublicManifest, Recurse: abi.ExportHandle}.Build())

	var wg sync.WaitGroup
	bombs := make([]*testenv.Response, 4)
	errs := make([]error, len(bombs))
	for i := range bombs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bombs[i], errs[i] = testenv.Try("POST", h.URL+"/walker/bomb", `{}`, "")
		}()
	}
	for range 5 { // while the bombs run (they take 2 s)
		if r := testenv.Do(t, "GET", h.URL+"/healthz", nil, ""); r.Status != 200 {
			t.Fatalf("healthz: %d %s", r.Status, r.Body)
		}
	}
	wg.Wait()
	for i, r := range bombs {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		wantErr(t, "bomb", r, 504, "LIMIT_EXCEEDED", "time limit exceeded (2s)")
		if !strings.Contains(string(r.Error.Details), `"limit":"time"`) {
			t.Fatalf("details %s, want the time limit", r.Error.Details)
		}
	}

	tests := []struct {
		name             string
		recurse, hostCal string
		msg              string
	}{
		{"recursion in _initialize", abi.ExportInitialize, "", "_initialize: sandbox: time limit exceeded (2s)"},
		{"recursion in walker_abi_version", abi.ExportABIVersion, "", "walker_abi_version: sandbox: time limit exceeded (2s)"},
		{"recursion in walker_manifest", abi.ExportManifest, "", "walker_manifest: sandbox: time limit exceeded (2s)"},
		{"host call in _initialize", "", abi.ExportInitialize, "_initialize: called walker.now; host functions serve requests only"},
		{"host call in walker_abi_version", "", abi.ExportABIVersion, "walker_abi_version: called walker.now; host functions serve requests only"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := upload(t, h.URL, "evil", wasmbomb.Spec{Manifest: wasmbomb.PublicManifest, Recurse: tc.recurse, HostCall: tc.hostCal}.Build())
			wantErr(t, tc.name, r, 422, "VALIDATION_ERROR", tc.msg)
			for _, bad := range []string{"\n", ".go:", "goroutine", "stack", "runtime error"} {
				if strings.Contains(r.Error.Message, bad) {
					t.Fatalf("message %q contains %q", r.Error.Message, bad)
				}
			}
		})
	}
	if r := testenv.Do(t, "GET", h.URL+"/healthz", nil, ""); r.Status != 200 {
		t.Fatalf("healthz: %d %s", r.Status, r.Body)
	}
}
