package sandbox

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error this package returns wraps one of them.
var (
	// ErrModule marks a module refused at load: bad bytes, imports, exports
	// or manifest. The message names the module and what is wrong.
	ErrModule = errors.New("sandbox: module refused")
	// ErrExecution marks a walker that trapped, panicked or returned an
	// error; see ExecError.
	ErrExecution = errors.New("sandbox: execution failed")
	// ErrLimit marks a walker stopped by a limit; see LimitError.
	ErrLimit = errors.New("sandbox: limit exceeded")
	// ErrUnknown marks a walker or function name the module does not declare.
	ErrUnknown = errors.New("sandbox: unknown entry")
	// ErrClosed marks a call on a module or engine that was closed.
	ErrClosed = errors.New("sandbox: closed")
)

// LimitError says which limit stopped a walker, or refused a module at
// load (see ModuleLimit). It wraps ErrLimit.
type LimitError struct {
	Limit string // "time", "memory", "stack", "report_bytes", "host_calls", "handles", "concurrency", ...
	Value string // the configured value, e.g. "10s"
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("sandbox: %s limit exceeded (%s)", e.Limit, e.Value)
}

// Unwrap lets errors.Is(err, ErrLimit) hold.
func (e *LimitError) Unwrap() error { return ErrLimit }

// ModuleLimit is a module refused at load because it is over a limit
// (module_bytes, functions, nesting, locals, table_entries,
// manifest_bytes, manifest_entries) or because compilations are full
// (compiles). It wraps ErrModule and its LimitError, so callers can
// answer with the limit's name.
type ModuleLimit struct {
	msg string
	lim *LimitError
}

func (e *ModuleLimit) Error() string { return e.msg }

// Unwrap lets errors.Is(err, ErrModule) and errors.As(err, **LimitError)
// hold.
func (e *ModuleLimit) Unwrap() []error { return []error{ErrModule, e.lim} }

// Outcomes of a call, as Outcome names them.
const (
	OutcomeOK    = "ok"
	OutcomeError = "error" // the walker returned an error, or the call failed otherwise
	OutcomePanic = "panic" // walker code panicked and the SDK recovered
	OutcomeTrap  = "trap"  // the guest trapped, exited or passed the host a bad pointer
	OutcomeLimit = "limit" // a LimitError stopped it
)

// ExecError is a walker run that failed. Kind is OutcomeError, OutcomePanic
// or OutcomeTrap. It wraps ErrExecution.
type ExecError struct {
	Kind string
	msg  string
}

func (e *ExecError) Error() string { return e.msg }

// Unwrap lets errors.Is(err, ErrExecution) hold.
func (e *ExecError) Unwrap() error { return ErrExecution }

func execErr(kind, format string, args ...any) *ExecError {
	return &ExecError{Kind: kind, msg: ErrExecution.Error() + ": " + fmt.Sprintf(format, args...)}
}

// Outcome classifies what Module.Call returned: one of the Outcome
// constants, and for a limit, a panic or a trap the abort kind: the limit's
// name ("time", "memory", ...), "panic" or "trap"; "" otherwise. Metrics
// count runs by outcome and aborts by kind.
func Outcome(err error) (outcome, abort string) {
	if err == nil {
		return OutcomeOK, "" // before the targets of errors.As, which escape
	}
	var lim *LimitError
	var ex *ExecError
	switch {
	case errors.As(err, &lim):
		return OutcomeLimit, lim.Limit
	case errors.As(err, &ex) && ex.Kind != OutcomeError:
		return ex.Kind, ex.Kind
	}
	return OutcomeError, ""
}

// ClientError is a walker's deliberate refusal with a client status (ABI.md
// "walker_handle status"). It wraps ErrExecution.
type ClientError struct {
	Walker  string
	Status  int // one of abi.ClientStatuses
	Message string
}

func (e *ClientError) Error() string {
	return fmt.Sprintf("sandbox: walker %q refused the request (%d): %s", e.Walker, e.Status, e.Message)
}

// Unwrap lets errors.Is(err, ErrExecution) hold.
func (e *ClientError) Unwrap() error { return ErrExecution }

// abort is what a host function panics with to end a call the guest must not
// continue: a limit or a pointer outside guest memory. wazero returns it,
// wrapped, from the export call.
type abort struct{ err error }

func (a *abort) Error() string { return a.err.Error() }
func (a *abort) Unwrap() error { return a.err }

func abortf(format string, args ...any) *abort {
	return &abort{execErr(OutcomeTrap, format, args...)}
}
