// Command benchreport prints the performance figures of the walker host in
// one run (make bench): HTTP throughput and latency of the hello walker
// against a native fasthttp handler doing the same work, the same walker
// while another app on the host is attacked by a hostile guest, the todo walkers on
// the embedded store and on Redis + MongoDB with the cache's hit ratios, the
// cost of a fresh instance and of a warm call, memory per instance, the
// wall time of jac start --scale on a local control plane, and the Jac
// runtime's figures beside the Go guest's (jac.go).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/accesslog"
	"github.com/walkerhost/walkerhost/internal/build"
)

func main() {
	dur := flag.Duration("duration", 4*time.Second, "length of one HTTP load round")
	rounds := flag.Int("rounds", 2, "interleaved rounds per HTTP server")
	conns := flag.Int("conns", 32, "concurrent connections of the load generator")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	only := flag.String("only", "", "run only these sections, comma-separated: http, attack, tenants, tiers, instance, deploy, jac, memory, restart, scale")
	flag.StringVar(&restartBefore, "restart-before", "", "another jac binary the restart section measures too, for a before/after ratio")
	flag.IntVar(&scaleNodes, "scale-nodes", 200_000, "nodes of the scale section's graph on the embedded store")
	flag.IntVar(&scaleTieredNodes, "scale-tiered-nodes", 50, "nodes of the scale section's graph on Redis + MongoDB")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	if err := run(*dur, *rounds, *conns, sections(*only)); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

// The scale section's graph sizes (flags).
var scaleNodes, scaleTieredNodes int

// restartBefore is another build of jac for the restart section (flag).
var restartBefore string

func run(dur time.Duration, rounds, conns int, want func(string) bool) error {
	hello, err := guest("hello")
	if err != nil {
		return err
	}
	todo, err := guest("todo")
	if err != nil {
		return err
	}
	hostile, err := guest("hostile")
	if err != nil {
		return err
	}
	fmt.Printf("walker host benchmark — %s, GOMAXPROCS=%d, %s\n\n", runtime.Version(), runtime.GOMAXPROCS(0), time.Now().Format(time.RFC3339))
	for _, s := range []struct {
		name string
		run  func() error
	}{
		{"http", func() error { return httpReport(hello, dur, rounds, conns) }},
		{"attack", func() error { return attackReport(hello, hostile, dur, conns) }},
		{"tenants", func() error { return tenantReport(hello, hostile, dur) }},
		{"tiers", func() error { return tierReport(todo, dur, rounds, conns) }},
		{"instance", func() error { return instanceReport(todo) }},
		{"deploy", deployReport},
		{"jac", func() error { return jacReport(hello, dur, conns) }},
		{"memory", func() error { return memoryReport(hello, dur, conns) }},
		{"restart", func() error { return restartReport(hello, restartBefore) }},
		{"scale", func() error { return scaleReport(todo, scaleNodes, scaleTieredNodes) }},
	} {
		if !want(s.name) {
			continue
		}
		if err := s.run(); err != nil {
			return err
		}
	}
	return nil
}

// sections reports whether a section is in the comma-separated list only;
// an empty list holds them all.
func sections(only string) func(string) bool {
	return func(name string) bool { return only == "" || slices.Contains(strings.Split(only, ","), name) }
}

func guest(name string) ([]byte, error) {
	out, err := build.Module(context.Background(), filepath.Join("guests", name))
	if err != nil {
		return nil, err
	}
	return os.ReadFile(out)
}

// benchConfig is the default configuration with a throw-away data dir.
func benchConfig() (config.Config, func(), error) {
	dir, err := os.MkdirTemp("", "walkerbench-")
	if err != nil {
		return config.Config{}, nil, err
	}
	cfg := config.Default()
	cfg.DataDir = dir
	cfg.JWTSecret = "bench-secret-0123456789abcdef"
	return cfg, func() { os.RemoveAll(dir) }, nil
}

// quietLog is the host's default log (jac start's handler, text, info),
// written nowhere: the request line is formatted as in production.
func quietLog() *slog.Logger { return slog.New(accesslog.New("text", io.Discard, slog.LevelInfo)) }

// micros runs fn as a Go benchmark and returns µs per op and allocs per op.
func micros(fn func(b *testing.B)) (float64, int64) {
	r := testing.Benchmark(fn)
	return float64(r.NsPerOp()) / 1e3, r.AllocsPerOp()
}
