package files

import "errors"

// Sentinel errors. Every error this package returns wraps one of them; the
// sandbox maps each to an errno (abi/ABI.md "Storage").
var (
	// ErrBadPath marks a malformed path: empty, too long, with a NUL byte,
	// a backslash or a reserved name, or naming the root where a file is
	// needed.
	ErrBadPath = errors.New("storage: bad path")
	// ErrEscape marks a path that would leave the app's storage root: an
	// absolute path, a ".." component, or a symbolic link leading out.
	ErrEscape = errors.New("storage: path leaves the app's storage root")
	// ErrNotFound marks a missing file or folder, or a missing parent
	// folder when folders are not created.
	ErrNotFound = errors.New("storage: not found")
	// ErrIsDir marks a file operation on a folder.
	ErrIsDir = errors.New("storage: is a folder")
	// ErrConflict marks an operation the filesystem refuses for the state
	// of its target: a move into itself, or onto a folder that is not empty.
	ErrConflict = errors.New("storage: conflict")
	// ErrTooLarge marks a file or listing larger than the caller may take.
	ErrTooLarge = errors.New("storage: too large")
	// ErrQuota marks a write that would take the app's files past their
	// quota (see QuotaError).
	ErrQuota = errors.New("storage: quota exceeded")
	// ErrIO marks any other failure of the filesystem.
	ErrIO = errors.New("storage: i/o error")
	// ErrConfig marks storage settings that cannot work.
	ErrConfig = errors.New("storage: bad configuration")
)
