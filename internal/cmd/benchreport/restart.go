package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"

	"github.com/walkerhost/walkerhost/internal/attack"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// Issue 14 target 4.
const (
	restartTarget    = 100 * time.Millisecond // unchanged module, cache warm
	firstStartTarget = 1500 * time.Millisecond
	restartRounds    = 5
)

// restartReport starts bin/jac serving the hello module (a Go guest of
// about 3 MB) on an empty compilation cache, then again restartRounds
// times with the cache warm, each time from the exec to the first answer
// of GET /hello; beside it, the same binary's `jac version` (the process
// alone) as the baseline of the same run.
//
// With -restart-before set to another build of jac, that build restarts in
// interleaved rounds too, on its own cache, for a before/after ratio.
func restartReport(hello []byte, before string) error {
	jac, err := filepath.Abs("bin/jac")
	if err != nil {
		return err
	}
	if _, err := os.Stat(jac); err != nil {
		return fmt.Errorf("the restart section runs bin/jac: make build first: %w", err)
	}
	dir, err := os.MkdirTemp("", "walkerbench-restart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	app := filepath.Join(dir, "hello.wasm")
	if err := os.WriteFile(app, hello, 0o644); err != nil {
		return err
	}
	start := func(jac, cache string) (time.Duration, error) {
		t0 := time.Now()
		cmd := exec.Command(jac, "start", app, "--port", "0", "--data-dir", filepath.Join(dir, "data"))
		cmd.Env = append(os.Environ(), "JAC_CACHE_DIR="+filepath.Join(dir, cache),
			"JWT_SECRET=bench-secret-0123456789abcdef", "JAC_LOG_REQUESTS=false")
		p, err := testenv.StartProcess(cmd, 2*time.Minute)
		if err != nil {
			return 0, err
		}
		defer p.Stop()
		for {
			a, err := attack.Do(context.Background(), "GET", p.URL+"/hello?name=bench", "")
			if err == nil && a.Status == 200 {
				return time.Since(t0), nil
			}
			if time.Since(t0) > time.Minute {
				return 0, fmt.Errorf("no answer from GET /hello in a minute: %v %v", a, err)
			}
			time.Sleep(200 * time.Microsecond)
		}
	}
	first, err := start(jac, "cache")
	if err != nil {
		return err
	}
	if before != "" {
		if _, err := start(before, "cache-before"); err != nil {
			return err
		}
	}
	var warm, old, bare []time.Duration
	for range restartRounds {
		d, err := start(jac, "cache")
		if err != nil {
			return err
		}
		warm = append(warm, d)
		if before != "" {
			if d, err = start(before, "cache-before"); err != nil {
				return err
			}
			old = append(old, d)
		}
		t0 := time.Now()
		if err := exec.Command(jac, "version").Run(); err != nil {
			return err
		}
		bare = append(bare, time.Since(t0))
	}
	best, proc := slices.Min(warm), slices.Min(bare)
	fmt.Printf("Restart (issue 14 target 4): jac start of the hello module (%.1f MiB), exec to the first answer of GET /hello\n", float64(len(hello))/(1<<20))
	fmt.Printf("  restart, module unchanged:  %8s best of %d, median %s (target <= %s: %.2f of it)\n",
		best.Round(time.Millisecond), restartRounds, median(warm).Round(time.Millisecond), restartTarget, float64(best)/float64(restartTarget))
	fmt.Printf("    baseline, jac version:    %8s best (the process alone; the restart is %.1fx it)\n", proc.Round(time.Millisecond), float64(best)/float64(proc))
	if before != "" {
		b := slices.Min(old)
		fmt.Printf("    before (%s):  %8s best, median %s (now %.2f of it)\n", before, b.Round(time.Millisecond), median(old).Round(time.Millisecond), float64(best)/float64(b))
	}
	fmt.Printf("  first start, empty cache:   %8s (target <= %s: %.2f of it)\n\n",
		first.Round(time.Millisecond), firstStartTarget, float64(first)/float64(firstStartTarget))
	return nil
}
