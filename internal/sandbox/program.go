package sandbox

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero/api"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/capability"
)

// The program host functions (abi/ABI.md "Program") hand a module's
// abi.ProgramSection to the guest while _initialize runs, and only then:
// the parsed program is part of the state the pool snapshots after
// _initialize, so no request needs it again. Called at any other time they
// end the export call, as other host functions outside a request do; during
// a request the instance is discarded.
func duringInitialize(name string, fn api.GoModuleFunc) api.GoModuleFunction {
	return api.GoModuleFunc(func(ctx context.Context, mod api.Module, stack []uint64) {
		inst := instanceFrom(ctx)
		if !inst.initializing {
			err := execErr(OutcomeTrap, "called %s.%s; the program is handed over during %s only",
				abi.ImportModule, name, abi.ExportInitialize)
			if inst.inCall {
				inst.sess.stop(err)
			}
			panic(&abort{err})
		}
		fn(ctx, mod, stack)
	})
}

// programFuncs are the program host functions, outside the capabilities:
// they serve _initialize, when no call runs.
var programFuncs = []struct {
	name            string
	params, results []api.ValueType
	fn              api.GoModuleFunc
}{
	{abi.FuncProgramSize, nil, one, programSize},
	{abi.FuncProgramRead, capability.I32(2), one, programRead},
}

// programSize is program_size (abi/ABI.md "Program"): it returns the length of the program, 0 when there is none.
func programSize(ctx context.Context, _ api.Module, stack []uint64) {
	stack[0] = uint64(len(instanceFrom(ctx).m.program))
}

// programRead is program_read (abi/ABI.md "Program"): it copies the program into (buf, cap) and returns its length;
// ErrNoResult when cap is smaller than the program. A range outside guest
// memory ends _initialize, and so refuses the module.
func programRead(ctx context.Context, mod api.Module, stack []uint64) {
	inst := instanceFrom(ctx)
	prog := inst.m.program
	buf, capacity := u32(stack[0]), u32(stack[1])
	if capacity < uint32(len(prog)) {
		stack[0] = errnoValue(abi.ErrNoResult)
		return
	}
	if !mod.Memory().Write(buf, prog) {
		panic(&abort{fmt.Errorf("guest passed an out-of-range pointer to %s.%s (ptr %#x, len %d, memory %d bytes)",
			abi.ImportModule, abi.FuncProgramRead, buf, len(prog), mod.Memory().Size())})
	}
	stack[0] = uint64(len(prog))
}
