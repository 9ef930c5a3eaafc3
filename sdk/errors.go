package sdk

import "github.com/walkerhost/walkerhost/abi"

// Error is a host function's failure: the errno it returned and the host's
// message for it. Match it with errors.Is against ErrNotFound, ErrDenied and
// the other sentinels below.
//
// The message is fetched with error_take only when the guest looks at the
// error (Error or errors.Is), because taking it tells the host the guest
// handled the failure; a denial the guest ignores stays visible to the
// client as a warning.
type Error struct {
	Op    string    // the host function that failed, e.g. "obj_update"; empty for sentinels
	Errno abi.Errno // the negative errno it returned

	msg   string
	req   uint64 // serial of the request the errno belongs to
	seq   uint64 // position among that request's errnos, from 1
	taken bool
}

// Sentinels for errors.Is, one per errno of ABI.md "Errors".
var (
	ErrBadHandle   = &Error{Errno: abi.ErrBadHandle}
	ErrNotFound    = &Error{Errno: abi.ErrNotFound}
	ErrDenied      = &Error{Errno: abi.ErrDenied}
	ErrBadArgument = &Error{Errno: abi.ErrBadArgument}
	ErrUnknownType = &Error{Errno: abi.ErrUnknownType}
	ErrNoResult    = &Error{Errno: abi.ErrNoResult}
	ErrUnsupported = &Error{Errno: abi.ErrUnsupported} // a key-value method of the other kind of store
	ErrUnavailable = &Error{Errno: abi.ErrUnavailable} // storage or a database not configured, or failing
	ErrTooLarge    = &Error{Errno: abi.ErrTooLarge}    // a result larger than the module's memory limit
)

// hostErr records a negative result of host function op as an *Error.
func hostErr(op string, n int32) error {
	cur.errnos++
	return &Error{Op: op, Errno: abi.Errno(n), req: cur.serial, seq: cur.errnos}
}

// Error returns "op: errno name: host message".
func (e *Error) Error() string {
	e.take()
	s := e.Errno.String()
	if e.Op != "" {
		s = e.Op + ": " + s
	}
	if e.msg != "" {
		s += ": " + e.msg
	}
	return s
}

// Message returns the host's message for the errno, or "" when it is not
// available (the request has since moved on to another errno).
func (e *Error) Message() string {
	e.take()
	return e.msg
}

// Is reports whether target is the sentinel for e's errno.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || t.Op != "" {
		return false
	}
	e.take()
	return t.Errno == e.Errno
}

// take fetches the host's message once, if this is still the request's
// latest errno; a later errno replaces the message the host keeps.
func (e *Error) take() {
	if e.taken || e.seq == 0 {
		return
	}
	e.taken = true
	if e.req != cur.serial || e.seq != cur.errnos {
		return
	}
	if b, ok := takeError(); ok {
		e.msg = string(b)
	}
}
