package e2e

import (
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestReportLimit_Nodes: a reported node is a handle in the guest but its
// whole object in the answer; limits.max_report_bytes counts what the
// client receives, so reporting nodes hits it as reporting maps does.
func TestReportLimit_Nodes(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.MaxReportBytes = 2048
	h := testenv.Start(t, cfg, "todo", testenv.Guest(t, "todo"))
	a := register(t, h.URL, "rhea", "pw-rhea")
	title := strings.Repeat("x", 500)
	createTodo(t, h, a.Token, title)
	createTodo(t, h, a.Token, title)
	if got := todos(t, testenv.Do(t, "GET", h.URL+"/walker/list_todos", nil, a.Token)); len(got) != 2 {
		t.Fatalf("control: %d todos", len(got))
	}
	for range 3 {
		createTodo(t, h, a.Token, title)
	}
	r := testenv.Do(t, "GET", h.URL+"/walker/list_todos", nil, a.Token)
	wantErr(t, "five 500-byte nodes", r, 507, "LIMIT_EXCEEDED", "report_bytes")
	if r.Error.Details == nil || len(r.Body) > 2048 {
		t.Fatalf("answer: %d bytes %s", len(r.Body), r.Body)
	}
}
