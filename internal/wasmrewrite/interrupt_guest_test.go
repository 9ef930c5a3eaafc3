package wasmrewrite

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// A real Go reactor guest with a runaway export and a loop-heavy one.

const spinSource = `package main

var sink uint32

//go:wasmexport spin
func spin() {
	for {
		sink++
	}
}

//go:wasmexport work
func work(n int32) int32 {
	h := uint32(2166136261)
	for i := int32(0); i < n; i++ {
		h = (h ^ uint32(i)) * 16777619
		if h%7 == 0 {
			sink++
		}
	}
	return int32(h)
}

//go:wasmexport fib
func fib(n int32) int32 {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func main() {}
`

// nativeWork computes what the guest's work export returns.
func nativeWork(n int32) int32 {
	h := uint32(2166136261)
	for i := int32(0); i < n; i++ {
		h = (h ^ uint32(i)) * 16777619
	}
	return int32(h)
}

// workN is the argument of work in tests and benchmarks.
const workN = 1000

var spinGuest struct {
	once sync.Once
	wasm []byte
	err  error
}

// spinGuestModule builds the guest once (GOOS=wasip1 GOARCH=wasm
// -buildmode=c-shared); the build directory is removed right away.
func spinGuestModule(tb testing.TB) []byte {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds a Go wasm module")
	}
	g := &spinGuest
	g.once.Do(func() { g.wasm, g.err = buildGoModule(spinSource) })
	if g.err != nil {
		tb.Fatal(g.err)
	}
	return g.wasm
}

func buildGoModule(src string) ([]byte, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "wasmrewrite-spin-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	files := map[string]string{"go.mod": "module guest\n\ngo 1.24\n", "main.go": src}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return nil, err
		}
	}
	cmd := exec.Command(goBin, "build", "-buildmode=c-shared", "-o", "guest.wasm", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "GOWORK=off", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %v\n%s", err, out)
	}
	return os.ReadFile(filepath.Join(dir, "guest.wasm"))
}

// instantiateGuest compiles wasm in a new runtime with cfg and WASI and
// instantiates it with _initialize as start function.
func instantiateGuest(tb testing.TB, cfg wazero.RuntimeConfig, wasm []byte) api.Module {
	tb.Helper()
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, cfg)
	tb.Cleanup(func() { r.Close(ctx) })
	wasi_snapshot_preview1.MustInstantiate(ctx, r)
	cm, err := r.CompileModule(ctx, wasm)
	if err != nil {
		tb.Fatal(err)
	}
	mod, err := r.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName("").WithStartFunctions("_initialize"))
	if err != nil {
		tb.Fatal(err)
	}
	return mod
}

func TestInterruptGoGuest(t *testing.T) {
	stock := spinGuestModule(t)
	start := time.Now()
	inst, info, err := InjectInterrupt(stock)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d bytes -> %d (+%d) in %v: %+v", len(stock), len(inst), len(inst)-len(stock), time.Since(start), info)
	if info.Loops == 0 || info.Functions == 0 {
		t.Fatalf("no loops found: %+v", info)
	}
	checkInterruptOutput(t, stock, inst, info)

	// Same results as the original, and as native Go.
	ctx := context.Background()
	want := nativeWork(workN)
	for name, wasm := range map[string][]byte{"stock": stock, "instrumented": inst} {
		mod := instantiateGuest(t, wazero.NewRuntimeConfig(), wasm)
		res, err := mod.ExportedFunction("work").Call(ctx, workN)
		if err != nil || int32(res[0]) != want {
			t.Fatalf("%s: work(%d) = %v, %v; want %d", name, workN, res, err, want)
		}
	}

	// No WithCloseOnContextDone: only the flag can stop spin.
	mod := instantiateGuest(t, wazero.NewRuntimeConfig(), inst)
	flag, ok := mod.ExportedGlobal(InterruptExport).(api.MutableGlobal)
	if !ok {
		t.Fatalf("exported global %v is not mutable", mod.ExportedGlobal(InterruptExport))
	}
	if flag.Get() != 0 {
		t.Fatalf("flag starts at %d", flag.Get())
	}
	// work checks the flag too (so the benchmark measures the checks).
	mod2 := instantiateGuest(t, wazero.NewRuntimeConfig(), inst)
	mod2.ExportedGlobal(InterruptExport).(api.MutableGlobal).Set(1)
	if _, err := mod2.ExportedFunction("work").Call(ctx, workN); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("work with the flag set: %v, want an unreachable trap", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := mod.ExportedFunction("spin").Call(ctx)
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("spin returned before the interrupt: %v", err)
	default:
	}
	setAt := time.Now()
	flag.Set(1)
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "unreachable") {
			t.Fatalf("spin: %v, want an unreachable trap", err)
		}
		t.Logf("spin trapped %v after the flag was set: %v", time.Since(setAt), strings.SplitN(err.Error(), "\n", 2)[0])
	case <-time.After(time.Second):
		t.Fatal("spin still running 1s after the flag was set")
	}
}

// TestInterruptGoGuestMerged: on the real guest, both orders of
// InjectInterrupt and MergeDataSegments give the same module, and it runs.
func TestInterruptGoGuestMerged(t *testing.T) {
	stock := spinGuestModule(t)
	out := checkComposition(t, stock)
	mod := instantiateGuest(t, wazero.NewRuntimeConfig(), out)
	res, err := mod.ExportedFunction("work").Call(context.Background(), workN)
	if err != nil || int32(res[0]) != nativeWork(workN) {
		t.Fatalf("work: %v, %v", res, err)
	}
	// The checksum guest of gomodule_test.go too.
	stock2, _, _ := guestModules(t)
	out2 := checkComposition(t, stock2)
	_, sum := runGuest(t, out2)
	if sum != nativeChecksum() {
		t.Fatalf("checksum guest: %#x", sum)
	}
}

// fibN is the argument of fib in benchmarks: 28657 calls.
const fibN, fibWant = 22, 17711

// BenchmarkInterruptCheck: one call of a compute-heavy export,
// uninstrumented ("plain"), instrumented, and uninstrumented with
// WithCloseOnContextDone ("closeOnDone"): the Go guest's loop-heavy
// work(workN) and call-heavy fib(fibN), and a hand-assembled fib(fibN)
// (one small function, no loop: the worst case for entry checks). All are
// called with a cancellable context, as a host with request timeouts
// would; only closeOnDone looks at it. In wazero v1.12 closeOnDone costs a
// goroutine per call (started whether or not the context can be
// cancelled) plus a call into a Go trampoline at every loop header, and
// checks nothing at function entries: it cannot stop recursion without
// loops.
func BenchmarkInterruptCheck(b *testing.B) {
	stock := spinGuestModule(b)
	inst, _, err := InjectInterrupt(stock)
	if err != nil {
		b.Fatal(err)
	}
	asm := cmod{types: [][]byte{typeII}, funcs: []uint32{0}, exports: [][]byte{export("fib", 0x00, 0)},
		bodies: []func([]byte) []byte{fibBody(0)}}.build()
	asmInst, _, err := InjectInterrupt(asm)
	if err != nil {
		b.Fatal(err)
	}
	plain, closeOnDone := wazero.NewRuntimeConfig(), wazero.NewRuntimeConfig().WithCloseOnContextDone(true)
	for _, bc := range []struct {
		name, export string
		arg          int32
		want         int32
		cfg          wazero.RuntimeConfig
		wasm         []byte
	}{
		{"work/plain", "work", workN, nativeWork(workN), plain, stock},
		{"work/instrumented", "work", workN, nativeWork(workN), plain, inst},
		{"work/closeOnDone", "work", workN, nativeWork(workN), closeOnDone, stock},
		{"gofib/plain", "fib", fibN, fibWant, plain, stock},
		{"gofib/instrumented", "fib", fibN, fibWant, plain, inst},
		{"gofib/closeOnDone", "fib", fibN, fibWant, closeOnDone, stock},
		{"asmfib/plain", "fib", fibN, fibWant, plain, asm},
		{"asmfib/instrumented", "fib", fibN, fibWant, plain, asmInst},
		{"asmfib/closeOnDone", "fib", fibN, fibWant, closeOnDone, asm},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			fn := instantiateGuest(b, bc.cfg, bc.wasm).ExportedFunction(bc.export)
			cpu0 := cpuTime()
			for b.Loop() {
				res, err := fn.Call(ctx, uint64(bc.arg))
				if err != nil || int32(res[0]) != bc.want {
					b.Fatal(res, err)
				}
			}
			// On a shared machine the process's processor time per call
			// is steadier than the wall clock.
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the processor time the process has used, in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkInjectInterrupt: the load-time cost on the real guest.
func BenchmarkInjectInterrupt(b *testing.B) {
	stock := spinGuestModule(b)
	b.SetBytes(int64(len(stock)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := InjectInterrupt(stock); err != nil {
			b.Fatal(err)
		}
	}
}
