package tiered

import (
	"errors"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/host/store/storetest"
	"github.com/walkerhost/walkerhost/internal/dbserver"
)

// TestRedisRestart kills Redis under two running stores and starts it again
// empty: reads keep being served from MongoDB, writes are refused while it
// is away, nothing stale is read afterwards, and the cache fills again.
func TestRedisRestart(t *testing.T) {
	r, err := dbserver.StartRedis()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	o := testOptions(t, database(t), true)
	o.RedisURL = r.URL
	o.WriteWait = 500 * time.Millisecond
	a, _ := openDB(t, o)
	b, sb := openDB(t, o)
	storetest.Put(t, a, "app", "kind", "k", "1")
	for range 3 {
		if got := storetest.Get(t, b, "app", "kind", "k"); got != "1" {
			t.Fatalf("before: got %q", got)
		}
	}

	r.Kill()
	start := time.Now()
	for i, db := range []*store.DB{a, b} {
		if got := storetest.Get(t, db, "app", "kind", "k"); got != "1" {
			t.Fatalf("redis down: store %d read %q", i, got)
		}
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("reads with redis down took %s", took)
	}
	err = a.Update(func(tx *store.Tx) error { return tx.Bucket("app", "kind").Put([]byte("k"), []byte("lost")) })
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("write with redis down: got %v, want %v", err, ErrUnavailable)
	}

	if err := r.Restart(); err != nil {
		t.Fatal(err)
	}
	before := sb.Stats()
	storetest.Put(t, a, "app", "kind", "k", "2")
	for i, db := range []*store.DB{a, b} {
		if got := storetest.Get(t, db, "app", "kind", "k"); got != "2" {
			t.Fatalf("after restart: store %d read %q, want %q", i, got, "2")
		}
	}
	storetest.Put(t, b, "app", "kind", "other", "x")
	for range 3 {
		storetest.Get(t, b, "app", "kind", "other") // L1
	}
	sb.l1.flush() // make b ask Redis again
	storetest.Get(t, b, "app", "kind", "k")
	after := sb.Stats()
	if after.L2Hits <= before.L2Hits || after.Flushes <= before.Flushes {
		t.Fatalf("stats before %+v, after %+v: want more L2 hits and a flush", before, after)
	}
}
