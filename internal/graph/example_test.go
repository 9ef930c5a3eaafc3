package graph_test

import (
	"fmt"
	"os"

	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/graph"
)

// Example shows one request: a user creates a todo under their root, and a
// second user, who may not read it, sees nothing.
func Example() {
	dir, _ := os.MkdirTemp("", "graph-example")
	defer os.RemoveAll(dir)
	db, _ := store.Open(dir)
	defer db.Close()
	g := graph.New(db)
	alice, _ := g.CreateRoot("todo")
	bob, _ := g.CreateRoot("todo")

	tx := g.Begin("todo", graph.Caller{Root: alice})
	todo, _ := tx.CreateNode("Todo", map[string]any{"title": "buy milk"})
	tx.Connect(alice, todo.ID, "Has", nil)
	if err := tx.Commit(); err != nil {
		fmt.Println(err)
	}

	tx = g.Begin("todo", graph.Caller{Root: alice})
	hits, _ := tx.Edges(alice, graph.Out, "Has", "Todo")
	fmt.Println(len(hits), hits[0].Node.Fields["title"])
	tx.Rollback()

	tx = g.Begin("todo", graph.Caller{Root: bob})
	_, err := tx.Get(todo.ID)
	fmt.Println(err != nil, tx.Denials()[0].Op)
	tx.Rollback()
	// Output:
	// 1 buy milk
	// true get
}
