package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/host"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/build"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/sandbox"
)

// The memory section's reference: jac-scale 0.2.31 serving the peer app
// with ~1 500 todos stored, as ../shared/peer/measure.sh recorded it on the
// bench machine. Running jac-scale here would take minutes; its figure is
// a constant, not measured in this run.
const (
	jacScaleRSS   = 180 << 20
	memTodos      = 1500
	fullSpeedTime = 30 * time.Second
)

// memoryReport prints issue 14's targets 1 and 3: the host's memory after
// the peer workload at jac-scale's data volume, split into anonymous and
// file-backed pages; private memory per warm instance; and what fresh state
// costs per call and in throughput against pooled instances.
func memoryReport(hello []byte, dur time.Duration, conns int) error {
	dir, err := os.MkdirTemp("", "walkerbench-mem-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	peer := filepath.Join(dir, "peer.wasm")
	if err := build.Package(context.Background(), goPeer, ".", peer); err != nil {
		return err
	}
	wasm, err := os.ReadFile(peer)
	if err != nil {
		return err
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("memory (issue 14 targets 1 and 3), load average %s\n", strings.Join(strings.Fields(string(load))[:3], " "))
	if err := newInstanceMemory(wasm); err != nil {
		return err
	}
	if err := hostMemory(wasm, conns); err != nil {
		return err
	}
	return freshCosts(hello, wasm, dir, dur, conns)
}

// rollup is the process's resident memory by kind.
type rollup struct{ anon, file, shmem, heap, goSys int64 }

func readRollup() rollup {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	status := "/proc/self/status"
	return rollup{anon: procField("/proc/self/smaps_rollup", "Anonymous:"), file: procField(status, "RssFile:"),
		shmem: procField(status, "RssShmem:"), heap: int64(ms.HeapInuse), goSys: int64(ms.Sys)}
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// hostMemory serves the peer module, stores memTodos todos for one user,
// runs ping and list_todos, and prints the process's memory; then again
// after fullSpeedTime of the three walkers at full speed.
func hostMemory(wasm []byte, conns int) error {
	base := readRollup()
	cfg, cleanup, err := benchConfig()
	if err != nil {
		return err
	}
	defer cleanup()
	cfg.LogRequests = false
	h, err := host.Open(context.Background(), cfg, "peer", wasm, quietLog())
	if err != nil {
		return err
	}
	defer h.Close()
	m := h.Module()
	addr, stop, err := serve(h.Handler())
	if err != nil {
		return err
	}
	defer stop()
	tok, err := register(addr, "mem")
	if err != nil {
		return err
	}
	for n := range memTodos {
		if err := postOnce(addr, "/walker/create_todo", tok, fmt.Sprintf(`{"title":"todo %d"}`, n)); err != nil {
			return err
		}
	}
	req := func(path, body string) func(*fasthttp.Request) {
		return func(r *fasthttp.Request) {
			r.SetRequestURI("http://bench" + path)
			r.Header.SetMethod("POST")
			r.Header.SetContentType("application/json")
			r.Header.Set("Authorization", "Bearer "+tok)
			r.SetBodyString(body)
		}
	}
	ping, create, list := req("/walker/ping", `{"n":1}`), req("/walker/create_todo", `{"title":"more"}`), req("/walker/list_todos", `{}`)
	load(addr, conns, 3*time.Second, ping)
	load(addr, conns, 3*time.Second, list)
	fmt.Printf("  the peer module (Go guest) in this process, which also runs the load generator; the process before the host: %.1f MiB anonymous\n", mib(base.anon))
	fmt.Printf("  %-44s %9s %9s %9s %9s %9s %10s %12s\n", "after", "todos", "anon MiB", "file MiB", "shmem MiB", "Go heap", "instances", "private/inst")
	show := func(when string, todos int) rollup {
		r := readRollup()
		n, private := m.PrivateMemory()
		fmt.Printf("  %-44s %9d %9.1f %9.1f %9.1f %9.1f %10d %12.2f\n", when, todos, mib(r.anon), mib(r.file), mib(r.shmem), mib(r.heap), n, mib(private/int64(max(n, 1))))
		return r
	}
	std := show(fmt.Sprintf("%d creates, 3 s ping, 3 s list_todos", memTodos), memTodos)
	if path := os.Getenv("WALKERBENCH_HEAPPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	load(addr, conns, fullSpeedTime/3, ping)
	created := load(addr, conns, fullSpeedTime/3, create).reqs
	load(addr, conns, fullSpeedTime/3, list)
	full := show(fmt.Sprintf("then %s: ping, create_todo, list_todos", fullSpeedTime), memTodos+created)
	debug.FreeOSMemory() // what of it is live, and what garbage the Go runtime keeps
	show("then the Go runtime's free pages returned", memTodos+created)
	fmt.Printf("  jac-scale at ~%d todos: %.0f MiB RSS (recorded by ../shared/peer/measure.sh, not measured in this run)\n", memTodos, mib(jacScaleRSS))
	for _, r := range []struct {
		name string
		r    rollup
	}{{"standard load", std}, {"after full speed", full}} {
		fmt.Printf("    anonymous memory / jac-scale RSS, %-17s %.2f  (target <= 0.5)   file-backed %.1f MiB and shmem %.1f MiB apart\n",
			r.name+":", float64(r.r.anon)/jacScaleRSS, mib(r.r.file), mib(r.r.shmem))
	}
	fmt.Printf("    of the anonymous memory: Go runtime %.1f MiB (heap in use %.1f); the rest is outside the Go heap (compiled code, instance memories)\n",
		mib(full.goSys), mib(full.heap))
	n, private := m.PrivateMemory()
	if private >= 0 && n > 0 {
		fmt.Printf("  per warm instance (%d idle after the load): %.2f MiB of linear memory private  (target <= 1 MiB, ratio %.2f)\n",
			n, mib(private/int64(n)), mib(private/int64(n)))
	} else {
		fmt.Printf("  per warm instance: private pages not readable here\n")
	}
	return nil
}

// newInstanceMemory grows a pool by 50 instances and prints the anonymous
// memory each costs: its share of the snapshot it wrote, wazero's
// structures (tables, function instances) and the host's.
func newInstanceMemory(wasm []byte) error {
	const n = 50
	ctx := context.Background()
	cfg := config.Default()
	limits := sandbox.Limits{Timeout: 10 * time.Second, MemoryMB: cfg.MemoryLimitMB, MaxReportBytes: cfg.MaxReportBytes,
		MaxHostCalls: cfg.MaxHostCalls, MaxHandles: cfg.MaxHandles, MaxLogBytes: cfg.MaxLogBytes, PoolSize: n + 1}
	eng, err := sandbox.NewEngine(ctx, sandbox.Options{Limits: limits, Logger: quietLog()})
	if err != nil {
		return err
	}
	defer eng.Close(ctx)
	m, err := eng.Load(ctx, "peer", wasm)
	if err != nil {
		return err
	}
	defer m.Close(ctx)
	debug.FreeOSMemory()
	before := readRollup()
	start := time.Now()
	if err := m.Warm(ctx, n+1); err != nil {
		return err
	}
	took := time.Since(start)
	debug.FreeOSMemory()
	after := readRollup()
	fmt.Printf("  new instance of the peer module, mean of %d: %.0f µs, %.2f MiB anonymous, %.2f MiB Go heap each (target <= 1 MiB private);\n",
		n, float64(took.Microseconds())/n, mib((after.anon-before.anon)/n), mib((after.heap-before.heap)/n))
	fmt.Printf("    once per module: %.1f MiB of snapshot and data image (%.1f MiB of it resident in this process's mappings)\n",
		mib(m.ImageBytes()), mib(after.shmem))
	return nil
}

// freshCosts prints fresh state's cost on hello's greet and the peer's
// list_todos over 100 todos: per call (Module.Call, no HTTP) and in
// throughput over HTTP, each against pooled instances in the same run.
func freshCosts(hello, peer []byte, dir string, dur time.Duration, conns int) error {
	ctx := context.Background()
	fmt.Printf("  limits.fresh_state against pooled instances (target: <= 300 µs extra per call, >= 0.7x the throughput)\n")
	fmt.Printf("    %-26s %12s %12s %10s %12s %12s %8s\n", "walker", "pooled µs", "fresh µs", "extra µs", "pooled r/s", "fresh r/s", "ratio")
	for _, w := range []struct {
		name, module, walker, path, body string
		wasm                             []byte
		todos                            int
	}{
		{"hello greet", "hello", "greet", helloPath, "", hello, 0},
		{"list_todos over 100 todos", "peer", "list_todos", "/walker/list_todos", `{}`, peer, 100},
	} {
		var us [2]float64
		for i, fresh := range []bool{false, true} {
			c, err := callCost(ctx, w.wasm, filepath.Join(dir, fmt.Sprint(w.module, fresh)), w.walker, w.todos, fresh)
			if err != nil {
				return err
			}
			us[i] = c
		}
		var res [2][]loadResult
		var reqs [2]func(*fasthttp.Request)
		var addrs [2]string
		for i, fresh := range []bool{false, true} {
			addr, stop, err := serveHost(w.module, w.wasm, func(c *config.Config) { c.LogRequests, c.FreshState = false, fresh })
			if err != nil {
				return err
			}
			defer stop()
			tok, err := register(addr, "fresh")
			if err != nil {
				return err
			}
			for n := range w.todos {
				if err := postOnce(addr, "/walker/create_todo", tok, fmt.Sprintf(`{"title":"todo %d"}`, n)); err != nil {
					return err
				}
			}
			addrs[i], reqs[i] = addr, func(r *fasthttp.Request) {
				r.SetRequestURI("http://bench" + w.path)
				if w.body != "" {
					r.Header.SetMethod("POST")
					r.Header.SetContentType("application/json")
					r.Header.Set("Authorization", "Bearer "+tok)
					r.SetBodyString(w.body)
				}
			}
			load(addr, conns, dur/8, reqs[i]) // warm-up
		}
		for range 2 {
			for i := range 2 {
				res[i] = append(res[i], load(addrs[i], conns, dur/2, reqs[i]))
			}
		}
		p, f := best(res[0]), best(res[1])
		fmt.Printf("    %-26s %12.1f %12.1f %10.1f %12.0f %12.0f %8.2f\n", w.name, us[0], us[1], us[1]-us[0], p.rps, f.rps, f.rps/p.rps)
	}
	return nil
}

// callCost is Module.Call of walker, with its graph transaction, in µs
// per call, on a module loaded with or without fresh state, after todos
// create_todo calls.
func callCost(ctx context.Context, wasm []byte, dir, walker string, todos int, fresh bool) (float64, error) {
	cfg := config.Default()
	limits := sandbox.Limits{Timeout: 10 * time.Second, MemoryMB: cfg.MemoryLimitMB, MaxReportBytes: cfg.MaxReportBytes,
		MaxHostCalls: cfg.MaxHostCalls, MaxHandles: cfg.MaxHandles, MaxLogBytes: cfg.MaxLogBytes, PoolSize: 4, FreshState: fresh}
	eng, err := sandbox.NewEngine(ctx, sandbox.Options{Limits: limits, Logger: quietLog()})
	if err != nil {
		return 0, err
	}
	defer eng.Close(ctx)
	m, err := eng.Load(ctx, "m", wasm)
	if err != nil {
		return 0, err
	}
	defer m.Close(ctx)
	db, err := store.Open(dir)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	g := graph.New(db)
	root, err := g.CreateRoot("bench")
	if err != nil {
		return 0, err
	}
	call := func(name string, fields map[string]any, commit bool) error {
		enc, _ := abi.AppendMap(nil, fields)
		tx := g.Begin("bench", graph.Caller{Root: root})
		_, err := m.Call(ctx, &sandbox.Request{Kind: abi.KindWalker, Name: name, Tx: tx, Root: root, Fields: enc}, nil)
		if err != nil || !commit {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	}
	for n := range todos {
		if err := call("create_todo", map[string]any{"title": fmt.Sprint("todo ", n)}, true); err != nil {
			return 0, err
		}
	}
	fields := map[string]any{}
	if walker == "greet" {
		fields["name"] = "bench"
	}
	var callErr error
	best := 0.0
	for range 3 {
		us, _ := micros(func(b *testing.B) {
			for b.Loop() {
				if err := call(walker, fields, false); err != nil {
					callErr = err
				}
			}
		})
		if best == 0 || us < best {
			best = us
		}
	}
	return best, callErr
}
