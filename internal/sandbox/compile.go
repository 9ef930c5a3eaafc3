package sandbox

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"

	"github.com/tetratelabs/wazero"
)

// DefaultCompileQueue is how many loads may wait for a compilation turn
// when Options.CompileQueue is 0.
const DefaultCompileQueue = 8

// compileGate bounds the compilations of an engine. wazero's compiler
// cannot be interrupted and takes a core for as long as a module needs
// (seconds for a Go module), so compilations take turns on a fixed number
// of slots, and a load that finds the slots and the queue full is refused
// at once instead of piling up.
type compileGate struct {
	slots   chan struct{}
	queue   int32
	waiting atomic.Int32
	running atomic.Int32
	peak    atomic.Int32 // most compilations seen running at once (tests)
	started atomic.Int64 // compilations begun, for Engine.Compilations
}

func newCompileGate(n, queue int) *compileGate {
	if n <= 0 {
		n = max(1, runtime.GOMAXPROCS(0)-1)
	}
	if queue <= 0 {
		queue = DefaultCompileQueue
	}
	return &compileGate{slots: make(chan struct{}, n), queue: int32(queue)}
}

// enter takes a slot, waiting in the queue if there is room in it.
func (g *compileGate) enter(ctx context.Context) error {
	select {
	case g.slots <- struct{}{}:
	default:
		if g.waiting.Add(1) > g.queue {
			g.waiting.Add(-1)
			return &LimitError{Limit: "compiles", Value: fmt.Sprintf("%d compiling, %d waiting", cap(g.slots), g.queue)}
		}
		defer g.waiting.Add(-1)
		select {
		case g.slots <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	n := g.running.Add(1)
	for p := g.peak.Load(); n > p && !g.peak.CompareAndSwap(p, n); p = g.peak.Load() {
	}
	return nil
}

func (g *compileGate) leave() {
	g.running.Add(-1)
	<-g.slots
}

// compile compiles wasm in a slot of the gate. The compilation runs on its
// own goroutine, which keeps the slot until it ends: a caller whose ctx
// ends first returns at once, and what was compiled for it is closed. With
// a disk cache it also returns the wazero cache file the compilation wrote,
// when known, and a cache file wazero cannot read is removed and the module
// compiled again.
func (e *Engine) compile(ctx context.Context, wasm []byte) (wazero.CompiledModule, string, error) {
	if err := e.gate.enter(ctx); err != nil {
		return nil, "", err
	}
	type result struct {
		c    wazero.CompiledModule
		file string
		err  error
	}
	done := make(chan result, 1)
	e.gate.started.Add(1)
	go func() {
		defer e.gate.leave()
		var r result
		if e.disk == nil {
			r.c, r.err = e.rt.CompileModule(context.Background(), wasm)
		} else {
			r.c, r.file, r.err = e.disk.compile(e.rt, wasm)
		}
		done <- r
	}()
	select {
	case r := <-done:
		return r.c, r.file, r.err
	case <-ctx.Done():
		go func() {
			if r := <-done; r.err == nil {
				r.c.Close(context.Background())
			}
		}()
		return nil, "", ctx.Err()
	}
}

// Compilations is how many modules the engine has compiled (loads that
// found their code compiled already are not counted): what a host that
// keeps a module for later, instead of loading it again, saves.
func (e *Engine) Compilations() int64 { return e.gate.started.Load() }
