package sandbox

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/wasmrewrite"
)

// instance is one instantiated guest. It serves one call at a time and is
// owned by the pool between calls.
type instance struct {
	m      *Module
	mod    api.Module
	mem    api.Memory
	handle api.Function
	alloc  api.Function
	stack  []uint64
	ctx    context.Context // carries the instance to host functions

	interrupt  api.MutableGlobal   // set to 1 to stop the guest (see expire)
	growFailed api.MutableGlobal   // 1 once a memory.grow failed (wasmrewrite.FlagFailedGrow); reset by run
	globals    []api.MutableGlobal // every mutable global, for snapshots
	expired    atomic.Bool
	deadline   *time.Timer // runs expire; re-armed for every call

	img         *memImage // the image its memory started from, if any
	mapped      bool      // its memory maps img copy-on-write (image_linux.go)
	pages       []byte    // scratch for privatePages
	clock, wall int64     // its clocks' last readings, from -1 ms (snapshot.go)

	arena, arenaCap uint32  // cached input arena (walker_alloc)
	sess            session // state of the call in progress
	turn            turn    // the call's share of the cores
	inCall          bool    // a request runs: walker_alloc or walker_handle
	initializing    bool    // _initialize runs: the program may be read
	served          int
}

type instanceKey struct{}

func instanceFrom(ctx context.Context) *instance { return ctx.Value(instanceKey{}).(*instance) }

// newInstance instantiates the compiled module. When the module's data was
// moved into an image at load (wasmrewrite.DataImage), its memory starts
// from an image: the module's snapshot once there is one, and the instance
// is ready at once; else the data image, and _initialize runs within the
// call time limit, as it does for modules without an image.
func (m *Module) newInstance(ctx context.Context) (*instance, error) {
	inst := &instance{m: m, stack: make([]uint64, 1), clock: -clockStep, wall: -clockStep}
	inst.ctx = context.WithValue(context.Background(), instanceKey{}, inst)
	cfg := wazero.NewModuleConfig().
		WithName("").
		WithStartFunctions(). // _initialize runs below, under the deadline
		WithStdout(&guestOutput{inst: inst, stream: "stdout"}).
		WithStderr(&guestOutput{inst: inst, stream: "stderr"}).
		WithRandSource(rand.Reader).
		WithNanotime(inst.nanotime, 1).
		WithWalltime(inst.walltime, 1).
		WithOsyield(inst.yield)
	var snap *snapshot
	if img := m.code.image; img != nil {
		if snap = m.snap; snap != nil {
			img = snap.img
		}
		inst.img = img
		ctx = experimental.WithMemoryAllocator(ctx, imageAllocator{inst: inst, cow: m.engine.cow})
	}
	mod, err := m.engine.rt.InstantiateModule(ctx, m.compiled, cfg)
	if err != nil {
		return nil, fmt.Errorf("instantiate: %w", err)
	}
	inst.mod, inst.mem = mod, mod.Memory()
	inst.handle = mod.ExportedFunction(abi.ExportHandle)
	inst.alloc = mod.ExportedFunction(abi.ExportAlloc)
	inst.interrupt = mod.ExportedGlobal(wasmrewrite.InterruptExport).(api.MutableGlobal)
	inst.growFailed = mod.ExportedGlobal(wasmrewrite.GrowFailedExport).(api.MutableGlobal)
	inst.bindGlobals(m.globals)
	inst.deadline = time.AfterFunc(m.limits.Timeout, inst.expire)
	inst.deadline.Stop() // armed by every call into the guest
	if snap != nil {
		if !inst.start(snap) {
			inst.close(ctx)
			return nil, &LimitError{Limit: "memory", Value: fmt.Sprintf("%d MiB", m.limits.MemoryMB)}
		}
		return inst, nil
	}
	inst.initializing = true
	_, err = inst.callExport(abi.ExportInitialize, inst.stack[:0])
	inst.initializing = false
	if err != nil {
		inst.close(ctx)
		return nil, err
	}
	return inst, nil
}

// callExport calls a lifecycle export outside a request (_initialize,
// walker_abi_version, walker_manifest) under the call time limit, armed
// before the guest's first instruction; stack holds its result, if any.
// A failure is one sentence naming the export: the time limit, a host
// function's refusal, or the first line of the trap. wazero appends a wasm
// stack trace, and for a Go runtime error a Go one with source paths: the
// whole error goes to the log only.
func (inst *instance) callExport(name string, stack []uint64) (uint64, error) {
	inst.deadline.Reset(inst.m.limits.Timeout)
	err := inst.mod.ExportedFunction(name).CallWithStack(inst.ctx, stack)
	if !inst.deadline.Stop() && err == nil {
		err = errDeadline // the timer fired as the call returned
	}
	if err == nil {
		if len(stack) == 0 {
			return 0, nil
		}
		return stack[0], nil
	}
	if lim := inst.deadlineErr(); lim != nil {
		return 0, fmt.Errorf("%s: %w", name, lim)
	}
	inst.m.engine.log.Warn("guest export failed", "module", inst.m.Name, "export", name, "err", err)
	var a *abort
	if errors.As(err, &a) {
		return 0, fmt.Errorf("%s: %w", name, a.err)
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return 0, fmt.Errorf("%s: %s", name, msg)
}

// expire is the deadline timer's action: it raises the instance's
// interrupt flag, which the guest checks at every loop header and function
// entry and traps on.
func (inst *instance) expire() {
	inst.expired.Store(true)
	inst.interrupt.Set(1)
}

// yield is the guest's sched_yield, which the injected loop checks call
// regularly: during a call, where the call takes its turns on the cores.
func (inst *instance) yield() {
	if inst.inCall {
		inst.m.engine.cpu.yield(&inst.turn, inst.sess.deadline)
	}
}

// deadlineErr is the time-limit error when the deadline fired, else nil.
func (inst *instance) deadlineErr() error {
	if !inst.expired.Load() {
		return nil
	}
	return &LimitError{Limit: "time", Value: inst.m.limits.Timeout.String()}
}

// write copies b into the input arena, growing it through walker_alloc when
// it is too small.
func (inst *instance) write(b []byte) error {
	if uint32(len(b)) > inst.arenaCap || inst.arenaCap == 0 {
		size := max(uint32(len(b)), 4096)
		inst.stack[0] = uint64(size)
		if err := inst.alloc.CallWithStack(inst.ctx, inst.stack); err != nil {
			return err
		}
		inst.arena, inst.arenaCap = uint32(inst.stack[0]), size
	}
	if !inst.mem.Write(inst.arena, b) {
		return execErr(OutcomeTrap, "%s returned an arena outside memory", abi.ExportAlloc)
	}
	return nil
}

func (inst *instance) close(ctx context.Context) { _ = inst.mod.Close(ctx) }

// guestOutput receives a guest's stdout or stderr. During a call it goes to
// the call's bounded log; outside one (during _initialize) straight to the
// engine's logger.
type guestOutput struct {
	inst   *instance
	stream string
}

func (o *guestOutput) Write(p []byte) (int, error) {
	if o.inst.inCall {
		o.inst.sess.appendLog(p)
		return len(p), nil
	}
	o.inst.m.engine.log.Info(strings.TrimRight(string(p), "\n"), "module", o.inst.m.Name, "stream", o.stream)
	return len(p), nil
}
