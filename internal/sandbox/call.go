package sandbox

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tetratelabs/wazero/sys"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/wjson"
)

// Request is one walker or function run.
type Request struct {
	Kind    byte   // abi.KindWalker or abi.KindFunction
	Name    string // declared name
	App     string // the app the call runs for: the namespace of its files and key-value stores
	Tx      Tx     // the graph transaction; committed by the caller when Call succeeds
	Root    graph.ID
	Here    graph.ID // where a walker is spawned; Root when zero
	Fields  []byte   // a map value of validated fields (see package fields)
	Uploads []Upload // the files of the fields of type file, by upload id - 1
	ID      string   // the request id, carried by the guest's log lines
	// Sink, when set, receives each report as JSON as the walker makes it
	// (a node or edge as it is at that moment), instead of the payload
	// collecting them; the payload then counts them in "report_count". An
	// error from Sink ends the call with that error. The slice is reused
	// after Sink returns.
	Sink func(report []byte) error
}

// errDeadline stands for a call whose deadline fired as it returned.
var errDeadline = errors.New("sandbox: deadline reached")

// Call runs req on a pooled instance and appends the response payload,
// {"result": ..., "reports": [...], "warnings": [...]}, to dst; "warnings"
// is there only when a permission denial went unhandled (see appendWarnings). On error nothing is appended
// and the caller must roll the transaction back.
func (m *Module) Call(ctx context.Context, req *Request, dst []byte) ([]byte, error) {
	if !m.declares(req) {
		return dst, fmt.Errorf("%w: module %q has no %s %q", ErrUnknown, m.Name, kindName(req.Kind), req.Name)
	}
	inst, err := m.pool.get(ctx, m.limits.Timeout)
	if err != nil {
		return dst, err
	}
	s := &inst.sess
	s.reset(inst, req)
	s.sink, s.requestID = req.Sink, req.ID
	status, err := inst.run(req)
	s.flushLog()
	if err != nil {
		m.pool.discard(inst)
		return dst, err
	}
	out, err := s.payload(dst, status)
	s.tx, s.uploads = nil, nil
	if status == abi.StatusOK || status == abi.StatusFailed {
		m.release(inst)
	} else {
		m.pool.discard(inst)
	}
	return out, err
}

func (m *Module) declares(req *Request) bool {
	if req.Kind == abi.KindFunction {
		_, ok := m.functions[req.Name]
		return ok
	}
	_, ok := m.walkers[req.Name]
	return ok
}

func kindName(k byte) string {
	if k == abi.KindFunction {
		return "function"
	}
	return "walker"
}

// run writes the request record, growing the arena through walker_alloc if
// need be, and makes the one walker_handle call, both under the deadline
// timer, armed before the guest's first instruction.
func (inst *instance) run(req *Request) (abi.Status, error) {
	s := &inst.sess
	hereType, err := s.hereType(req)
	if err != nil {
		return 0, err
	}
	rec := append(s.scratch[:0], req.Kind)
	rec = abi.AppendStr(rec, req.Name)
	rec = abi.AppendU32(rec, s.issue(req.Root))
	rec = abi.AppendU32(rec, s.issue(cmp.Or(req.Here, req.Root)))
	rec = abi.AppendU32(rec, hereType)
	rec = append(rec, req.Fields...)
	s.scratch = rec
	now := time.Now()
	s.deadline = now.Add(inst.m.limits.Timeout)
	inst.turn.begin(req.App, &inst.m.pool.cores, now)
	inst.deadline.Reset(inst.m.limits.Timeout)
	inst.inCall = true
	inst.growFailed.Set(0)
	if err = inst.write(rec); err == nil {
		inst.stack[0] = uint64(len(rec))
		err = inst.handle.CallWithStack(inst.ctx, inst.stack)
	}
	inst.inCall = false
	inst.m.engine.cpu.release(&inst.turn)
	if !inst.deadline.Stop() && err == nil {
		err = errDeadline // the timer fired as the call returned
	}
	if err != nil {
		return 0, s.classify(err)
	}
	inst.served++
	return abi.Status(int32(inst.stack[0])), nil
}

// hereType is the type id of the node a walker is spawned on. The caller's
// root needs no look-up: it is a Root, and the caller authenticated as it.
func (s *session) hereType(req *Request) (uint32, error) {
	if req.Here.IsZero() || req.Here == req.Root {
		return abi.TypeRoot, nil
	}
	obj, err := req.Tx.Get(req.Here)
	if err != nil {
		return 0, err
	}
	return s.typeID(obj), nil
}

// classify turns what an export call returned into the error to report,
// from what the runtime and the host's own instrumentation say (see
// classifyTrap); what the guest printed goes to the log only (flushLog).
func (s *session) classify(err error) error {
	t := trap{err: err, expired: s.inst.expired.Load(), growFailed: s.inst.growFailed.Get() != 0}
	if s.abort != nil {
		t.abort = s.abort.err
	}
	return classifyTrap(t, s.limits(), s.walker)
}

// trap is what the host knows of a call into the guest that failed.
type trap struct {
	err        error // what the export call returned
	abort      error // why a host function stopped the call (session.stop), if it did
	expired    bool  // the deadline fired: the interrupt flag was raised (instance.expire)
	growFailed bool  // a memory.grow failed during the call (wasmrewrite.FlagFailedGrow)
}

// classifyTrap names what ended a failed call, first match wins:
//
//  1. a host function's abort: a limit it enforces, or a bad pointer;
//  2. the deadline (the interrupt flag), whatever the guest did after it;
//  3. walker_alloc's arena outside memory (an ExecError from the host);
//  4. wazero's call stack overflow: the stack limit;
//  5. a failed memory.grow: the memory limit, whether the guest then
//     trapped (Go's runtime aborts: "fatal error: out of memory") or
//     exited (allocators that call exit; Go's runtime too, when its
//     tracebacks are off). A maximum the module declared below the limit
//     counts alike: memory.grow cannot tell the two apart;
//  6. proc_exit (sys.ExitError): a trap naming the exit code;
//  7. any other runtime trap (unreachable, out of bounds, ...): a trap
//     with the runtime's first line, without its stack trace.
//
// A Go guest's own goroutine stack limit (1 GB, reachable only under a
// memory limit above it) is not told apart: Go reports it on stderr only,
// so it is a trap like any other fatal error of its runtime.
func classifyTrap(t trap, lim *Limits, walker string) error {
	var ex *ExecError
	var exit *sys.ExitError
	switch {
	case t.abort != nil:
		return t.abort
	case t.expired:
		return &LimitError{Limit: "time", Value: lim.Timeout.String()}
	case errors.As(t.err, &ex):
		return t.err
	case runtimeTrap(t.err) == "stack overflow":
		return &LimitError{Limit: "stack", Value: "guest call stack"}
	case t.growFailed:
		return &LimitError{Limit: "memory", Value: fmt.Sprintf("%d MiB", lim.MemoryMB)}
	case errors.As(t.err, &exit):
		return execErr(OutcomeTrap, "walker %q: guest exited with code %d", walker, exit.ExitCode())
	}
	msg, _, _ := strings.Cut(t.err.Error(), "\n")
	return execErr(OutcomeTrap, "walker %q: %s", walker, msg)
}

// wasmruntimeError is the type of the traps wazero's engine raises
// (ErrRuntimeStackOverflow, ErrRuntimeUnreachable, ...), in a package
// wazero keeps internal.
const wasmruntimeError = "github.com/tetratelabs/wazero/internal/wasmruntime.Error"

// runtimeTrap returns the message of the engine's trap err wraps, such as
// "stack overflow" or "unreachable", or "" when err is not one.
func runtimeTrap(err error) string {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if t := reflect.TypeOf(e); t.Kind() == reflect.Pointer && t.Elem().PkgPath()+"."+t.Elem().Name() == wasmruntimeError {
			return e.Error()
		}
	}
	return ""
}

// payload builds {"result": output, "reports": [...]} after a clean return,
// with "warnings": [...] when the call met denials it did not handle.
func (s *session) payload(dst []byte, status abi.Status) ([]byte, error) {
	if status != abi.StatusOK {
		return dst, s.failure(status)
	}
	start := len(dst)
	dst = append(dst, `{"result":`...)
	var err error
	if dst, err = s.appendValues(dst, s.output, 1); err != nil {
		return dst[:start], err
	}
	if s.sink != nil {
		dst = append(dst, `,"report_count":`...)
		dst = strconv.AppendInt(dst, int64(s.nReports), 10)
	} else {
		dst = append(dst, `,"reports":[`...)
		if dst, err = s.appendValues(dst, s.reports, s.nReports); err != nil {
			return dst[:start], err
		}
		dst = append(dst, ']')
	}
	dst = s.appendWarnings(dst) // after the reports: expanding them may be refused too
	return append(dst, '}'), nil
}

func (s *session) appendValues(dst, vals []byte, n int) ([]byte, error) {
	if len(vals) == 0 {
		if n == 1 {
			return append(dst, "null"...), nil
		}
		return dst, nil
	}
	var r abi.Reader
	r.Reset(vals)
	var err error
	for i := 0; r.Len() > 0; i++ {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = wjson.Append(dst, &r, s.appendRef); err != nil {
			return dst, s.reportErr(err)
		}
	}
	return dst, nil
}

func (s *session) reportErr(err error) error {
	var lim *LimitError
	if errors.As(err, &lim) {
		return lim
	}
	return execErr(OutcomeError, "walker %q: report: %v", s.walker, err)
}

// stream passes one report to the call's sink as JSON.
func (s *session) stream(v []byte) {
	var r abi.Reader
	r.Reset(v)
	out, err := wjson.Append(s.sinkBuf[:0], &r, s.appendRef)
	s.sinkBuf = out
	if err != nil {
		s.stop(s.reportErr(err))
	}
	s.nReports++
	if err := s.sink(out); err != nil {
		s.stop(fmt.Errorf("sandbox: report stream: %w", err))
	}
}

// failure turns a non-OK status into the error carrying the guest's message.
func (s *session) failure(status abi.Status) error {
	msg := "walker failed"
	if v, err := abi.DecodeValue(s.output); err == nil {
		switch x := v.(type) {
		case string:
			if x != "" {
				msg = x
			}
		case map[string]any:
			if ce := clientError(x); ce != nil && status == abi.StatusFailed {
				ce.Walker = s.walker
				return ce
			}
			msg, _ = x["message"].(string)
		}
	}
	if s.schema != nil && strings.Contains(msg, s.schema.Error()) {
		return s.schema // the walker passed on the host's refusal of its write
	}
	kind := OutcomeError
	switch status {
	case abi.StatusBadRequest:
		msg = "guest did not understand the request: " + msg
	case abi.StatusPanicked:
		kind = OutcomePanic
	}
	return execErr(kind, "walker %q: %s", s.walker, msg)
}

// clientError reads a failure output {"status", "message"}; nil unless the
// status is one of abi.ClientStatuses.
func clientError(m map[string]any) *ClientError {
	st, ok := m["status"].(int64)
	if !ok || !slices.Contains(abi.ClientStatuses, int(st)) {
		return nil
	}
	msg, _ := m["message"].(string)
	return &ClientError{Status: int(st), Message: msg}
}

// flushLog writes what the guest printed or logged during the call to the
// host log, one record per line with the module, the walker and the request
// id; walker.log lines keep their level.
func (s *session) flushLog() {
	if len(s.log) == 0 {
		return
	}
	lg := s.inst.m.engine.log
	for _, line := range strings.Split(strings.TrimRight(string(s.log), "\n"), "\n") {
		level, msg := guestLine(line)
		lg.LogAttrs(context.Background(), level, msg, slog.String("module", s.inst.m.Name),
			slog.String("walker", s.walker), slog.String("request_id", s.requestID))
	}
	s.log = s.log[:0]
}
