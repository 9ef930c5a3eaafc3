package e2e

import (
	"encoding/json"
	"testing"

	"github.com/walkerhost/walkerhost/internal/testenv"
	"github.com/walkerhost/walkerhost/internal/testenv/wasmbomb"
)

// TestAdmin_Bombs uploads the compile and instantiation bombs of the
// isolation issue: each is answered 413 LIMIT_EXCEEDED naming its limit,
// nothing is stored, and the host goes on serving. Modules over every
// module size limit are refused by the transport, with the same limit.
func TestAdmin_Bombs(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.AdminToken = adminToken
	cfg.MaxModuleBytes = 1 << 20
	h := testenv.Start(t, cfg, "min", wasmbomb.Spec{}.Build())
	tests := []struct {
		name, limit, msg string
		wasm             []byte
	}{
		{"two tables of 2^26 entries", "table_entries", "more than the limit of 1048576 (limits.max_table_entries)",
			wasmbomb.Spec{Tables: []uint32{1 << 26, 1 << 26}}.Build()},
		{"100 000 nested blocks", "nesting", "a function nests blocks 100001 deep, more than the limit of 1000 (limits.max_nesting)",
			wasmbomb.Spec{Nesting: 100_000}.Build()},
		{"200 000 empty functions", "functions", "200005 functions, more than the limit of 100000 (limits.max_functions)",
			wasmbomb.Spec{Functions: 200_000}.Build()},
		{"module over the app's size limit", "module_bytes", "more than the module size limit of 1048576 bytes (limits.max_module_bytes)",
			wasmbomb.Spec{Pad: 2 << 20}.Build()},
		{"module over every size limit", "module_bytes", "module exceeds the largest module size limit (limits.max_module_bytes",
			wasmbomb.Spec{Pad: 11 << 20}.Build()},
		{"8 000-walker manifest", "manifest_bytes", "more than the limit of 262144 (limits.max_manifest_bytes)",
			wasmbomb.Spec{Manifest: wasmbomb.Walkers(8000)}.Build()},
		{"501 walkers", "manifest_entries", "more than the limit of 500 (limits.max_manifest_entries)",
			wasmbomb.Spec{Manifest: wasmbomb.Walkers(501)}.Build()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := upload(t, h.URL, "svc", tc.wasm)
			wantErr(t, tc.name, r, 413, "LIMIT_EXCEEDED", tc.msg)
			var details map[string]string
			if err := json.Unmarshal(r.Error.Details, &details); err != nil || details["limit"] != tc.limit {
				t.Fatalf("details %s, want limit %q", r.Error.Details, tc.limit)
			}
		})
	}
	if r := testenv.Do(t, "GET", h.URL+"/admin/apps/svc/modules", nil, adminToken); r.Status != 404 {
		t.Fatalf("after the refused uploads: %d %s, want no app svc", r.Status, r.Body)
	}
	if r := upload(t, h.URL, "svc", wasmbomb.Spec{Manifest: wasmbomb.Walkers(3)}.Build()); r.Status != 201 {
		t.Fatalf("upload within the limits: %d %s", r.Status, r.Body)
	}
}
