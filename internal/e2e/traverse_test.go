package e2e

import (
	"fmt"
	"sort"
	"testing"

	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

type traversal struct {
	Nodes []struct {
		ID, Type string
		Edges    []string
		Fields   map[string]any
	}
	Edges []struct {
		ID, Type, Source, Target string
	}
	Truncated string
}

func traverse(t *testing.T, h *testenv.Host, method, query string, body any, token string) (*testenv.Response, traversal) {
	t.Helper()
	r := testenv.Do(t, method, h.URL+"/traverse"+query, body, token)
	var tr traversal
	if r.Status == 200 {
		r.Decode(t, &tr)
	}
	return r, tr
}

func TestTraverse(t *testing.T) { testenv.EachTier(t, testTraverse) }

func testTraverse(t *testing.T, cfg config.Config) {
	cfg.TraverseMaxNodes = 3
	h := testenv.Start(t, cfg, "todo", testenv.Guest(t, "todo"))
	alice := testenv.Register(t, h.URL, "alice", "pw")
	bob := testenv.Register(t, h.URL, "bob", "pw")
	milk := createTodo(t, h, alice, "milk")
	createTodo(t, h, alice, "eggs")

	r, tr := traverse(t, h, "GET", "?detailed=true", nil, alice)
	if r.Status != 200 || len(tr.Nodes) != 3 || len(tr.Edges) != 2 || tr.Truncated != "" {
		t.Fatalf("root traversal: %d %s", r.Status, r.Body)
	}
	var types []string
	for _, n := range tr.Nodes {
		types = append(types, n.Type)
	}
	sort.Strings(types)
	if fmt.Sprint(types) != "[Root Todo Todo]" || len(tr.Nodes[0].Edges) != 2 || tr.Edges[0].Type != "HasTodo" {
		t.Fatalf("root traversal: %s", r.Body)
	}
	if tr.Nodes[1].Fields["title"] == nil {
		t.Fatalf("detailed traversal has no fields: %s", r.Body)
	}

	_, tr = traverse(t, h, "POST", "", map[string]any{"source": milk.ID, "depth": 0}, alice)
	if len(tr.Nodes) != 1 || tr.Nodes[0].ID != milk.ID || tr.Nodes[0].Fields != nil {
		t.Fatalf("traversal from a todo at depth 0: %+v", tr)
	}
	_, tr = traverse(t, h, "GET", "?edge_types=Nope", nil, alice)
	if len(tr.Nodes) != 1 {
		t.Fatalf("edge type filter: %+v", tr)
	}
	createTodo(t, h, alice, "bread")
	if _, tr = traverse(t, h, "GET", "?depth=100", nil, alice); tr.Truncated != "max_depth" && tr.Truncated != "max_nodes" {
		t.Fatalf("caps not reported: %+v", tr)
	}
	if len(tr.Nodes) > 3 {
		t.Fatalf("%d nodes over the cap of 3", len(tr.Nodes))
	}

	tests := []struct {
		name, method, query string
		body                any
		token               string
		status              int
		details             string // the FastAPI-style issues of a 422
	}{
		{"no token", "GET", "", nil, "", 401, ""},
		{"another user's node", "GET", "?source=" + milk.ID, nil, bob, 403, ""},
		{"unknown source", "POST", "", map[string]any{"source": "00000000000000000000000000000000"}, alice, 404, ""},
		{"malformed source", "GET", "?source=zz", nil, alice, 404, ""},
		{"bad depth", "GET", "?depth=deep", nil, alice, 422,
			`[{"loc":["query","depth"],"type":"int_parsing","msg":"Input should be a valid integer, unable to parse string as an integer"}]`},
		{"bad body field", "POST", "", `{"depth":"x"}`, alice, 422,
			`[{"loc":["body","depth"],"type":"int_type","msg":"Input should be a valid integer"}]`},
		{"body not an object", "POST", "", `[1]`, alice, 422,
			`[{"loc":["body"],"type":"model_attributes_type","msg":"Input should be a valid dictionary or object to extract fields from"}]`},
		{"body not JSON", "POST", "", `{"depth":`, alice, 422,
			`[{"loc":["body"],"type":"json_invalid","msg":"JSON decode error"}]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := traverse(t, h, tc.method, tc.query, tc.body, tc.token)
			if r.Status != tc.status {
				t.Fatalf("got %d %s", r.Status, r.Body)
			}
			if tc.details != "" && string(r.Error.Details) != tc.details {
				t.Fatalf("details = %s, want %s", r.Error.Details, tc.details)
			}
		})
	}
	// Bob's own traversal sees none of alice's nodes.
	if _, tr = traverse(t, h, "GET", "", nil, bob); len(tr.Nodes) != 1 {
		t.Fatalf("bob sees %d nodes", len(tr.Nodes))
	}
}
