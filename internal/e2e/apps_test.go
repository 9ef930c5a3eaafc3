package e2e

import (
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

const adminToken = "admin-token-0123456789abcdef"

// startTwoApps serves the todo guest as the default app and again as app
// "beta" from [apps.beta], with the admin API on.
func startTwoApps(t *testing.T) *testenv.Host {
	t.Helper()
	cfg := testenv.Config(t)
	cfg.AdminToken = adminToken
	wasm := testenv.Guest(t, "todo")
	beta := cfg
	beta.PoolSize = 2
	cfg.Apps = []config.App{{Name: "beta", Module: moduleFile(t, "todo", wasm), Limits: beta}}
	return testenv.Start(t, cfg, "todo", wasm)
}

// TestApps_Isolation: two apps with the same walkers each see only their
// own users and graph, and a token of one is refused by the other.
func TestApps_Isolation(t *testing.T) {
	h := startTwoApps(t)
	bases := map[string]string{"default": h.URL, "beta": h.URL + "/apps/beta"}
	tokens := map[string]string{}
	for app, base := range bases {
		tokens[app] = register(t, base, "ann", "pw-"+app).Token
		r := testenv.Do(t, "POST", base+"/walker/create_todo", map[string]any{"title": "milk from " + app}, tokens[app])
		if r.Status != 200 {
			t.Fatalf("%s: create_todo %d %s", app, r.Status, r.Body)
		}
	}
	for app, base := range bases {
		got := todos(t, testenv.Do(t, "GET", base+"/walker/list_todos", nil, tokens[app]))
		if len(got) != 1 || got[0].Title != "milk from "+app {
			t.Fatalf("%s sees %+v, want only its own todo", app, got)
		}
		r := testenv.Do(t, "POST", base+"/user/login", map[string]string{"username": "ann", "password": "pw-" + app}, "")
		if r.Status != 200 {
			t.Fatalf("%s: login with its own password: %d %s", app, r.Status, r.Body)
		}
	}
	wantErr(t, "default token on beta", testenv.Do(t, "GET", bases["beta"]+"/walker/list_todos", nil, tokens["default"]), 401, "UNAUTHORIZED", "")
	wantErr(t, "beta token on default", testenv.Do(t, "GET", bases["default"]+"/walker/list_todos", nil, tokens["beta"]), 401, "UNAUTHORIZED", "")
	wantErr(t, "beta password on default", testenv.Do(t, "POST", bases["default"]+"/user/login", map[string]string{"username": "ann", "password": "pw-beta"}, ""), 401, "UNAUTHORIZED", "Invalid credentials")
	wantErr(t, "unknown app", testenv.Do(t, "GET", h.URL+"/apps/gamma/walker/list_todos", nil, ""), 404, "NOT_FOUND", `no app "gamma"`)
	wantErr(t, "default app by prefix", testenv.Do(t, "GET", h.URL+"/apps/default/walker/list_todos", nil, tokens["default"]), 404, "NOT_FOUND", "")
}

// TestAdmin_Refusals: the admin API is absent without a token, refuses
// missing and wrong tokens, and refuses bad modules with the loader's
// message, leaving the active version as it was.
func TestAdmin_Refusals(t *testing.T) {
	off := testenv.Start(t, testenv.Config(t), "hello", testenv.Guest(t, "hello"))
	wantErr(t, "admin API off", testenv.Do(t, "GET", off.URL+"/admin/apps", nil, adminToken), 404, "NOT_FOUND", "")

	h := startTwoApps(t)
	wantErr(t, "no token", testenv.Do(t, "GET", h.URL+"/admin/apps", nil, ""), 401, "UNAUTHORIZED", "")
	wantErr(t, "wrong token", testenv.Do(t, "GET", h.URL+"/admin/apps", nil, "not-the-admin-token-at-all"), 403, "FORBIDDEN", "")
	up := upload(t, h.URL, "svc", testenv.VersionGuest(t, "v1"))
	if up.Status != 201 {
		t.Fatalf("upload: %d %s", up.Status, up.Body)
	}
	bigMemory := []byte{0, 'a', 's', 'm', 1, 0, 0, 0, 5, 4, 1, 0, 0x80, 0x20} // min 4096 pages = 256 MiB
	tests := []struct {
		name string
		wasm []byte
		msg  string
	}{
		{"malformed", []byte("not a module"), "decode: wasmrewrite: not a WebAssembly module"},
		{"foreign import", testenv.BadGuest(t, "badimport"), "imports env.steal_secrets: only walker.* and a minimal wasi_snapshot_preview1 are available"},
		{"memory minimum over the limit", bigMemory, "memory minimum of 256 MiB (4096 pages) is more than the memory limit of 128 MiB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, tc.name, upload(t, h.URL, "svc", tc.wasm), 422, "VALIDATION_ERROR", tc.msg)
			if list := modules(t, h.URL, "svc"); list.Active != 1 || len(list.Versions) != 1 {
				t.Fatalf("after a refused upload: %+v, want version 1 alone and active", list)
			}
			if got := version(t, h.URL+"/apps/svc"); got != "v1" {
				t.Fatalf("serving %q after a refused upload", got)
			}
		})
	}
	wantErr(t, "bad app name", upload(t, h.URL, "Bad.Name", testenv.VersionGuest(t, "v1")), 400, "VALIDATION_ERROR", "invalid app name")
	wantErr(t, "delete the active version", testenv.Do(t, "DELETE", h.URL+"/admin/apps/svc/modules/1", nil, adminToken), 409, "VALIDATION_ERROR", "is active")
	wantErr(t, "activate a missing version", testenv.Do(t, "POST", h.URL+"/admin/apps/svc/modules/9/activate", nil, adminToken), 404, "NOT_FOUND", "no version 9")
	wantErr(t, "roll back past the first", testenv.Do(t, "POST", h.URL+"/admin/apps/svc/rollback", nil, adminToken), 404, "NOT_FOUND", "no version older")
}

// TestAdmin_SwapUnderLoad calls a walker from several goroutines while
// versions are activated back and forth: no request fails, and every
// request sent after an activation returned is answered by that version.
func TestAdmin_SwapUnderLoad(t *testing.T) {
	h := startTwoApps(t)
	v1, v2 := testenv.VersionGuest(t, "v1"), testenv.VersionGuest(t, "v2")
	for _, w := range [][]byte{v1, v2} {
		if r := upload(t, h.URL, "svc", w); r.Status != 201 {
			t.Fatalf("upload: %d %s", r.Status, r.Body)
		}
	}
	activate(t, h.URL, "svc", "1")
	base := h.URL + "/apps/svc"
	var stop atomic.Bool
	var calls, failures atomic.Int64
	var firstFailure atomic.Value
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				r := testenv.Do(t, "POST", base+"/walker/version", `{}`, "")
				calls.Add(1)
				if r.Status != 200 {
					failures.Add(1)
					firstFailure.CompareAndSwap(nil, string(r.Body))
				}
			}
		}()
	}
	for i := range 10 {
		want := []string{"2", "1"}[i%2]
		activate(t, h.URL, "svc", want)
		for range 3 {
			if got := version(t, base); got != "v"+want {
				t.Fatalf("swap %d: answered by %s after version %s was activated", i, got, want)
			}
		}
	}
	stop.Store(true)
	wg.Wait()
	if n := failures.Load(); n > 0 {
		t.Fatalf("%d of %d requests failed during swaps; first: %v", n, calls.Load(), firstFailure.Load())
	}
	t.Logf("%d requests across 10 activations, none failed", calls.Load())
	activate(t, h.URL, "svc", "2")
	if r := testenv.Do(t, "POST", h.URL+"/admin/apps/svc/rollback", nil, adminToken); r.Status != 200 || version(t, base) != "v1" {
		t.Fatalf("rollback from 2: %d %s", r.Status, r.Body)
	}
	if r := testenv.Do(t, "DELETE", h.URL+"/admin/apps/svc/modules/2", nil, adminToken); r.Status != 200 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
}

func upload(t *testing.T, base, app string, wasm []byte) *testenv.Response {
	t.Helper()
	return testenv.DoRaw(t, "POST", base+"/admin/apps/"+app+"/modules?activate=true", "application/wasm", wasm, adminToken)
}

func activate(t *testing.T, base, app, v string) {
	t.Helper()
	if r := testenv.Do(t, "POST", base+"/admin/apps/"+app+"/modules/"+v+"/activate", nil, adminToken); r.Status != 200 {
		t.Fatalf("activate %s: %d %s", v, r.Status, r.Body)
	}
}

// version is what the version walker of the app at base reports.
func version(t *testing.T, base string) string {
	t.Helper()
	r := testenv.Do(t, "POST", base+"/walker/version", `{}`, "")
	p := r.Walker(t)
	if len(p.Reports) != 1 {
		t.Fatalf("version: %s", r.Body)
	}
	s, _ := p.Reports[0].(string)
	return strings.TrimSpace(s)
}

// moduleList is what GET /admin/apps/NAME/modules answers.
type moduleList struct {
	Active   uint64 `json:"active"`
	Versions []any  `json:"versions"`
}

// modules lists app's stored module versions through the admin API.
func modules(t *testing.T, base, app string) moduleList {
	t.Helper()
	var list moduleList
	testenv.Do(t, "GET", base+"/admin/apps/"+app+"/modules", nil, adminToken).Decode(t, &list)
	return list
}
