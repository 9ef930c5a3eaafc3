package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestHostile runs each misbehaving walker and checks the documented error,
// that the host still answers, and that the instance that failed was
// discarded rather than reused.
func TestHostile(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.RequestTimeout = 3 * time.Second
	cfg.MemoryLimitMB = 32
	cfg.MaxReportBytes = 1 << 20
	cfg.MaxHostCalls = 10_000
	cfg.MaxHandles = 1_000
	h := testenv.Start(t, cfg, "hostile", testenv.Guest(t, "hostile"))
	tests := []struct {
		name, walker, body string
		status             int
		code, msg          string
	}{
		{"infinite loop", "spin", `{}`, 504, "LIMIT_EXCEEDED", "time limit exceeded (3s)"},
		{"memory bomb", "hog", `{}`, 507, "LIMIT_EXCEEDED", "memory limit exceeded (32 MiB)"},
		{"deep recursion", "recurse", `{}`, 507, "LIMIT_EXCEEDED", "limit exceeded"},
		{"exponential recursion", "fork", `{}`, 504, "LIMIT_EXCEEDED", "time limit exceeded (3s)"},
		{"huge report", "flood", `{"size":4194304}`, 507, "LIMIT_EXCEEDED", "report_bytes limit exceeded"},
		{"report flood", "flood", `{"size":16,"count":200000}`, 507, "LIMIT_EXCEEDED", "limit exceeded"},
		{"handle hoard", "hoard", `{}`, 507, "LIMIT_EXCEEDED", "handles limit exceeded (1000)"},
		{"go panic", "panic", `{}`, 500, "EXECUTION_ERROR", "assignment to entry in nil map"},
		{"write then loop", "write_then_spin", `{}`, 504, "LIMIT_EXCEEDED", "time limit exceeded"},
		{"write then panic", "write_then_panic", `{}`, 500, "EXECUTION_ERROR", "after writing"},
		{"write then exhaust memory", "write_then_hog", `{}`, 507, "LIMIT_EXCEEDED", "memory limit exceeded"},
		{"bad pointer to report", "badptr", `{"call":"report"}`, 500, "EXECUTION_ERROR", "out-of-range pointer to walker.report"},
		{"bad pointer to output", "badptr", `{"call":"output"}`, 500, "EXECUTION_ERROR", "out-of-range pointer to walker.output"},
		{"bad pointer to obj_read", "badptr", `{"call":"obj_read"}`, 500, "EXECUTION_ERROR", "out-of-range pointer to walker.obj_read"},
		{"bad pointer to obj_get", "badptr", `{"call":"obj_get"}`, 500, "EXECUTION_ERROR", "out-of-range pointer to walker.obj_get"},
		{"bad pointer to node_create", "badptr", `{"call":"node_create"}`, 500, "EXECUTION_ERROR", "out-of-range pointer to walker.node_create"},
		{"bad pointer to edge_query", "badptr", `{"call":"edge_query"}`, 500, "EXECUTION_ERROR", "out-of-range pointer to walker.edge_query"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := h.Module().Stats().Discarded
			r := testenv.Do(t, "POST", h.URL+"/walker/"+tc.walker, tc.body, "")
			if r.Status != tc.status || r.Error == nil || r.Error.Code != tc.code || !strings.Contains(r.Error.Message, tc.msg) {
				t.Fatalf("got %d %s", r.Status, r.Body)
			}
			if after := h.Module().Stats().Discarded; after != before+1 {
				t.Fatalf("discarded instances went from %d to %d; the failed instance must be dropped", before, after)
			}
			ok := testenv.Do(t, "POST", h.URL+"/walker/ok", `{}`, "").Walker(t)
			assertJSON(t, "reports", ok.Reports, `["ok"]`)
			junk := testenv.Do(t, "POST", h.URL+"/walker/count_junk", `{}`, "").Walker(t)
			assertJSON(t, "junk left by failed walkers", junk.Reports, `[0]`)
		})
	}
}
