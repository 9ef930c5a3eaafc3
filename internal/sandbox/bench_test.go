package sandbox_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

var benchLimits = sandbox.Limits{Timeout: 10 * time.Second, MemoryMB: 128, MaxReportBytes: 1 << 20,
	MaxHostCalls: 1 << 20, MaxHandles: 1 << 16, MaxLogBytes: 1 << 16, PoolSize: 4}

// loadModule loads a guest into a fresh engine with a store and a root.
func loadModule(tb testing.TB, guest string) (*sandbox.Module, *graph.Graph, graph.ID) {
	tb.Helper()
	return loadModuleWith(tb, guest, benchLimits)
}

func loadModuleWith(tb testing.TB, guest string, limits sandbox.Limits) (*sandbox.Module, *graph.Graph, graph.ID) {
	tb.Helper()
	ctx := context.Background()
	eng, err := sandbox.NewEngine(ctx, sandbox.Options{CacheDir: testenv.CacheDir() + "/wazero", Limits: limits,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { eng.Close(ctx) })
	m, err := eng.Load(ctx, guest, testenv.Guest(tb, guest))
	if err != nil {
		tb.Fatal(err)
	}
	g, root := newGraph(tb)
	return m, g, root
}

// newGraph opens a graph in a fresh embedded store, with one root.
func newGraph(tb testing.TB) (*graph.Graph, graph.ID) {
	tb.Helper()
	db, err := store.Open(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	g := graph.New(db)
	root, err := g.CreateRoot("bench")
	if err != nil {
		tb.Fatal(err)
	}
	return g, root
}

func call(tb testing.TB, m *sandbox.Module, g *graph.Graph, root graph.ID, name string, fields map[string]any, dst []byte) []byte {
	enc, _ := abi.AppendMap(nil, fields)
	tx := g.Begin("bench", graph.Caller{Root: root})
	out, err := m.Call(context.Background(), &sandbox.Request{Kind: abi.KindWalker, Name: name, Tx: tx, Root: root, Fields: enc}, dst)
	if err != nil {
		tb.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// BenchmarkCall_Hello is one warm call of the hello walker: pool get, the
// export call, one report, the response payload.
func BenchmarkCall_Hello(b *testing.B) {
	m, g, root := loadModule(b, "hello")
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = call(b, m, g, root, "greet", map[string]any{"name": "bench"}, buf[:0])
	}
}

// BenchmarkInstantiate is a fresh instance of the todo module: instantiate,
// _initialize, close.
func BenchmarkInstantiate(b *testing.B) {
	m, _, _ := loadModule(b, "todo")
	b.ReportAllocs()
	for b.Loop() {
		if err := m.Probe(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCall_HelloFresh is BenchmarkCall_Hello with FreshState: the
// instance is restored to its snapshot after every call.
func BenchmarkCall_HelloFresh(b *testing.B) {
	limits := benchLimits
	limits.FreshState = true
	m, g, root := loadModuleWith(b, "hello", limits)
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = call(b, m, g, root, "greet", map[string]any{"name": "bench"}, buf[:0])
	}
}
