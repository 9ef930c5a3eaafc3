package graph

import "testing"

// BenchmarkTx_CreateCommit measures a typical write request: create a node,
// connect it to the caller's root, commit (one fsync'd store transaction).
func BenchmarkTx_CreateCommit(b *testing.B) {
	f := newFixture(b)
	fields := map[string]any{"title": "buy milk", "done": false, "prio": int64(2)}
	b.ReportAllocs()
	for b.Loop() {
		tx := f.g.Begin(app, f.a)
		n, err := tx.CreateNode("Todo", fields)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Connect(f.a.Root, n.ID, "Has", nil); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTx_CreateCommitParallel is BenchmarkTx_CreateCommit from many
// goroutines at once, where group commit shares fsyncs.
func BenchmarkTx_CreateCommitParallel(b *testing.B) {
	f := newFixture(b)
	fields := map[string]any{"title": "buy milk", "done": false, "prio": int64(2)}
	b.ReportAllocs()
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tx := f.g.Begin(app, f.a)
			n, _ := tx.CreateNode("Todo", fields)
			tx.Connect(f.a.Root, n.ID, "Has", nil)
			if err := tx.Commit(); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkTx_Edges100 measures listing the 100 outgoing edges of a root,
// with their neighbours, in a fresh Tx each time (nothing cached).
func BenchmarkTx_Edges100(b *testing.B) {
	f := newFixture(b)
	f.do(b, f.a, func(tx *Tx) {
		for i := range 100 {
			n, _ := tx.CreateNode("Todo", map[string]any{"title": "item", "i": int64(i)})
			tx.Connect(f.a.Root, n.ID, "Has", nil)
		}
	})
	b.ReportAllocs()
	for b.Loop() {
		tx := f.g.Begin(app, f.a)
		hits, err := tx.Edges(f.a.Root, Out, "Has", "Todo")
		if err != nil || len(hits) != 100 {
			b.Fatalf("got %d hits, %v", len(hits), err)
		}
		tx.Rollback()
	}
}

// BenchmarkTx_Get measures reading one node in a fresh Tx.
func BenchmarkTx_Get(b *testing.B) {
	f := newFixture(b)
	id := f.node(b, f.a, "Todo", map[string]any{"title": "buy milk", "done": false})
	b.ReportAllocs()
	for b.Loop() {
		tx := f.g.Begin(app, f.a)
		if _, err := tx.Get(id); err != nil {
			b.Fatal(err)
		}
		tx.Rollback()
	}
}
