package attack

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Greetings is what the well-behaved client saw of app good.
type Greetings struct {
	Calls     int
	Failures  []string // the first few
	Latencies []time.Duration
}

// P returns the q-th quantile (0..1) of the latencies.
func (g Greetings) P(q float64) time.Duration {
	if len(g.Latencies) == 0 {
		return 0
	}
	l := slices.Clone(g.Latencies)
	slices.Sort(l)
	return l[min(len(l)-1, int(q*float64(len(l))))]
}

// Greet calls app good's hello walker from conns closed-loop clients (from
// the default loopback address) until ctx is done. Every call must answer
// 200 with its greeting.
func Greet(ctx context.Context, base string, conns int) Greetings {
	c := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
	var mu sync.Mutex
	var g Greetings
	var wg sync.WaitGroup
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			var fails []string
			for n := 0; ctx.Err() == nil; n++ {
				name := fmt.Sprintf("c%dn%d", i, n)
				start := time.Now()
				err := greet(c, base, name)
				if ctx.Err() != nil { // cut short by the end of the phase
					break
				}
				lat = append(lat, time.Since(start))
				if err != nil {
					fails = append(fails, err.Error())
				}
			}
			mu.Lock()
			g.Calls += len(lat)
			g.Latencies = append(g.Latencies, lat...)
			if room := 10 - len(g.Failures); room > 0 {
				g.Failures = append(g.Failures, fails[:min(room, len(fails))]...)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	c.CloseIdleConnections()
	return g
}

func greet(c *http.Client, base, name string) error {
	resp, err := c.Get(base + "/apps/good/hello?name=" + name)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != 200 || !strings.Contains(b.String(), `"Hello, `+name+`!"`) {
		return fmt.Errorf("greeting %s: %d %.200s", name, resp.StatusCode, b.String())
	}
	return nil
}

// Result is what one attack did to the host.
type Result struct {
	Attack   string
	Good     Greetings
	Breach   error    // the attack's: an answer outside the contract
	Health   []string // /healthz probes that failed, the first few
	Exited   string   // how the process ended, when it did
	PeakRSS  int64    // the host's largest resident memory seen
	Finished bool     // the attack returned within a minute of its end
}

// RunOne runs attack a against t for d while conns clients greet app good
// and /healthz is probed every 100 ms.
func RunOne(ctx context.Context, h *Host, t Target, a Attack, d time.Duration, conns int) Result {
	r := Result{Attack: a.Name}
	phase, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	attackDone := make(chan error, 1)
	go func() { attackDone <- a.Run(phase, t) }()
	greeted := make(chan Greetings, 1)
	go func() { greeted <- Greet(phase, h.Base, conns) }()

	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for phase.Err() == nil {
		select {
		case <-phase.Done():
		case <-tick.C:
			r.sample(phase, h)
		}
	}
	r.Good = <-greeted
	select {
	case r.Breach = <-attackDone:
		r.Finished = true
	case <-time.After(time.Minute):
	}
	r.sample(ctx, h)
	return r
}

// sample probes the host once: alive, healthy, its memory.
func (r *Result) sample(ctx context.Context, h *Host) {
	if exited, how := h.Exited(); exited {
		r.Exited = how
		return
	}
	if rss, err := h.RSS(); err == nil {
		r.PeakRSS = max(r.PeakRSS, rss)
	}
	probe, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := h.Probe(probe); err != nil && len(r.Health) < 10 {
		r.Health = append(r.Health, err.Error())
	}
}
