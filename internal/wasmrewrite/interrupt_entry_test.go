package wasmrewrite

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// doublingModule exports run = doublingBody, and with yield imports
// wasi_snapshot_preview1.sched_yield (typed () -> i32, as WASI declares it).
func doublingModule(yield bool) []byte {
	m := cmod{types: [][]byte{typeII, typeVI}, funcs: []uint32{0}, exports: [][]byte{export("run", 0x00, 0)},
		bodies: []func([]byte) []byte{doublingBody(0)}}
	if yield {
		m.importFuncs, m.yield = []uint32{1}, true
		m.exports = [][]byte{export("run", 0x00, 1)}
		m.bodies = []func([]byte) []byte{doublingBody(1)}
	}
	out, info, err := InjectInterrupt(m.build())
	if err != nil {
		panic(err)
	}
	if info.Loops != 0 || info.Entries != 1 {
		panic("doubling module: unexpected checks")
	}
	return out
}

// TestInterruptRecursionWithoutLoops: a guest that recurses exponentially
// without a loop (2^60 calls, a stack 60 frames deep) stops at its next
// function entry once the flag is set, and the call returns.
func TestInterruptRecursionWithoutLoops(t *testing.T) {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	mod, err := r.Instantiate(ctx, doublingModule(false))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := mod.ExportedFunction("run").Call(ctx, 10); err != nil || got[0] != 1024 {
		t.Fatalf("run(10) = %v, %v; want 1024", got, err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := mod.ExportedFunction("run").Call(ctx, 60)
		done <- err
	}()
	mod.ExportedGlobal(InterruptExport).(api.MutableGlobal).Set(1)
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "unreachable") {
			t.Fatalf("run(60): %v, want an unreachable trap", err)
		}
	case <-time.After(time.Minute): // a hang, not a speed test
		t.Fatal("run(60) still running a minute after the flag was set")
	}
}

// TestYieldRecursionWithoutLoops: the countdown runs at function entries
// too, so a guest without loops still calls sched_yield every YieldEvery
// calls; here the host's sched_yield raises the flag at its third call.
func TestYieldRecursionWithoutLoops(t *testing.T) {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	var flag api.MutableGlobal
	yields := 0
	_, err := r.NewHostModuleBuilder(yieldModule).NewFunctionBuilder().
		WithFunc(func() int32 {
			yields++
			if yields == 3 {
				flag.Set(1)
			}
			return 0
		}).Export(yieldName).Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mod, err := r.Instantiate(ctx, doublingModule(true))
	if err != nil {
		t.Fatal(err)
	}
	flag = mod.ExportedGlobal(InterruptExport).(api.MutableGlobal)
	if got, err := mod.ExportedFunction("run").Call(ctx, 10); err != nil || got[0] != 1024 || yields != 0 {
		t.Fatalf("run(10) = %v, %v after %d yields; want 1024 and none", got, err, yields)
	}
	_, err = mod.ExportedFunction("run").Call(ctx, 60)
	if err == nil || !strings.Contains(err.Error(), "unreachable") || yields != 3 {
		t.Fatalf("run(60): %v after %d yields, want an unreachable trap after 3", err, yields)
	}
}
