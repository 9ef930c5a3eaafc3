package sandbox_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestPool_Hammer runs many concurrent calls through a small pool: every
// answer must belong to its own request and the pool never grows past its
// capacity.
func TestPool_Hammer(t *testing.T) {
	m, g, root := loadModule(t, "hello")
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for i := range 40 {
				name := "w" + strconv.Itoa(w) + "i" + strconv.Itoa(i)
				buf = call(t, m, g, root, "greet", map[string]any{"name": name}, buf[:0])
				if !strings.Contains(string(buf), `"Hello, `+name+`!"`) {
					t.Errorf("answer for %s: %s", name, buf)
					return
				}
			}
		}()
	}
	wg.Wait()
	if s := m.Stats(); s.Created > int64(s.Capacity) || s.Discarded != 0 || s.Capacity != benchLimits.PoolSize {
		t.Fatalf("pool stats %+v", s)
	}
}

// TestPool_ConcurrencyLimit fills a one-instance pool with a spinning call:
// a second call waits for the time limit, then fails with the concurrency
// limit, and the pool recovers once the spinner is stopped.
func TestPool_ConcurrencyLimit(t *testing.T) {
	limits := benchLimits
	limits.PoolSize, limits.Timeout = 1, 300*time.Millisecond
	m, g, root := loadModuleWith(t, "hostile", limits)
	spinning := make(chan error, 1)
	go func() { spinning <- callErr(m, g, root, "spin") }()
	time.Sleep(50 * time.Millisecond)
	var lim *sandbox.LimitError
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := callCtx(ctx, m, g, root, "ok"); !errors.As(err, &lim) || lim.Limit != "concurrency" {
		t.Fatalf("second call: %v, want the concurrency limit", err)
	}
	if err := <-spinning; !errors.As(err, &lim) || lim.Limit != "time" {
		t.Fatalf("spinner: %v, want the time limit", err)
	}
	if err := callErr(m, g, root, "ok"); err != nil {
		t.Fatalf("after the spinner: %v", err)
	}
}

func callErr(m *sandbox.Module, g *graph.Graph, root graph.ID, walker string) error {
	return callCtx(context.Background(), m, g, root, walker)
}

func callCtx(ctx context.Context, m *sandbox.Module, g *graph.Graph, root graph.ID, walker string) error {
	enc, _ := abi.AppendMap(nil, map[string]any{})
	tx := g.Begin("bench", graph.Caller{Root: root})
	defer tx.Rollback()
	_, err := m.Call(ctx, &sandbox.Request{Kind: abi.KindWalker, Name: walker, Tx: tx, Root: root, Fields: enc}, nil)
	return err
}

// TestSpin_GCNotStalled runs a garbage collection while a guest spins: the
// collection must finish long before the guest's deadline, since the guest
// yields to the host regularly. A guest that never left native code would
// hold the stop-the-world phase, and the timer that stops it, forever.
func TestSpin_GCNotStalled(t *testing.T) {
	limits := benchLimits
	limits.Timeout = 3 * time.Second
	m, g, root := loadModuleWith(t, "hostile", limits)
	spinDone, gcDone := make(chan error, 1), make(chan struct{})
	go func() { spinDone <- callErr(m, g, root, "spin") }()
	time.Sleep(100 * time.Millisecond) // let the guest enter its loop
	go func() {
		runtime.GC()
		close(gcDone)
	}()
	select {
	case <-gcDone:
	case err := <-spinDone:
		t.Fatalf("the spinning walker (%v) ended before a garbage collection started during it could finish", err)
	}
	var lim *sandbox.LimitError
	if err := <-spinDone; !errors.As(err, &lim) || lim.Limit != "time" {
		t.Fatalf("spin: %v, want the time limit", err)
	}
}

// TestLongCalls_TakeTurns runs two spinning calls on an engine that gives
// long calls one core: both end at their time limit, having taken turns on
// the core (each waited for it), while a short call of another module on
// the same engine never waits.
func TestLongCalls_TakeTurns(t *testing.T) {
	ctx := context.Background()
	limits := benchLimits
	limits.Timeout = 300 * time.Millisecond
	eng, err := sandbox.NewEngine(ctx, sandbox.Options{CacheDir: testenv.CacheDir() + "/wazero", Limits: limits,
		LongCallCores: 1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	bad, err := eng.Load(ctx, "bad", testenv.Guest(t, "hostile"))
	if err != nil {
		t.Fatal(err)
	}
	good, err := eng.Load(ctx, "good", testenv.Guest(t, "hostile"))
	if err != nil {
		t.Fatal(err)
	}
	g, root := newGraph(t)
	errs := make(chan error, 2)
	for range 2 {
		go func() { errs <- callErr(bad, g, root, "spin") }()
	}
	for range 20 {
		if err := callErr(good, g, root, "ok"); err != nil {
			t.Fatalf("short call beside the spinners: %v", err)
		}
	}
	var lim *sandbox.LimitError
	for range 2 {
		if err := <-errs; !errors.As(err, &lim) || lim.Limit != "time" {
			t.Fatalf("spin: %v, want the time limit", err)
		}
	}
	if s := bad.Stats(); s.LongCalls != 2 || s.CoreWaits < 2 {
		t.Errorf("spinners: %d long calls, %d waits for the core; want 2 and at least one wait each", s.LongCalls, s.CoreWaits)
	}
	if s := good.Stats(); s.LongCalls != 0 || s.CoreWaits != 0 {
		t.Errorf("short calls: %d long, %d waits; want none", s.LongCalls, s.CoreWaits)
	}
}
