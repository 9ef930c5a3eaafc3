package sandbox_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/testenv/wasmbomb"
)

// handEngine is an engine whose calls have a short time limit.
func handEngine(t *testing.T) *sandbox.Engine {
	t.Helper()
	lim := benchLimits
	lim.Timeout = 200 * time.Millisecond
	ctx := context.Background()
	eng, err := sandbox.NewEngine(ctx, sandbox.Options{Limits: lim, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close(ctx) })
	return eng
}

// returns runs f and fails the test if it has not returned after a minute:
// a guest nothing stops would hang the test binary instead.
func returns(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("%s still running a minute on, with a time limit of 200ms", what)
	}
}

// callBomb calls the hand module's one walker.
func callBomb(t *testing.T, m *sandbox.Module) error {
	t.Helper()
	g, root := newGraph(t)
	tx := g.Begin("hand", graph.Caller{Root: root})
	defer tx.Rollback()
	enc, _ := abi.AppendMap(nil, map[string]any{})
	_, err := m.Call(context.Background(), &sandbox.Request{Kind: abi.KindWalker, Name: "bomb", Tx: tx, Root: root, Fields: enc}, nil)
	return err
}

// TestGuestCalls_TimeLimit: recursion without a loop, in each export the
// host calls, ends at the time limit: at load for the lifecycle exports (the
// module is refused, naming the export and the limit), during the request
// for walker_alloc and walker_handle (LIMIT_EXCEEDED, limit "time"), and the
// call returns: the guest stopped.
func TestGuestCalls_TimeLimit(t *testing.T) {
	for _, export := range []string{abi.ExportInitialize, abi.ExportABIVersion, abi.ExportManifest, abi.ExportAlloc, abi.ExportHandle} {
		t.Run(export, func(t *testing.T) {
			eng := handEngine(t)
			var m *sandbox.Module
			var err error
			returns(t, "load", func() {
				m, err = eng.Load(context.Background(), "hand", wasmbomb.Spec{Manifest: wasmbomb.PublicManifest, Recurse: export}.Build())
			})
			atLoad := export != abi.ExportAlloc && export != abi.ExportHandle
			if atLoad {
				if !errors.Is(err, sandbox.ErrModule) || !strings.Contains(err.Error(), export+": sandbox: time limit exceeded (200ms)") {
					t.Fatalf("load: %v, want a refusal for the time limit in %s", err, export)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			returns(t, "call", func() { err = callBomb(t, m) })
			var lim *sandbox.LimitError
			if !errors.As(err, &lim) || lim.Limit != "time" {
				t.Fatalf("call: %v, want the time limit", err)
			}
			if st := m.Stats(); st.Discarded != 1 {
				t.Fatalf("stats %+v: the stopped instance must be discarded", st)
			}
		})
	}
}

// TestGuestCalls_HostCallOutsideRequest: a host function called from
// _initialize, walker_abi_version or walker_manifest refuses the module
// with one sentence naming the export and the function, and no stack trace;
// from walker_alloc and walker_handle it is served.
func TestGuestCalls_HostCallOutsideRequest(t *testing.T) {
	for _, export := range []string{abi.ExportInitialize, abi.ExportABIVersion, abi.ExportManifest, abi.ExportAlloc, abi.ExportHandle} {
		t.Run(export, func(t *testing.T) {
			m, err := handEngine(t).Load(context.Background(), "hand", wasmbomb.Spec{Manifest: wasmbomb.PublicManifest, HostCall: export}.Build())
			if export == abi.ExportAlloc || export == abi.ExportHandle {
				if err != nil {
					t.Fatal(err)
				}
				if err := callBomb(t, m); err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, sandbox.ErrModule) {
				t.Fatalf("load: %v, want a refusal", err)
			}
			msg := err.Error()
			want := `module "hand": ` + export + ": called walker.now; host functions serve requests only"
			if !strings.Contains(msg, want) {
				t.Fatalf("message %q, want %q", msg, want)
			}
			for _, bad := range []string{"\n", ".go:", "goroutine", "stack", "runtime error"} {
				if strings.Contains(msg, bad) {
					t.Fatalf("message %q contains %q", msg, bad)
				}
			}
		})
	}
}

// TestLoad_RequiresYield: a module that does not import sched_yield is
// refused: its checks could not give the core back, and a guest spinning on
// every core would keep the deadline timers, and a garbage collection
// waiting for it, from ever running.
func TestLoad_RequiresYield(t *testing.T) {
	_, err := handEngine(t).Load(context.Background(), "hand", wasmbomb.Spec{Manifest: wasmbomb.PublicManifest, NoYield: true}.Build())
	if !errors.Is(err, sandbox.ErrModule) || !strings.Contains(err.Error(), "does not import wasi_snapshot_preview1.sched_yield") {
		t.Fatalf("load: %v, want a refusal naming the missing import", err)
	}
}

// TestRecursion_GCNotStalled is TestSpin_GCNotStalled for recursion without
// a loop: the countdown at function entries makes it yield too, so a
// garbage collection started during the call finishes before it ends.
func TestRecursion_GCNotStalled(t *testing.T) {
	lim := benchLimits
	lim.Timeout = 3 * time.Second
	ctx := context.Background()
	eng, err := sandbox.NewEngine(ctx, sandbox.Options{Limits: lim, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	m, err := eng.Load(ctx, "hand", wasmbomb.Spec{Manifest: wasmbomb.PublicManifest, Recurse: abi.ExportHandle}.Build())
	if err != nil {
		t.Fatal(err)
	}
	callDone, gcDone := make(chan error, 1), make(chan struct{})
	go func() { callDone <- callBomb(t, m) }()
	time.Sleep(100 * time.Millisecond) // let the guest start recursing
	go func() {
		runtime.GC()
		close(gcDone)
	}()
	select {
	case <-gcDone:
	case err := <-callDone:
		t.Fatalf("the recursing walker (%v) ended before a garbage collection started during it could finish", err)
	}
	var le *sandbox.LimitError
	if err := <-callDone; !errors.As(err, &le) || le.Limit != "time" {
		t.Fatalf("call: %v, want the time limit", err)
	}
}
