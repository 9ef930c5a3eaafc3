package sandbox_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/internal/capability"
	"github.com/walkerhost/walkerhost/internal/capability/kvstore"
	"github.com/walkerhost/walkerhost/internal/capability/storage"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// jacPing is a Jac app of one public walker; n makes each app's program
// its own.
func jacPing(tb testing.TB, n int) []byte {
	src := fmt.Sprintf("walker :pub ping {\n    can run with Root entry { report {\"app\": %d}; }\n}\n", n)
	return testenv.JacApp(tb, "app.jac", []byte(src))
}

// BenchmarkJac_TenthApp measures what a host already serving nine Jac
// apps pays for one more: loading it (the runtime's code is compiled
// already, so the load strips the program, instantiates and initialises)
// and its first answer. It reports the memory the ten apps take beyond the
// engine and the compiled runtime, per app (the Go heap, where wazero keeps
// instances' memories).
func BenchmarkJac_TenthApp(b *testing.B) {
	ctx := context.Background()
	lim := benchLimits
	lim.FreshState = true
	eng, err := sandbox.NewEngine(ctx, sandbox.Options{CacheDir: testenv.CacheDir() + "/wazero", Limits: lim,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Capabilities: jacCaps})
	if err != nil {
		b.Fatal(err)
	}
	defer eng.Close(ctx)
	g, root := newGraph(b)
	first, err := eng.Load(ctx, "app0", jacPing(b, 0)) // compiles the runtime
	if err != nil {
		b.Fatal(err)
	}
	defer first.Close(ctx)
	before := heap()
	apps := []*sandbox.Module{}
	for i := 1; i < 10; i++ {
		m, err := eng.Load(ctx, fmt.Sprintf("app%d", i), jacPing(b, i))
		if err != nil {
			b.Fatal(err)
		}
		call(b, m, g, root, "ping", nil, nil)
		apps = append(apps, m)
	}
	perApp := float64(heap()-before) / 9 / (1 << 20)
	wasm := jacPing(b, 10)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m, err := eng.Load(ctx, "app10", wasm)
		if err != nil {
			b.Fatal(err)
		}
		if out := call(b, m, g, root, "ping", nil, nil); !strings.Contains(string(out), `{"app":10}`) {
			b.Fatalf("ping answered %s", out)
		}
		b.StopTimer()
		m.Close(ctx)
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(perApp, "MiB/app")
	for _, m := range apps {
		m.Close(ctx)
	}
}

// heap is the Go heap in use after a collection.
func heap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// TestJac_FirstCompile loads the Jac runtime into a new engine without a
// compilation cache and logs how long the first Jac app takes to load, the
// cost the compile-once design pays once per host process.
func TestJac_FirstCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the runtime (seconds)")
	}
	ctx := context.Background()
	eng, err := sandbox.NewEngine(ctx, sandbox.Options{Limits: benchLimits, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Capabilities: jacCaps})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	wasm := jacPing(t, 0)
	start := time.Now()
	m, err := eng.Load(ctx, "app0", wasm)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close(ctx)
	first := time.Since(start)
	start = time.Now()
	m2, err := eng.Load(ctx, "app1", jacPing(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	defer m2.Close(ctx)
	t.Logf("runtime module %d bytes; first Jac app loaded in %v, the second in %v; %d compiled module(s)",
		len(wasm), first.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), eng.CompiledModules())
	if n := eng.CompiledModules(); n != 1 {
		t.Fatalf("%d compiled modules for two Jac apps, want 1", n)
	}
}

// jacCaps are the capabilities the Jac runtime imports beside the built-in
// ones: store_call and kv_call, here without a service behind them.
var jacCaps = []capability.Capability{storage.New(nil), kvstore.New(nil)}
