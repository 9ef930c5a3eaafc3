package sandbox

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/capability"
	"github.com/walkerhost/walkerhost/internal/graph"
)

// The built-in capabilities: what a walker does with the graph, the
// permissions of its objects, its results and the call itself. They reach
// into the call's session (handles, reports, denials), so they live here;
// capabilities that reach a service are packages of their own (package
// capability).
var (
	graphCap = builtin{"graph", []capability.Func{
		{Name: abi.FuncNodeCreate, Params: capability.I32(3), Results: one, Fn: on(nodeCreate)},
		{Name: abi.FuncObjGet, Params: capability.I32(2), Results: one, Fn: on(objGet)},
		{Name: abi.FuncObjRead, Params: capability.I32(3), Results: one, Fn: on(objRead)},
		{Name: abi.FuncObjUpdate, Params: capability.I32(3), Results: one, Fn: on(objUpdate)},
		{Name: abi.FuncObjDelete, Params: capability.I32(1), Results: one, Fn: on(objDelete)},
		{Name: abi.FuncEdgeConnect, Params: capability.I32(5), Results: one, Fn: on(edgeConnect)},
		{Name: abi.FuncEdgeDisconnect, Params: capability.I32(3), Results: one, Fn: on(edgeDisconnect)},
		{Name: abi.FuncEdgeQuery, Params: capability.I32(7), Results: one, Fn: on(edgeQuery)},
	}, graphErrnos}
	permissionsCap = builtin{"permissions", []capability.Func{
		{Name: abi.FuncPermGrant, Params: capability.I32(2), Results: one, Fn: on(permGrant)},
		{Name: abi.FuncPermRevoke, Params: capability.I32(1), Results: one, Fn: on(permRevoke)},
		{Name: abi.FuncAllowRoot, Params: capability.I32(4), Results: one, Fn: on(allowRoot)},
		{Name: abi.FuncDisallowRoot, Params: capability.I32(3), Results: one, Fn: on(disallowRoot)},
	}, nil}
	outputCap = builtin{"output", []capability.Func{
		{Name: abi.FuncReport, Params: capability.I32(2), Results: one, Fn: on(report)},
		{Name: abi.FuncOutput, Params: capability.I32(2), Results: one, Fn: on(output)},
		{Name: abi.FuncLog, Params: capability.I32(3), Fn: on(logLine)},
	}, nil}
	requestCap = builtin{"request", []capability.Func{
		{Name: abi.FuncErrorTake, Params: capability.I32(2), Results: one, Fn: on(errorTake)},
		{Name: abi.FuncResultTake, Params: capability.I32(2), Results: one, Fn: on(resultTake)},
		{Name: abi.FuncNow, Results: []api.ValueType{vI64}, Fn: on(now)},
		{Name: abi.FuncUploadRead, Params: []api.ValueType{vI32, vI64, vI32, vI32}, Results: one, Fn: on(uploadRead)},
	}, requestErrnos}
)

// builtins are registered by every engine, before Options.Capabilities.
var builtins = []capability.Capability{graphCap, permissionsCap, outputCap, requestCap}

// The errnos of the built-in capabilities.
var (
	graphErrnos = []capability.Errno{
		{Err: graph.ErrNotFound, Errno: abi.ErrNotFound},
		{Err: graph.ErrDenied, Errno: abi.ErrDenied},
	}
	requestErrnos = []capability.Errno{{Err: capability.ErrNoUpload, Errno: abi.ErrNotFound}}
	builtinErrnos = slices.Concat(graphErrnos, requestErrnos)
)

// builtin is a capability of this package.
type builtin struct {
	name   string
	funcs  []capability.Func
	errnos []capability.Errno
}

func (b builtin) Name() string               { return b.name }
func (b builtin) Funcs() []capability.Func   { return b.funcs }
func (b builtin) Errnos() []capability.Errno { return b.errnos }

// on adapts a host function of this package, which works on the session.
func on(fn func(s *session, stack []uint64)) func(capability.Call, []uint64) {
	return func(c capability.Call, stack []uint64) { fn(c.(*session), stack) }
}

var one = []api.ValueType{vI32}

// hostModule is the import module "walker" of an engine: the functions of
// its capabilities by name, and their errnos in one table, the built-ins'
// first.
type hostModule struct {
	funcs    map[string]capability.Func
	errnos   []capability.Errno
	stateful []capability.Stateful
}

// newHostModule gathers the functions of caps; two capabilities that
// define the same function are an error.
func newHostModule(caps []capability.Capability) (*hostModule, error) {
	hm := &hostModule{funcs: map[string]capability.Func{}}
	owner := map[string]string{}
	for _, c := range slices.Concat(builtins, caps) {
		for _, f := range c.Funcs() {
			if prev, ok := owner[f.Name]; ok {
				return nil, fmt.Errorf("capability %s defines %s.%s, as %s does", c.Name(), abi.ImportModule, f.Name, prev)
			}
			owner[f.Name] = c.Name()
			hm.funcs[f.Name] = f
		}
		hm.errnos = append(hm.errnos, c.Errnos()...)
		if st, ok := c.(capability.Stateful); ok {
			hm.stateful = append(hm.stateful, st)
		}
	}
	return hm, nil
}

// instantiate defines the host module in rt: every capability's
// functions, which serve requests only, and the program functions, which
// serve _initialize only.
func (hm *hostModule) instantiate(ctx context.Context, rt wazero.Runtime) error {
	b := rt.NewHostModuleBuilder(abi.ImportModule)
	for _, name := range sortedKeys(hm.funcs) {
		f := hm.funcs[name]
		b.NewFunctionBuilder().WithGoModuleFunction(duringRequest(f.Name, f.Fn), f.Params, f.Results).Export(f.Name)
	}
	for _, f := range programFuncs {
		b.NewFunctionBuilder().WithGoModuleFunction(duringInitialize(f.name, f.fn), f.params, f.results).Export(f.name)
	}
	_, err := b.Instantiate(ctx)
	return err
}

// signature returns the parameter and result types of host function name.
func (hm *hostModule) signature(name string) (signature, bool) {
	if f, ok := hm.funcs[name]; ok {
		return signature{f.Params, f.Results}, true
	}
	for _, f := range programFuncs {
		if f.name == name {
			return signature{f.params, f.results}, true
		}
	}
	return signature{}, false
}

// duringRequest wraps a host function so that a guest calling it outside
// a request (from _initialize, walker_abi_version or walker_manifest),
// when there is no session to serve it, ends that export call with a
// sentence naming both, rather than a nil dereference whose error would
// carry a Go stack trace.
func duringRequest(name string, fn func(capability.Call, []uint64)) api.GoModuleFunction {
	return api.GoModuleFunc(func(ctx context.Context, _ api.Module, stack []uint64) {
		if inst := instanceFrom(ctx); !inst.inCall {
			panic(&abort{fmt.Errorf("called %s.%s; host functions serve requests only (%s and %s)",
				abi.ImportModule, name, abi.ExportAlloc, abi.ExportHandle)})
		}
		fn(enter(ctx), stack)
	})
}

// report is report (abi/ABI.md "Output").
func report(s *session, stack []uint64) {
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

// output is output (abi/ABI.md "Output").
func output(s *session, stack []uint64) {
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

// logLine is log (abi/ABI.md "Output").
func logLine(s *session, stack []uint64) {
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

// errorTake is error_take (abi/ABI.md "Support").
func errorTake(s *session, stack []uint64) {
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

// resultTake is result_take (abi/ABI.md "Support").
func resultTake(s *session, stack []uint64) {
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

// now is now (abi/ABI.md "Support").
func now(s *session, stack []uint64) {
	stack[0] = uint64(time.Now().Truncate(time.Millisecond).UnixNano())
}

func u32(v uint64) uint32 { return uint32(v) }
