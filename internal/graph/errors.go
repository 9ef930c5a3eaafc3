package graph

import "errors"

// Sentinel errors. Returned errors wrap them with %w and name the objects
// involved in brackets, e.g. "graph: not found: node [0189...]".
var (
	// ErrNotFound means the object does not exist in this app, or was
	// deleted in this transaction.
	ErrNotFound = errors.New("graph: not found")
	// ErrDenied means the caller's effective level is too low; the Tx also
	// records a Denial.
	ErrDenied = errors.New("graph: permission denied")
	// ErrBadDir means a Dir other than Out, In and Both.
	ErrBadDir = errors.New("graph: invalid direction")
	// ErrNotNode means an edge was given where a node is needed.
	ErrNotNode = errors.New("graph: not a node")
	// ErrBadID means a string is not 32 lowercase hex digits.
	ErrBadID = errors.New("graph: invalid id")
	// ErrBadType means a node or edge type name is not allowed.
	ErrBadType = errors.New("graph: invalid type")
	// ErrBadField means a field value has no stored form.
	ErrBadField = errors.New("graph: invalid field")
	// ErrBadLevel means a Level outside NoAccess..Write.
	ErrBadLevel = errors.New("graph: invalid level")
	// ErrRoot means the operation is not allowed on a root node.
	ErrRoot = errors.New("graph: not allowed on a root")
	// ErrNoRoot means the caller has no root, so it cannot own new objects.
	ErrNoRoot = errors.New("graph: caller has no root")
	// ErrConflict means a concurrent commit deleted an object this Tx
	// changed or connected; nothing was written.
	ErrConflict = errors.New("graph: conflict with another commit")
	// ErrTxDone means the Tx was already committed or rolled back.
	ErrTxDone = errors.New("graph: transaction already finished")
	// ErrCorrupt means stored bytes do not decode.
	ErrCorrupt = errors.New("graph: corrupt record")
)
