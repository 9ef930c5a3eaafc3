package sandbox

import (
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Guest code is native code the Go scheduler cannot preempt: a call that
// spins owns its core until it returns or checks in at an injected yield
// (every wasmrewrite.YieldEvery loop iterations). The yields are where the
// cores are shared: docs/ISOLATION.md gives the policy and its figures.
const (
	// shortCall is how long a call runs freely. Past it the call is long
	// and runs only while it holds a core.
	shortCall = time.Millisecond
	// quantum is one turn on a core. At its end a long call hands the core
	// to a waiting call, or gives the Go scheduler a chance to run others.
	quantum = time.Millisecond
	// usageHalfLife is how fast an app's recent processor use is forgotten.
	usageHalfLife = time.Second
)

// cores hands out the cores long calls may run on, a quantum at a time,
// to the waiting call whose app used the least processor time lately.
// Short calls never wait, and by default long calls get one core fewer than
// GOMAXPROCS, so that the network, the HTTP layer and short calls always
// have a core even when several apps' walkers spin.
type cores struct {
	mu      sync.Mutex
	free    int
	waiting []*waiter // few: at most the calls in flight, oldest first
	usage   map[string]*appUsage
}

type appUsage struct {
	ns float64 // processor time, decayed with usageHalfLife
	at time.Time
}

// waiter is a long call waiting for a core; ready receives the core.
type waiter struct {
	app   string
	ready chan struct{}
}

// coreCounts count, for one module, the calls that became long and the
// times one waited for a core.
type coreCounts struct{ long, waits atomic.Int64 }

// turn is where one call stands with the cores.
type turn struct {
	app     string
	counts  *coreCounts
	start   time.Time // when the call began
	since   time.Time // when its current turn began, if holding
	long    bool
	holding bool
}

// newCores shares n cores among long calls; n <= 0 means one fewer than
// GOMAXPROCS, at least one.
func newCores(n int) *cores {
	if n <= 0 {
		n = max(1, runtime.GOMAXPROCS(0)-1)
	}
	return &cores{free: n, usage: map[string]*appUsage{}}
}

// begin starts a call's accounting.
func (t *turn) begin(app string, counts *coreCounts, now time.Time) {
	*t = turn{app: app, counts: counts, start: now}
}

// yield is the call's check-in from guest code. deadline is the call's
// time limit: a call waiting for a core stops waiting then, and traps at
// its next loop.
func (c *cores) yield(t *turn, deadline time.Time) {
	now := time.Now()
	if !t.holding {
		if !t.long {
			if now.Sub(t.start) < shortCall {
				return
			}
			t.long = true
			t.counts.long.Add(1)
		}
		c.acquire(t, deadline)
		return
	}
	if now.Sub(t.since) < quantum {
		return
	}
	c.mu.Lock()
	c.charge(t.app, now.Sub(t.since), now)
	if len(c.waiting) == 0 {
		c.mu.Unlock()
		t.since = now
		runtime.Gosched() // let the goroutines queued behind this one run
		return
	}
	c.grant(now) // the core goes to the next call, and this one waits its turn
	t.holding = false
	c.mu.Unlock()
	c.acquire(t, deadline)
}

// acquire waits until t holds a core or the deadline passes.
func (c *cores) acquire(t *turn, deadline time.Time) {
	c.mu.Lock()
	if c.free > 0 && len(c.waiting) == 0 {
		c.free--
		c.mu.Unlock()
		t.holding, t.since = true, time.Now()
		return
	}
	t.counts.waits.Add(1)
	w := &waiter{app: t.app, ready: make(chan struct{}, 1)}
	c.waiting = append(c.waiting, w)
	c.mu.Unlock()
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case <-w.ready:
	case <-timer.C:
		c.mu.Lock()
		i := slices.Index(c.waiting, w)
		if i >= 0 {
			c.waiting = append(c.waiting[:i], c.waiting[i+1:]...)
		}
		c.mu.Unlock()
		if i >= 0 {
			return // out of time; the interrupt flag ends the call
		}
		<-w.ready // granted as the timer fired
	}
	t.holding, t.since = true, time.Now()
}

// release passes the call's core on, if it holds one: when the call ends,
// and when it enters a host function, which may block on a server. A long
// call takes a core again at its next yield.
func (c *cores) release(t *turn) {
	if !t.holding {
		return
	}
	now := time.Now()
	c.mu.Lock()
	c.charge(t.app, now.Sub(t.since), now)
	c.grant(now)
	c.mu.Unlock()
	t.holding = false
}

// grant gives a core that is being let go to the waiter whose app used
// the least time lately (the earliest of equals), or frees it. c.mu is held.
func (c *cores) grant(now time.Time) {
	if len(c.waiting) == 0 {
		c.free++
		return
	}
	best := 0
	bestUse := c.used(c.waiting[0].app, now)
	for i, w := range c.waiting[1:] {
		if u := c.used(w.app, now); u < bestUse {
			best, bestUse = i+1, u
		}
	}
	w := c.waiting[best]
	c.waiting = append(c.waiting[:best], c.waiting[best+1:]...)
	w.ready <- struct{}{}
}

// charge adds d to app's recent use. c.mu is held.
func (c *cores) charge(app string, d time.Duration, now time.Time) {
	u := c.usage[app]
	if u == nil {
		u = &appUsage{at: now}
		c.usage[app] = u
	}
	u.ns = c.used(app, now) + float64(d)
	u.at = now
}

// used is app's recent use, decayed to now. c.mu is held.
func (c *cores) used(app string, now time.Time) float64 {
	u := c.usage[app]
	if u == nil {
		return 0
	}
	return u.ns * math.Exp2(-float64(now.Sub(u.at))/float64(usageHalfLife))
}
