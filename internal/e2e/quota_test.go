package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestApps_Quotas serves kvdemo as the default app and as app "small",
// whose files may take 1 MiB and whose key-value writes 1 KiB each: small's
// writes past them end in LIMIT_EXCEEDED naming the limit, are not made,
// and count in small's metrics, while the same writes on the default app go
// through.
func TestApps_Quotas(t *testing.T) {
	r := testenv.StartRedis(t)
	cfg := kvConfig(t, r, nil)
	wasm := testenv.Guest(t, "kvdemo")
	small := cfg
	small.StorageMB, small.KVValueBytes = 1, 1024
	cfg.Apps = []config.App{{Name: "small", Module: moduleFile(t, "kvdemo", wasm), Limits: small}}
	h := testenv.Start(t, cfg, "kvdemo", wasm)
	bases := map[string]string{"default": h.URL, "small": h.URL + "/apps/small"}
	tokens := map[string]string{}
	for app, base := range bases {
		tokens[app] = register(t, base, "ada", "pw-ada").Token
	}
	call := func(app, walker string, fields map[string]any) *testenv.Response {
		return testenv.Do(t, "POST", bases[app]+"/walker/"+walker, fields, tokens[app])
	}
	store := func(op string, args ...any) map[string]any { return map[string]any{"op": op, "args": args} }
	kvSet := func(v string) map[string]any {
		return map[string]any{"kind": "redis", "op": "set", "args": []any{"k", v}}
	}
	half := strings.Repeat("x", 600<<10)
	before := scrape(t, h.URL)
	for _, app := range []string{"small", "default"} {
		if r := call(app, "store", store("upload", "a.bin", half)); r.Status != 200 {
			t.Fatalf("%s: first upload: %d %s", app, r.Status, r.Body)
		}
	}
	tests := []struct {
		name   string
		walker string
		fields map[string]any
		limit  string
		value  string
	}{
		{"an upload past the storage quota", "store", store("upload", "b.bin", half), "storage", "1 MiB"},
		{"a copy past it", "store", store("copy", "a.bin", "c.bin"), "storage", "1 MiB"},
		{"a kv value past kv_value_bytes", "kv", kvSet(strings.Repeat("v", 2000)), "kv_value", "1024 bytes"},
	}
	for _, tc := range tests {
		r := call("small", tc.walker, tc.fields)
		wantErr(t, "small: "+tc.name, r, 507, "LIMIT_EXCEEDED", "")
		var d map[string]string
		if err := json.Unmarshal(r.Error.Details, &d); err != nil || d["limit"] != tc.limit || d["value"] != tc.value {
			t.Errorf("small: %s: details %s, want limit %q value %q", tc.name, r.Error.Details, tc.limit, tc.value)
		}
		if r := call("default", tc.walker, tc.fields); r.Status != 200 {
			t.Errorf("default: %s: %d %s", tc.name, r.Status, r.Body)
		}
	}
	for _, p := range []string{"b.bin", "c.bin"} {
		var o outcome
		p := call("small", "store", store("exists", p)).Walker(t)
		b, _ := json.Marshal(p.Reports[0])
		if err := json.Unmarshal(b, &o); err != nil || o.Value != false {
			t.Errorf("small: a refused write left %s behind: %s", p, b)
		}
	}
	if r := call("small", "kv", kvSet("small enough")); r.Status != 200 {
		t.Fatalf("small: a value within the limit: %d %s", r.Status, r.Body)
	}
	after := scrape(t, h.URL)
	for key, want := range map[string]float64{
		`jac_walker_aborts_total{kind="storage",module="small"}`:   2,
		`jac_walker_aborts_total{kind="kv_value",module="small"}`:  1,
		`jac_walker_aborts_total{kind="storage",module="kvdemo"}`:  0,
		`jac_walker_aborts_total{kind="kv_value",module="kvdemo"}`: 0,
	} {
		if got := after[key] - before[key]; got != want {
			t.Errorf("%s moved by %v, want %v", key, got, want)
		}
	}
}
