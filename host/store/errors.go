package store

import "errors"

// Sentinel errors. Callers match them with errors.Is; the wrapping error names
// the directory, app or kind in brackets.
var (
	// ErrLocked means another process has the data directory open.
	ErrLocked = errors.New("store: data directory is locked by another process")
	// ErrBadName means an app or kind name breaks the naming rule (see Bucket).
	ErrBadName = errors.New("store: invalid bucket name")
	// ErrReadOnly means a write was attempted in a View transaction.
	ErrReadOnly = errors.New("store: write in a read-only transaction")
	// ErrEmptyKey means Put or Delete was given an empty key.
	ErrEmptyKey = errors.New("store: empty key")
	// ErrPanic wraps a panic raised by a Batch function.
	ErrPanic = errors.New("store: panic in transaction function")
)
