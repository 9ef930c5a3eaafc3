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
	// ErrExecution marks a walker that trapped, panicked or returned an error.
	ErrExecution = errors.New("sandbox: execution failed")
	// ErrLimit marks a walker stopped by a limit; see LimitError.
	ErrLimit = errors.New("sandbox: limit exceeded")
	// ErrUnknown marks a walker or function name the module does not declare.
	ErrUnknown = errors.New("sandbox: unknown entry")
	// ErrClosed marks a call on a module or engine that was closed.
	ErrClosed = errors.New("sandbox: closed")
)

// LimitError says which limit stopped a walker. It wraps ErrLimit.
type LimitError struct {
	Limit string // "time", "memory", "stack", "report_bytes", "host_calls", "handles", "concurrency"
	Value string // the configured value, e.g. "10s"
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("sandbox: %s limit exceeded (%s)", e.Limit, e.Value)
}

// Unwrap lets errors.Is(err, ErrLimit) hold.
func (e *LimitError) Unwrap() error { return ErrLimit }

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
	return &abort{fmt.Errorf("%w: "+format, append([]any{ErrExecution}, args...)...)}
}
