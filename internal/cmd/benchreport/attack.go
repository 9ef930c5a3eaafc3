package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/host"
	"github.com/walkerhost/walkerhost/host/config"
)

// attackWalkers are the hostile walkers the attackers cycle through, each
// ended by one of app bad's limits.
var attackWalkers = []string{"spin", "hog", "recurse", "flood", "callflood", "printflood", "panic"}

// attackers is how many closed-loop clients hammer app bad.
const attackers = 8

// attackReport measures app good (hello's greet) alone, then while app bad
// (the hostile guest, with small limits) on the same host is hammered.
func attackReport(hello, hostile []byte, dur time.Duration, conns int) error {
	cfg, cleanup, err := benchConfig()
	if err != nil {
		return err
	}
	defer cleanup()
	bad := cfg
	bad.MemoryLimitMB, bad.RequestTimeout, bad.PoolSize = 32, time.Second, 2
	bad.MaxReportBytes, bad.MaxHostCalls = 256<<10, 10_000
	var apps []config.App
	for _, a := range []struct {
		name   string
		wasm   []byte
		limits config.Config
	}{{"good", hello, cfg}, {"bad", hostile, bad}} {
		path := filepath.Join(cfg.DataDir, a.name+".wasm")
		if err := os.WriteFile(path, a.wasm, 0o644); err != nil {
			return err
		}
		apps = append(apps, config.App{Name: a.name, Module: path, Limits: a.limits})
	}
	cfg.Apps = apps
	h, err := host.Open(context.Background(), cfg, "hello", hello, quietLog())
	if err != nil {
		return err
	}
	defer h.Close()
	addr, stop, err := serve(h.Handler())
	if err != nil {
		return err
	}
	defer stop()

	greet := func(req *fasthttp.Request) { req.SetRequestURI("http://bench/apps/good" + helloPath) }
	load(addr, conns, dur/4, greet) // warm-up
	alone := load(addr, conns, dur, greet)
	var next atomic.Uint64
	attack := func(req *fasthttp.Request) {
		w := attackWalkers[next.Add(1)%uint64(len(attackWalkers))]
		req.Header.SetMethod("POST")
		req.SetRequestURI("http://bench/apps/bad/walker/" + w)
		req.SetBodyString("{}")
	}
	var attacked loadResult
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); attacked = load(addr, conns, dur, greet) }()
	hostileRes := load(addr, attackers, dur, attack) // every answer is an error: that is the attack
	wg.Wait()

	fmt.Printf("Noisy neighbour: GET /apps/good%s, %d connections, %s per phase; app bad (hostile: %s)\n", helloPath, conns, dur, attackWalkers)
	fmt.Printf("  limited to %d MiB, %s, %d instances, hammered by %d clients on the same host\n", bad.MemoryLimitMB, bad.RequestTimeout, bad.PoolSize, attackers)
	fmt.Printf("  %-42s %10s %9s %9s %7s\n", "app good", "req/s", "p50", "p99", "errors")
	printLoad("(a) alone", alone)
	printLoad("(b) while app bad is attacked", attacked)
	fmt.Printf("  hostile requests answered (all refused by a limit or an error): %d\n", hostileRes.errors)
	fmt.Printf("  ratio p99 b/a: %.2f   (target <= 2)\n", float64(attacked.p99)/float64(alone.p99))
	met := metrics(addr)
	for _, app := range []string{"bad", "good"} {
		fmt.Printf("  app %-4s calls that ran long: %s, waits for a core: %s   (docs/ISOLATION.md)\n", app,
			met(`jac_walker_long_calls_total{module="`+app+`"}`), met(`jac_walker_core_waits_total{module="`+app+`"}`))
	}
	fmt.Println()
	return nil
}

// metrics scrapes the host's /metrics once and returns the value of a
// series in it, as printed ("?" when absent).
func metrics(addr string) func(series string) string {
	_, body, _ := fasthttp.Get(nil, "http://"+addr+"/metrics")
	lines := strings.Split(string(body), "\n")
	return func(series string) string {
		for _, line := range lines {
			if v, ok := strings.CutPrefix(line, series+" "); ok {
				return v
			}
		}
		return "?"
	}
}
