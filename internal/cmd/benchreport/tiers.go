package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/host"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/dbserver"
	"github.com/walkerhost/walkerhost/internal/tiered"
)

// tierReport measures the todo module's walkers over HTTP on the embedded
// store and on Redis + MongoDB (FerretDB), both servers started here, in
// interleaved rounds, with the tiered store's cache counters.
func tierReport(todo []byte, dur time.Duration, rounds, conns int) error {
	redis, err := dbserver.StartRedis()
	if err != nil {
		return err
	}
	defer redis.Stop()
	mongo, err := dbserver.StartMongo()
	if err != nil {
		return err
	}
	defer mongo.Stop()
	var tiers []*tierHost
	defer func() {
		for _, t := range tiers {
			t.close()
		}
	}()
	for _, tc := range []struct {
		name string
		set  func(*config.Config)
	}{
		{"embedded (bbolt)", func(*config.Config) {}},
		{"Redis + MongoDB (FerretDB)", func(c *config.Config) { c.RedisURL, c.MongoURI = redis.URL, mongo.URL+"bench" }},
	} {
		t, err := openTier(tc.name, tc.set, todo)
		if err != nil {
			return fmt.Errorf("%s: %w", tc.name, err)
		}
		tiers = append(tiers, t)
	}
	fmt.Printf("Store tiers: todo walkers over loopback HTTP, %d connections, %d interleaved rounds of %s (best round shown)\n", conns, rounds, dur)
	fmt.Printf("  %-28s %-30s %9s %9s %9s %7s  %s\n", "store", "walker", "req/s", "p50", "p99", "errors", "tiered store during the runs")
	walkers := []struct {
		name, method, path, body string
	}{
		{"list_todos (10 todos, read)", "GET", "/walker/list_todos", ""},
		{"create_todo (write)", "POST", "/walker/create_todo", `{"title":"bench"}`},
	}
	for i, w := range walkers {
		if i == 1 {
			// Before the writes grow the collections.
			if err := crossHost(tiers[1], todo, dur, conns); err != nil {
				return err
			}
		}
		runWalker(tiers, w.name, walkerRequest(w.method, w.path, w.body, ""), dur, rounds, conns)
	}
	fmt.Println()
	return nil
}

// runWalker runs req, given each tier's token, in interleaved rounds and
// prints the best round of each tier.
func runWalker(tiers []*tierHost, name string, req func(*fasthttp.Request), dur time.Duration, rounds, conns int) {
	res := make([][]loadResult, len(tiers))
	stats := make([]tiered.Stats, len(tiers))
	reqOf := func(t *tierHost) func(*fasthttp.Request) {
		return func(r *fasthttp.Request) {
			req(r)
			r.Header.Set("Authorization", "Bearer "+t.token)
		}
	}
	for _, t := range tiers {
		load(t.addr, conns, dur/4, reqOf(t)) // warm-up
	}
	for range rounds {
		for i, t := range tiers {
			before, _ := t.h.TierStats()
			res[i] = append(res[i], load(t.addr, conns, dur, reqOf(t)))
			after, _ := t.h.TierStats()
			stats[i] = addStats(stats[i], before, after)
		}
	}
	for i, t := range tiers {
		printRow(t, name, best(res[i]), t.counters(stats[i]))
	}
}

// printRow prints one line of the tier table.
func printRow(t *tierHost, walker string, r loadResult, counters string) {
	fmt.Printf("  %-28s %-30s %9.0f %9s %9s %7d  %s\n", t.name, walker, r.rps,
		r.p50.Round(time.Microsecond), r.p99.Round(time.Microsecond), r.errors, counters)
}

// crossHost measures list_todos on a second host of the tiered store while
// the first host updates one of the listed todos: each update invalidates
// that todo in the reader's L1, which reads it again from Redis.
func crossHost(writer *tierHost, todo []byte, dur time.Duration, conns int) error {
	token, err := benchUserNamed(writer.addr, "bench2")
	if err != nil {
		return err
	}
	id, err := seedTodos(writer.addr, token)
	if err != nil {
		return err
	}
	reader, err := openTierHost("Redis + MongoDB, 2nd host", writer.cfg, todo, token)
	if err != nil {
		return err
	}
	defer reader.close()
	list := walkerRequest("GET", "/walker/list_todos", "", token)
	load(reader.addr, conns/2, dur/4, list) // warm-up
	before, _ := reader.h.TierStats()
	done := make(chan loadResult)
	go func() {
		done <- load(writer.addr, conns/2, dur, walkerRequest("POST", "/walker/update_todo", `{"id":"`+id+`","title":"updated"}`, token))
	}()
	r := load(reader.addr, conns/2, dur, list)
	w := <-done
	after, _ := reader.h.TierStats()
	printRow(reader, "list_todos, 1st host updating", r, reader.counters(addStats(tiered.Stats{}, before, after)))
	printRow(writer, "update_todo, meanwhile", w, "")
	return nil
}

// seedTodos creates 10 todos for token's user and returns the id of one.
func seedTodos(addr, token string) (string, error) {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	var id string
	for range 10 {
		req.Reset()
		walkerRequest("POST", "/walker/create_todo", `{"title":"seed"}`, token)(req)
		if err := fasthttp.Do(withHost(req, addr), resp); err != nil {
			return "", err
		}
		var env struct {
			Data struct {
				Reports []struct {
					ID string `json:"_jac_id"`
				} `json:"reports"`
			} `json:"data"`
		}
		if err := json.Unmarshal(resp.Body(), &env); err != nil || len(env.Data.Reports) != 1 {
			return "", fmt.Errorf("create_todo: %d %s", resp.StatusCode(), resp.Body())
		}
		id = env.Data.Reports[0].ID
	}
	return id, nil
}

// tierHost is a host serving the todo module on one store tier, with a
// user that has 10 todos.
type tierHost struct {
	name, addr, token, dir string
	cfg                    config.Config
	h                      *host.Host
	stop, cleanup          func()
}

func openTier(name string, set func(*config.Config), todo []byte) (*tierHost, error) {
	cfg, cleanup, err := benchConfig()
	if err != nil {
		return nil, err
	}
	set(&cfg)
	t, err := openTierHost(name, cfg, todo, "")
	if err != nil {
		cleanup()
		return nil, err
	}
	t.cleanup = cleanup
	if _, err = seedTodos(t.addr, t.token); err != nil {
		t.close()
		return nil, err
	}
	return t, nil
}

// openTierHost serves the todo module with cfg in a data directory of its
// own, for the user of token, or a new user when token is empty.
func openTierHost(name string, cfg config.Config, todo []byte, token string) (*tierHost, error) {
	dir, err := os.MkdirTemp("", "walkerbench-")
	if err != nil {
		return nil, err
	}
	cfg.DataDir = dir
	t := &tierHost{name: name, token: token, cfg: cfg, cleanup: func() {}, stop: func() {}}
	defer func() {
		if err != nil {
			t.close()
		}
	}()
	t.dir = dir
	if t.h, err = host.Open(context.Background(), cfg, "todo", todo, quietLog()); err != nil {
		return nil, err
	}
	if err := t.h.Module().Warm(context.Background(), cfg.PoolSize); err != nil {
		t.close()
		return nil, err
	}
	if t.addr, t.stop, err = serve(t.h.Handler()); err != nil {
		return nil, err
	}
	if t.token == "" {
		if t.token, err = benchUser(t.addr); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func (t *tierHost) close() {
	t.stop()
	if t.h != nil {
		t.h.Close()
	}
	os.RemoveAll(t.dir)
	t.cleanup()
}

// addStats adds what the store did between before and after to sum.
func addStats(sum, before, after tiered.Stats) tiered.Stats {
	sum.L1Hits += after.L1Hits - before.L1Hits
	sum.L1Misses += after.L1Misses - before.L1Misses
	sum.L1ScanHits += after.L1ScanHits - before.L1ScanHits
	sum.L2Hits += after.L2Hits - before.L2Hits
	sum.L2Misses += after.L2Misses - before.L2Misses
	sum.L3Reads += after.L3Reads - before.L3Reads
	sum.L3Scans += after.L3Scans - before.L3Scans
	sum.Commits += after.Commits - before.Commits
	sum.Invalidations += after.Invalidations - before.Invalidations
	return sum
}

// counters describes d, the tiered store's work, or "-" on the embedded
// store.
func (t *tierHost) counters(d tiered.Stats) string {
	if _, ok := t.h.TierStats(); !ok {
		return "-"
	}
	return fmt.Sprintf("L1 hit ratio %.3f (%d hits, %d misses; %d scans from L1), L2 %d of %d, L3 %d reads %d scans, %d commits, %d invalidations",
		d.L1HitRatio(), d.L1Hits, d.L1Misses, d.L1ScanHits, d.L2Hits, d.L2Hits+d.L2Misses, d.L3Reads, d.L3Scans, d.Commits, d.Invalidations)
}

// benchUser registers the user "bench" on the host at addr and returns its
// token.
func benchUser(addr string) (string, error) { return benchUserNamed(addr, "bench") }

// benchUserNamed registers user name on the host at addr and returns its
// token.
func benchUserNamed(addr, name string) (string, error) {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	walkerRequest("POST", "/user/register", `{"username":"`+name+`","password":"bench-pw"}`, "")(req)
	if err := fasthttp.Do(withHost(req, addr), resp); err != nil {
		return "", err
	}
	var env struct {
		Data struct{ Token string } `json:"data"`
	}
	if err := json.Unmarshal(resp.Body(), &env); err != nil || env.Data.Token == "" {
		return "", fmt.Errorf("register: %d %s", resp.StatusCode(), resp.Body())
	}
	return env.Data.Token, nil
}

// walkerRequest returns a load request: method path with a JSON body and a
// Bearer token, either optional.
func walkerRequest(method, path, body, token string) func(*fasthttp.Request) {
	return func(req *fasthttp.Request) {
		req.Header.SetMethod(method)
		req.SetRequestURI("http://bench" + path)
		if body != "" {
			req.Header.SetContentType("application/json")
			req.SetBodyString(body)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
	}
}

func withHost(req *fasthttp.Request, addr string) *fasthttp.Request {
	req.SetRequestURI("http://" + addr + string(req.URI().RequestURI()))
	return req
}
