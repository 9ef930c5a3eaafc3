package sandbox

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// waitQueued waits until n calls wait for a core.
func waitQueued(t *testing.T, c *cores, n int) {
	t.Helper()
	for {
		c.mu.Lock()
		got := len(c.waiting)
		c.mu.Unlock()
		if got == n {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// long is a call that has run past shortCall without a core yet.
func long(app string) *turn {
	t := &turn{counts: &coreCounts{}}
	t.begin(app, t.counts, time.Now().Add(-2*shortCall))
	return t
}

// TestCores_LeastUsedAppFirst checks the order a freed core goes in: to the
// waiting call whose app used the least time lately, whatever the order of
// arrival, and among calls of one app to the earliest.
func TestCores_LeastUsedAppFirst(t *testing.T) {
	c := newCores(1)
	c.mu.Lock()
	c.charge("busy", 500*time.Millisecond, time.Now())
	c.charge("light", 10*time.Millisecond, time.Now())
	c.mu.Unlock()
	deadline := time.Now().Add(time.Minute)
	holder := long("busy")
	c.yield(holder, deadline)
	if !holder.holding {
		t.Fatal("the first long call did not get the free core")
	}
	order := make(chan string, 3)
	var wg sync.WaitGroup
	for i, app := range []string{"busy", "busy", "light"} {
		wg.Add(1)
		w := long(app)
		go func() {
			defer wg.Done()
			c.yield(w, deadline)
			order <- app + string(rune('0'+i))
			c.release(w)
		}()
		waitQueued(t, c, i+1)
	}
	c.release(holder)
	wg.Wait()
	close(order)
	var got []string
	for s := range order {
		got = append(got, s)
	}
	want := []string{"light2", "busy0", "busy1"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("cores went to %v, want %v", got, want)
		}
	}
	if c.free != 1 {
		t.Fatalf("%d free cores after every call ended, want 1", c.free)
	}
}

// TestCores_WaitEndsAtDeadline checks that a call waiting for a core stops
// waiting at its deadline, without a core, and leaves the queue.
func TestCores_WaitEndsAtDeadline(t *testing.T) {
	c := newCores(1)
	holder, late := long("a"), long("b")
	c.yield(holder, time.Now().Add(time.Minute))
	c.yield(late, time.Now().Add(20*time.Millisecond))
	if late.holding {
		t.Fatal("a call got a core that another holds")
	}
	if n := len(c.waiting); n != 0 {
		t.Fatalf("%d calls still queued after the deadline", n)
	}
	c.release(late) // a call that never got a core gives none back
	c.release(holder)
	if c.free != 1 {
		t.Fatalf("%d free cores, want 1", c.free)
	}
	if got := late.counts.waits.Load(); got != 1 {
		t.Fatalf("waits = %d, want 1", got)
	}
}

// TestCores_ShortCallsNeverWait checks that a call within shortCall runs on
// whatever core it is on, even with every shared core held.
func TestCores_ShortCallsNeverWait(t *testing.T) {
	c := newCores(1)
	holder := long("a")
	c.yield(holder, time.Now().Add(time.Minute))
	short := &turn{}
	short.begin("b", &coreCounts{}, time.Now())
	c.yield(short, time.Now().Add(time.Minute))
	if short.long || short.holding || short.counts.waits.Load() != 0 {
		t.Fatalf("a short call was held up: %+v", short)
	}
}

// TestCores_Hammer has calls of three apps take turns on two cores: never
// more than two run at once, every app gets turns, and every core comes
// back when the calls end.
func TestCores_Hammer(t *testing.T) {
	const n = 2
	c := newCores(n)
	var running, most atomic.Int32
	turns := map[string]*atomic.Int64{"a": {}, "b": {}, "c": {}}
	var wg sync.WaitGroup
	for i := range 12 {
		app := string(rune('a' + i%3))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				tr := long(app)
				deadline := time.Now().Add(time.Minute)
				for end := time.Now().Add(5 * quantum); time.Now().Before(end); {
					c.yield(tr, deadline)
					if !tr.holding {
						t.Error("a call is running without a core before its deadline")
						return
					}
					r := running.Add(1)
					for m := most.Load(); r > m && !most.CompareAndSwap(m, r); m = most.Load() {
					}
					turns[app].Add(1)
					for busy := time.Now().Add(quantum / 10); time.Now().Before(busy); {
					}
					running.Add(-1)
				}
				c.release(tr)
			}
		}()
	}
	wg.Wait()
	if m := most.Load(); m > n {
		t.Fatalf("%d calls ran at once on %d cores", m, n)
	}
	for app, k := range turns {
		if k.Load() == 0 {
			t.Errorf("app %s never ran", app)
		}
	}
	if c.free != n || len(c.waiting) != 0 {
		t.Fatalf("after the calls: %d free, %d waiting; want %d, 0", c.free, len(c.waiting), n)
	}
}
