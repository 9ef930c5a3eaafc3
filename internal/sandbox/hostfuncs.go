package sandbox

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/walkerhost/walkerhost/abi"
)

// hostFunc is one import of module "walker" (abi/ABI.md "Host imports").
type hostFunc struct {
	name            string
	params, results []api.ValueType
	fn              api.GoModuleFunc
}

func sig(n int) []api.ValueType {
	p := make([]api.ValueType, n)
	for i := range p {
		p[i] = vI32
	}
	return p
}

var one = []api.ValueType{vI32}

var hostFuncs = []hostFunc{
	{abi.FuncNodeCreate, sig(3), one, nodeCreate},
	{abi.FuncObjGet, sig(2), one, objGet},
	{abi.FuncObjRead, sig(3), one, objRead},
	{abi.FuncObjUpdate, sig(3), one, objUpdate},
	{abi.FuncObjDelete, sig(1), one, objDelete},
	{abi.FuncEdgeConnect, sig(5), one, edgeConnect},
	{abi.FuncEdgeDisconnect, sig(3), one, edgeDisconnect},
	{abi.FuncEdgeQuery, sig(7), one, edgeQuery},
	{abi.FuncReport, sig(2), one, report},
	{abi.FuncOutput, sig(2), one, output},
	{abi.FuncLog, sig(3), nil, logLine},
	{abi.FuncErrorTake, sig(2), one, errorTake},
	{abi.FuncResultTake, sig(2), one, resultTake},
	{abi.FuncNow, nil, []api.ValueType{vI64}, now},
	{abi.FuncPermGrant, sig(2), one, permGrant},
	{abi.FuncPermRevoke, sig(1), one, permRevoke},
	{abi.FuncAllowRoot, sig(4), one, allowRoot},
	{abi.FuncDisallowRoot, sig(3), one, disallowRoot},
	{abi.FuncStoreCall, sig(5), one, storeCallFn},
	{abi.FuncKVCall, sig(5), one, kvCallFn},
	{abi.FuncUploadRead, []api.ValueType{vI32, vI64, vI32, vI32}, one, uploadRead},
	{abi.FuncProgramSize, nil, one, programSize},
	{abi.FuncProgramRead, sig(2), one, programRead},
}

var hostFuncByName = func() map[string]*hostFunc {
	m := make(map[string]*hostFunc, len(hostFuncs))
	for i := range hostFuncs {
		m[hostFuncs[i].name] = &hostFuncs[i]
	}
	return m
}()

func instantiateHostModule(ctx context.Context, rt wazero.Runtime) error {
	b := rt.NewHostModuleBuilder(abi.ImportModule)
	for _, f := range hostFuncs {
		fn := duringRequest(f.name, f.fn)
		if f.name == abi.FuncProgramSize || f.name == abi.FuncProgramRead {
			fn = duringInitialize(f.name, f.fn)
		}
		b.NewFunctionBuilder().WithGoModuleFunction(fn, f.params, f.results).Export(f.name)
	}
	_, err := b.Instantiate(ctx)
	return err
}

// duringRequest wraps a host function so that a guest calling it outside
// a request (from _initialize, walker_abi_version or walker_manifest),
// when there is no session to serve it, ends that export call with a
// sentence naming both, rather than a nil dereference whose error would
// carry a Go stack trace.
func duringRequest(name string, fn api.GoModuleFunc) api.GoModuleFunction {
	return api.GoModuleFunc(func(ctx context.Context, mod api.Module, stack []uint64) {
		if inst := instanceFrom(ctx); !inst.inCall {
			panic(&abort{fmt.Errorf("called %s.%s; host functions serve requests only (%s and %s)",
				abi.ImportModule, name, abi.ExportAlloc, abi.ExportHandle)})
		}
		fn(ctx, mod, stack)
	})
}

func report(ctx context.Context, _ api.Module, stack []uint64) {
	s := enter(ctx)
	v := s.result(abi.FuncReport, stack)
	switch {
	case v == nil:
	case s.sink != nil:
		s.stream(v)
	default:
		s.reports = append(s.reports, v...)
		s.nReports++
	}
}

func output(ctx context.Context, _ api.Module, stack []uint64) {
	s := enter(ctx)
	if v := s.result(abi.FuncOutput, stack); v != nil {
		s.output = append(s.output[:0], v...)
	}
}

// result reads the value a report or output call passes, charges it to the
// report limit and answers the call: 0, or ErrBadArgument for a malformed
// value (then it returns nil).
func (s *session) result(fn string, stack []uint64) []byte {
	v := s.value(fn, u32(stack[0]), u32(stack[1]))
	if v == nil {
		stack[0] = s.fail(abi.ErrBadArgument, errBadValue)
		return nil
	}
	s.charge(len(v))
	stack[0] = 0
	return v
}

func logLine(ctx context.Context, _ api.Module, stack []uint64) {
	s := enter(ctx)
	msg := s.read(abi.FuncLog, u32(stack[1]), u32(stack[2]))
	s.appendLog([]byte{logMark, levelMark(s32(stack[0]))})
	s.appendLog(msg)
	s.appendLog([]byte{'\n'})
}

// logMark starts a walker.log line in the call's log buffer, followed by
// its level's mark; other lines are the guest's stdout and stderr.
const logMark = 0x1e

func levelMark(l int32) byte {
	switch l {
	case abi.LogDebug:
		return 'D'
	case abi.LogWarn:
		return 'W'
	case abi.LogError:
		return 'E'
	}
	return 'I'
}

// guestLine splits a line of the call's log buffer into its level and text:
// the walker.log level, or info for stdout and stderr.
func guestLine(line string) (slog.Level, string) {
	if len(line) < 2 || line[0] != logMark {
		return slog.LevelInfo, line
	}
	switch line[1] {
	case 'D':
		return slog.LevelDebug, line[2:]
	case 'W':
		return slog.LevelWarn, line[2:]
	case 'E':
		return slog.LevelError, line[2:]
	}
	return slog.LevelInfo, line[2:]
}

func errorTake(ctx context.Context, _ api.Module, stack []uint64) {
	s := enter(ctx)
	if !s.hasErr {
		stack[0] = errnoValue(abi.ErrNoResult)
		return
	}
	n := s.give(abi.FuncErrorTake, u32(stack[0]), u32(stack[1]), []byte(s.lastErr))
	if !s.hasPending {
		s.taken()
	}
	stack[0] = n
}

func resultTake(ctx context.Context, _ api.Module, stack []uint64) {
	s := enter(ctx)
	if !s.hasPending || uint32(len(s.pending)) > u32(stack[1]) {
		stack[0] = errnoValue(abi.ErrNoResult)
		return
	}
	copy(s.read(abi.FuncResultTake, u32(stack[0]), uint32(len(s.pending))), s.pending)
	stack[0] = uint64(len(s.pending))
	s.hasPending = false
	if s.hasErr && string(s.pending) == s.lastErr {
		s.taken()
	}
}

func now(ctx context.Context, _ api.Module, stack []uint64) {
	enter(ctx)
	stack[0] = uint64(time.Now().Truncate(time.Millisecond).UnixNano())
}

func u32(v uint64) uint32 { return uint32(v) }
