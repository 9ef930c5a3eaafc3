package graph

import (
	"fmt"
	"sync"
	"testing"
)

// TestGraph_Hammer runs many goroutines, each with its own Txs against one
// Graph: writers create and connect nodes and update their own field of a
// shared node; readers list edges. Every commit must land.
func TestGraph_Hammer(t *testing.T) {
	f := newFixture(t)
	shared := f.node(t, f.a, "Shared", nil)
	const writers, rounds, readers = 16, 20, 4
	var wg sync.WaitGroup
	errs := make(chan error, writers*rounds+readers*rounds)
	for w := range writers {
		wg.Go(func() {
			for r := range rounds {
				tx := f.g.Begin(app, f.a)
				n, err := tx.CreateNode("Item", map[string]any{"w": int64(w), "r": int64(r)})
				if err == nil {
					_, err = tx.Connect(f.a.Root, n.ID, "Has", nil)
				}
				if err == nil {
					err = tx.Update(shared, map[string]any{fmt.Sprint("w", w): int64(r)})
				}
				if err == nil {
					err = tx.Commit()
				}
				if err != nil {
					errs <- err
				}
			}
		})
	}
	for range readers {
		wg.Go(func() {
			for range rounds {
				if _, err := f.g.GuestRoot(app); err != nil {
					errs <- err
				}
				tx := f.g.Begin(app, f.a)
				if _, err := tx.Edges(f.a.Root, Out, "Has", "Item"); err != nil {
					errs <- err
				}
				tx.Rollback()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got := len(edgeTypes(t, f, f.a, f.a.Root, Out, "Has", "Item")); got != writers*rounds {
		t.Fatalf("got %d edges, want %d", got, writers*rounds)
	}
	o, err := f.get(t, f.a, shared)
	if err != nil {
		t.Fatal(err)
	}
	for w := range writers {
		if v := o.Fields[fmt.Sprint("w", w)]; v != int64(rounds-1) {
			t.Fatalf("field w%d = %v, want %d", w, v, rounds-1)
		}
	}
	if o.Version != 1+writers*rounds {
		t.Fatalf("got version %d, want %d", o.Version, 1+writers*rounds)
	}
}
