package sandbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/sandbox"
)

// TestHandles_Listing: a walker listing a node's neighbours holds one
// handle per neighbour, not one for the edge too, so the todo guest lists
// 60 000 todos under the default limit of 100 000 handles. The limit still
// bounds a walker reaching more objects than it allows: more neighbours
// than handles, or as many edges to one neighbour, each new edge of a hit
// counting once its node is known.
func TestHandles_Listing(t *testing.T) {
	for _, tc := range []struct {
		name       string
		maxHandles int
		todos      int // distinct todos on the root
		edges      int // edges from the root to each todo
		wantErr    bool
	}{
		{name: "60000 todos", maxHandles: 100_000, todos: 60_000, edges: 1},
		{name: "at the limit", maxHandles: 1_000, todos: 999, edges: 1}, // and the root
		{name: "past the limit", maxHandles: 1_000, todos: 1_000, edges: 1, wantErr: true},
		{name: "edges to one todo", maxHandles: 1_000, todos: 1, edges: 1_500, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lim := benchLimits
			lim.Timeout = 5 * time.Minute // -race; not what is tested
			lim.MaxHandles = tc.maxHandles
			lim.MaxReportBytes = 8 << 20
			m, g, root := loadModuleWith(t, "todo", lim)
			tx := g.Begin("bench", graph.Caller{Root: root})
			for i := range tc.todos {
				if i%1000 == 999 { // bbolt inserts into one node per transaction: keep them small
					if err := tx.Commit(); err != nil {
						t.Fatal(err)
					}
					tx = g.Begin("bench", graph.Caller{Root: root})
				}
				todo, err := tx.CreateNode("Todo", map[string]any{"title": "todo", "done": i%2 == 0})
				if err != nil {
					t.Fatal(err)
				}
				for range tc.edges {
					if _, err := tx.Connect(root, todo.ID, "HasTodo", map[string]any{}); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			enc, _ := abi.AppendMap(nil, map[string]any{})
			tx = g.Begin("bench", graph.Caller{Root: root})
			defer tx.Rollback()
			out, err := m.Call(context.Background(), &sandbox.Request{Kind: abi.KindWalker, Name: "list_todos", Tx: tx, Root: root, Fields: enc}, nil)
			var lerr *sandbox.LimitError
			if tc.wantErr {
				if !errors.As(err, &lerr) || lerr.Limit != "handles" {
					t.Fatalf("err %v, want the handles limit", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var p struct{ Reports []map[string]any }
			if err := json.Unmarshal(out, &p); err != nil {
				t.Fatal(err)
			}
			if len(p.Reports) != tc.todos || p.Reports[0]["_jac_type"] != "Todo" {
				t.Fatalf("%d reports, want %d; first %v", len(p.Reports), tc.todos, p.Reports[0])
			}
		})
	}
}
