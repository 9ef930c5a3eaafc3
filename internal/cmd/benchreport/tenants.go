package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/walkerhost/walkerhost/internal/attack"
)

// tenantConns is how many closed-loop clients greet app good.
const tenantConns = 16

// tenantReport runs the hostile-tenant suite (internal/attack) against a
// `jac start` process (bin/jac, built by make bench) and prints app good's
// p99 alone and under each attack on app bad, as a ratio (target <= 2).
func tenantReport(hello, hostile []byte, dur time.Duration) error {
	jac, err := filepath.Abs("bin/jac")
	if err != nil {
		return err
	}
	if _, err := os.Stat(jac); err != nil {
		return fmt.Errorf("the tenants section runs bin/jac: make build first: %w", err)
	}
	dir, err := os.MkdirTemp("", "walkerbench-tenants-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	h, err := attack.Launch(jac, dir, hello, hostile, 1024)
	if err != nil {
		return err
	}
	defer h.Stop()
	ctx := context.Background()
	target := attack.Target{Base: h.Base, App: "bad", Admin: attack.AdminToken, Modules: attack.Bombs(), Valid: hostile, Source: "127.0.0.2"}

	warm, cancel := context.WithTimeout(ctx, dur/4)
	attack.Greet(warm, h.Base, tenantConns)
	cancel()
	phase, cancel := context.WithTimeout(ctx, dur)
	alone := attack.Greet(phase, h.Base, tenantConns)
	cancel()

	fmt.Printf("Hostile tenants: GET /apps/good/hello from %d connections, %s per attack on app bad (a jac start process, 1 024 files)\n", tenantConns, dur)
	fmt.Printf("  %-24s %9s %9s %9s %7s %9s\n", "app good", "calls", "p50", "p99", "p99 ×", "host RSS")
	row := func(name string, g attack.Greetings, rss int64, note string) {
		fmt.Printf("  %-24s %9d %9s %9s %7.2f %6d MiB%s\n", name, g.Calls, g.P(0.5).Round(time.Microsecond),
			g.P(0.99).Round(time.Microsecond), float64(g.P(0.99))/float64(alone.P(0.99)), rss>>20, note)
	}
	rss, _ := h.RSS()
	row("alone", alone, rss, "")
	worst := 0.0
	for _, a := range attack.All() {
		r := attack.RunOne(ctx, h, target, a, dur, tenantConns)
		note := ""
		if r.Exited != "" {
			return fmt.Errorf("the host exited under %q: %s", a.Name, r.Exited)
		}
		if r.Breach != nil || len(r.Good.Failures) > 0 || len(r.Health) > 0 {
			note = "  (contract broken: make test says how)"
		}
		row(a.Name, r.Good, r.PeakRSS, note)
		worst = max(worst, float64(r.Good.P(0.99))/float64(alone.P(0.99)))
	}
	fmt.Printf("  worst p99 ratio: %.2f   (target <= 2)\n\n", worst)
	return nil
}
