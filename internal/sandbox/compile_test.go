package sandbox

import (
	"context"
	"errors"
	"runtime"
	"testing"
)

// TestCompileGate: with its one slot taken, a load waits in the queue; a
// load that finds the queue full too is refused at once naming the
// "compiles" limit; a waiting load whose context ends leaves the queue.
func TestCompileGate(t *testing.T) {
	g := newCompileGate(1, 1)
	ctx := context.Background()
	if err := g.enter(ctx); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	waited := make(chan error)
	go func() { waited <- g.enter(cctx) }()
	for g.waiting.Load() != 1 {
		runtime.Gosched()
	}
	var lim *LimitError
	if err := g.enter(ctx); !errors.As(err, &lim) || lim.Limit != "compiles" || lim.Value != "1 compiling, 1 waiting" {
		t.Fatalf("with the slot and the queue taken: %v, want the compiles limit", err)
	}
	cancel()
	if err := <-waited; !errors.Is(err, context.Canceled) {
		t.Fatalf("waiting load after its context ended: %v", err)
	}
	if n := g.waiting.Load(); n != 0 {
		t.Fatalf("%d still waiting", n)
	}
	g.leave()
	if err := g.enter(ctx); err != nil {
		t.Fatalf("after the slot was freed: %v", err)
	}
	g.leave()
	if g.peak.Load() != 1 || g.running.Load() != 0 {
		t.Fatalf("peak %d, running %d", g.peak.Load(), g.running.Load())
	}
}
