package store

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestObserve checks what the observer is told: one update per read-write
// transaction, one batch per Batch call (and the group commits it ran as
// updates), from concurrent writers.
func TestObserve(t *testing.T) {
	db, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mu sync.Mutex
	counts := map[string]int{}
	db.Observe(func(op string, took time.Duration) {
		if took < 0 {
			t.Errorf("%s took %v", op, took)
		}
		mu.Lock()
		counts[op]++
		mu.Unlock()
	})
	const writers = 8
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := []byte{byte(i)}
			if err := db.Batch(func(tx *Tx) error { return tx.Bucket("app", "b").Put(key, key) }); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if err := db.Update(func(tx *Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if counts[OpBatch] != writers {
		t.Fatalf("batch observed %d times, want %d", counts[OpBatch], writers)
	}
	if n := counts[OpUpdate]; n < 2 || n > writers+1 {
		t.Fatalf("update observed %d times, want 1 plus 1..%d group commits", n, writers)
	}
}

func TestPing(t *testing.T) {
	db, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(context.Background()); err != nil {
		t.Fatalf("open store: %v", err)
	}
	db.Close()
	if err := db.Ping(context.Background()); err == nil {
		t.Fatal("closed store answered the ping")
	}
}
