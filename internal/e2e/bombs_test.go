package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/internal/testenv"
	"github.com/walkerhost/walkerhost/internal/testenv/wasmbomb"
)

// TestAdmin_Bombs uploads the compile and instantiation bombs of the
// isolation issue: each is answered 413 LIMIT_EXCEEDED naming its limit,
// nothing is stored, and the host goes on serving.
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
		{"200 000 empty functions", "functions", "200008 functions, more than the limit of 100000 (limits.max_functions)",
			wasmbomb.Spec{Functions: 200_000}.Build()},
		{"module over the size limit", "module_bytes", "module exceeds the largest module size limit (limits.max_module_bytes, JAC_MAX_MODULE_BYTES) of 1048576 bytes",
			wasmbomb.Spec{Pad: 1<<20 + 4096}.Build()},
		{"8 000-walker manifest", "manifest_bytes", "more than the limit of 262144 (limits.max_manifest_bytes)",
			wasmbomb.Spec{Manifest: wasmbomb.Walkers(8000)}.Build()},
		{"257 walkers", "manifest_entries", "more than the limit of 256 (limits.max_manifest_entries)",
			wasmbomb.Spec{Manifest: wasmbomb.Walkers(257)}.Build()},
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
	// Over every module size limit, the transport refuses the body from
	// its Content-Length; a client that sends "Expect: 100-continue" (curl
	// does for large bodies) gets the answer without sending the body.
	req, _ := http.NewRequest("POST", h.URL+"/admin/apps/svc/modules", bytes.NewReader(wasmbomb.Spec{Pad: 11 << 20}.Build()))
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("Expect", "100-continue")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Error struct {
			Code, Message string
			Details       map[string]string
		}
	}
	err = json.NewDecoder(resp.Body).Decode(&env)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 413 || env.Error.Code != "LIMIT_EXCEEDED" || env.Error.Details["limit"] != "module_bytes" ||
		!strings.Contains(env.Error.Message, "module exceeds the largest module size limit (limits.max_module_bytes") {
		t.Fatalf("module over every size limit: %d %+v (%v)", resp.StatusCode, env, err)
	}
	if r := testenv.Do(t, "GET", h.URL+"/admin/apps/svc/modules", nil, adminToken); r.Status != 404 {
		t.Fatalf("after the refused uploads: %d %s, want no app svc", r.Status, r.Body)
	}
	if r := upload(t, h.URL, "svc", wasmbomb.Spec{Manifest: wasmbomb.Walkers(3)}.Build()); r.Status != 201 {
		t.Fatalf("upload within the limits: %d %s", r.Status, r.Body)
	}
}
