package identity

import (
	"context"
	"errors"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/internal/dbserver"
)

var ctx = context.Background()

// ephemerals returns the Ephemeral implementations: in memory, and in a
// Redis server of the test's own (skipped only where redis-server is not
// installed, and never under CI).
func ephemerals(t *testing.T) map[string]Ephemeral {
	t.Helper()
	out := map[string]Ephemeral{"memory": NewMemoryEphemeral()}
	srv, err := dbserver.StartRedis()
	if errors.Is(err, dbserver.ErrMissing) && os.Getenv("CI") != "true" {
		t.Log("redis-server not installed: Redis case skipped")
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	e, closeFn, err := NewRedisEphemeral(srv.URL, "{wh:test}:id:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeFn() })
	out["redis"] = e
	return out
}

func TestEphemeral(t *testing.T) {
	for name, e := range ephemerals(t) {
		t.Run(name, func(t *testing.T) {
			if n, left, err := e.Count(ctx, "absent"); n != 0 || left != 0 || err != nil {
				t.Fatalf("Count(absent) = %d, %v, %v", n, left, err)
			}
			for i := int64(1); i <= 3; i++ {
				n, left, err := e.Add(ctx, "k", time.Minute)
				if err != nil || n != i || left <= 0 || left > time.Minute {
					t.Fatalf("Add #%d = %d, %v, %v", i, n, left, err)
				}
			}
			if n, left, err := e.Count(ctx, "k"); n != 3 || left <= 0 || err != nil {
				t.Fatalf("Count = %d, %v, %v", n, left, err)
			}
			if err := e.Reset(ctx, "k"); err != nil {
				t.Fatal(err)
			}
			if n, _, _ := e.Count(ctx, "k"); n != 0 {
				t.Fatalf("after Reset: %d", n)
			}
			if ok, err := e.Claim(ctx, "sig", time.Minute); !ok || err != nil {
				t.Fatalf("first Claim = %v, %v", ok, err)
			}
			if ok, err := e.Claim(ctx, "sig", time.Minute); ok || err != nil {
				t.Fatalf("second Claim = %v, %v", ok, err)
			}
		})
	}
}

// TestEphemeral_Hammer: concurrent Adds lose no increment, and of
// concurrent Claims of one key exactly one wins.
func TestEphemeral_Hammer(t *testing.T) {
	for name, e := range ephemerals(t) {
		t.Run(name, func(t *testing.T) {
			const n = 64
			var wg sync.WaitGroup
			var mu sync.Mutex
			wins := 0
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, _, err := e.Add(ctx, "count", time.Minute); err != nil {
						t.Error(err)
					}
					ok, err := e.Claim(ctx, "once", time.Minute)
					if err != nil {
						t.Error(err)
					}
					_, _ = e.Claim(ctx, "many"+strconv.Itoa(i), time.Minute)
					if ok {
						mu.Lock()
						wins++
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if c, _, _ := e.Count(ctx, "count"); c != n || wins != 1 {
				t.Fatalf("count %d (want %d), claims won %d (want 1)", c, n, wins)
			}
		})
	}
}

// TestMemoryEphemeral_Expiry: keys expire with their window, and expired
// keys are swept, so the map does not grow without bound.
func TestMemoryEphemeral_Expiry(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	e := NewMemoryEphemeral().(*memEphemeral)
	e.now = func() time.Time { return now }
	e.Add(ctx, "k", time.Minute)
	e.Claim(ctx, "sig", time.Minute)
	now = now.Add(time.Minute)
	if n, _, _ := e.Count(ctx, "k"); n != 0 {
		t.Fatalf("count after the window: %d", n)
	}
	if ok, _ := e.Claim(ctx, "sig", time.Minute); !ok {
		t.Fatal("claim after its ttl refused")
	}
	for i := range 10_000 {
		e.Add(ctx, "flood"+strconv.Itoa(i), time.Second)
		now = now.Add(time.Millisecond)
	}
	if len(e.m) > 4096 {
		t.Fatalf("%d keys kept after a flood of short-lived ones", len(e.m))
	}
}
