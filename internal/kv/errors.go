package kv

import "errors"

// Sentinel errors. Every error this package returns wraps one of them; the
// sandbox maps each to an errno (abi/ABI.md "Key-value stores").
var (
	// ErrInvalid marks a malformed argument: a name, key, value, filter,
	// update, option or document the store refuses, or one the server
	// refused (a duplicate _id, INCR on a value that is not a number).
	ErrInvalid = errors.New("kv: invalid argument")
	// ErrDenied marks a URI that is neither configured nor allowed.
	ErrDenied = errors.New("kv: uri not allowed")
	// ErrUnsupported marks a method of the other kind of store.
	ErrUnsupported = errors.New("kv: not supported")
	// ErrUnavailable marks a store with no server configured, or a server
	// that failed or did not answer in time.
	ErrUnavailable = errors.New("kv: unavailable")
	// ErrValueTooLarge marks a write of a value or document larger than
	// the app's kv_value_bytes limit.
	ErrValueTooLarge = errors.New("kv: value too large")
	// ErrTooLarge marks a result larger than the caller may take.
	ErrTooLarge = errors.New("kv: result too large")
)
