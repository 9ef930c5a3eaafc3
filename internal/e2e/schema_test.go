package e2e

import (
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestDeclaredTypes_HTTP checks what a client sees of the host's checks of
// node writes against the declared type: a refused write answers 422 with
// the type and field, and declared defaults appear in reports and in
// /traverse?detailed=true although the walker never set them.
func TestDeclaredTypes_HTTP(t *testing.T) {
	h := testenv.Start(t, testenv.Config(t), "hostile", testenv.Guest(t, "hostile"))
	alice := testenv.Register(t, h.URL, "alice", "pw")

	refusals := []struct {
		name, body, msg, details string
	}{
		{"no title, done not a bool", `{"fields":{"done":"not-a-bool"}}`, `node type Todo: field "title" is required`,
			`[{"loc":["node","Todo","title"],"type":"missing","msg":"node type Todo: field \"title\" is required"}]`},
		{"done not a bool", `{"fields":{"title":"milk","done":"not-a-bool"}}`, `node type Todo: field "done" must be a bool, not a string`,
			`[{"loc":["node","Todo","done"],"type":"type","msg":"node type Todo: field \"done\" must be a bool, not a string"}]`},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			r := testenv.Do(t, "POST", h.URL+"/walker/raw_create", tc.body, alice)
			if r.Status != 422 || r.Error == nil || r.Error.Code != "VALIDATION_ERROR" || r.Error.Message != tc.msg {
				t.Fatalf("got %d %s", r.Status, r.Body)
			}
			assertJSON(t, "details", r.Error.Details, tc.details)
		})
	}

	p := testenv.Do(t, "POST", h.URL+"/walker/raw_create", `{"fields":{"title":"milk"}}`, alice).Walker(t)
	todo, _ := p.Reports[0].(map[string]any)
	if todo["title"] != "milk" || todo["done"] != false {
		t.Fatalf("report without the default: %v", p.Reports)
	}
	_, tr := traverse(t, h, "GET", "?detailed=true", nil, alice)
	found := false
	for _, n := range tr.Nodes {
		if n.Type == "Todo" {
			found = true
			if n.Fields["done"] != false || n.Fields["title"] != "milk" {
				t.Fatalf("traversal without the default: %+v", n)
			}
		}
	}
	if !found || !strings.Contains(tr.Edges[0].Type, "Tagged") {
		t.Fatalf("traversal: %+v", tr)
	}
}
