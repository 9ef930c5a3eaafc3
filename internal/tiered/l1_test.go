package tiered

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestL1_FillAfterInvalidation checks the rule that makes L1 safe: a value
// read before an invalidation never lands in the cache after it.
func TestL1_FillAfterInvalidation(t *testing.T) {
	c := newL1(1<<20, time.Minute)
	const keys = 4
	var truth, acked [keys]atomic.Uint64
	stop := make(chan struct{})
	var writers sync.WaitGroup
	for w := range keys {
		writers.Go(func() { // writer of key w
			for {
				select {
				case <-stop:
					return
				default:
				}
				v := truth[w].Add(1)
				c.invalidate("b", []byte{byte(w)}, v)
				acked[w].Store(v)
				runtime.Gosched()
			}
		})
	}
	var readers sync.WaitGroup
	for r := range 4 {
		readers.Go(func() { // fills like a read through L2 and L3
			for i := range 20000 {
				k := byte((r + i) % keys)
				ck := cacheKey("b", []byte{k})
				tok := c.token(ck)
				v := truth[k].Load()
				runtime.Gosched()
				c.fill(ck, l1Item{seq: v, present: true, at: time.Now()}, tok)
			}
		})
		readers.Go(func() { // checks
			for i := range 20000 {
				k := byte((r + i) % keys)
				floor := acked[k].Load()
				if it, ok := c.get(cacheKey("b", []byte{k})); ok && it.seq < floor {
					t.Errorf("key %d: cached version %d after %d was invalidated", k, it.seq, floor)
					return
				}
			}
		})
	}
	readers.Wait()
	close(stop)
	writers.Wait()
	for k := range keys {
		if truth[k].Load() == 0 {
			t.Fatalf("writer %d never ran", k)
		}
	}
}

func TestL1_Eviction(t *testing.T) {
	c := newL1(64<<10, time.Minute)
	for i := range 10000 {
		k := cacheKey("b", fmt.Appendf(nil, "k%05d", i))
		c.fill(k, l1Item{val: make([]byte, 100), present: true, at: time.Now()}, c.token(k))
	}
	var total int64
	for i := range c.shards {
		total += c.shards[i].bytes
	}
	if total > 64<<10 {
		t.Fatalf("cache holds %d bytes, cap %d", total, 64<<10)
	}
}

func TestL1_MaxAge(t *testing.T) {
	c := newL1(1<<20, 20*time.Millisecond)
	k := cacheKey("b", []byte("k"))
	c.fill(k, l1Item{present: true, at: time.Now().Add(-time.Second)}, c.token(k))
	if _, ok := c.get(k); ok {
		t.Fatal("served an entry older than maxAge")
	}
}

func TestL1_ScanInvalidation(t *testing.T) {
	tests := []struct {
		name, prefix, key string
		dropped           bool
	}{
		{"key under prefix", "ab", "abc", true},
		{"key equal to prefix", "ab", "ab", true},
		{"whole bucket", "", "zz", true},
		{"other prefix", "ab", "ac", false},
		{"shorter key", "abc", "ab", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newL1(1<<20, time.Minute)
			c.scans.fill("b", []byte(tc.prefix), []kv{{k: []byte(tc.prefix + "x")}}, c.scans.token("b"))
			c.invalidate("b", []byte(tc.key), 1)
			_, ok := c.scans.get("b", []byte(tc.prefix), time.Minute)
			if ok == tc.dropped {
				t.Fatalf("scan cached: %v, want dropped: %v", ok, tc.dropped)
			}
			c.scans.fill("b", []byte("other"), nil, scanToken{})
			if _, ok := c.scans.get("b", []byte("other"), time.Minute); ok {
				t.Fatal("a fill with a token from before the invalidation landed")
			}
		})
	}
}

// TestSyncer_Hammer checks that wait returns only after a read that began
// after the call, and that concurrent callers share reads.
func TestSyncer_Hammer(t *testing.T) {
	var starts, finished atomic.Uint64
	errOdd := errors.New("odd read")
	y := newSyncer(func() error {
		n := starts.Add(1)
		time.Sleep(200 * time.Microsecond)
		finished.Store(n)
		if n%7 == 0 {
			return errOdd
		}
		return nil
	})
	const callers, calls = 16, 200
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			for range calls {
				before := starts.Load()
				err := y.wait()
				got := finished.Load()
				if got <= before {
					t.Errorf("wait returned after read %d, which began before the call (%d had begun)", got, before)
					return
				}
				if err != nil && !errors.Is(err, errOdd) {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := starts.Load(); n >= callers*calls {
		t.Fatalf("%d reads for %d calls: reads are not shared", n, callers*calls)
	}
}
