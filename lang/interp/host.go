package interp

import (
	"time"

	"github.com/walkerhost/walkerhost/lang/ast"
)

// NodeID and EdgeID are the host's identifiers of graph objects; the
// interpreter never looks inside them.
type (
	NodeID string
	EdgeID string
)

// GenericEdge is the edge type of `a ++> b` (no edge archetype named).
const GenericEdge = "GenericEdge"

// RootType is the node type of the root node (`Root` in abilities).
const RootType = "Root"

// EdgeInfo is one edge as the host stores it.
type EdgeInfo struct {
	ID       EdgeID
	Type     string // edge archetype name, GenericEdge for a generic edge
	Src, Dst NodeID
	Fields   map[string]any
}

// NodeRef and EdgeRef stand for a graph object among plain values (Report
// arguments, walker fields, function results): the host turns them into its
// JSON form of the object.
type (
	NodeRef struct{ ID NodeID }
	EdgeRef struct{ ID EdgeID }
)

// Host is what the interpreter needs from its embedder: the graph, output
// and services. Field maps and values crossing it are plain Go values: nil,
// bool, int64, float64, string, []byte (bytes), []any, map[string]any,
// NodeRef, EdgeRef, and *Upload (an uploaded file, handed in only).
//
// An error returned by a Host method becomes a Jac exception at the
// statement that made the call: an *Error keeps its type and message, any
// other error is raised as a RuntimeError with err.Error() as message.
type Host interface {
	// Root is the root node of the current user.
	Root() NodeID
	// Node reads a node: its archetype name (RootType for the root) and fields.
	Node(id NodeID) (typ string, fields map[string]any, err error)
	// CreateNode stores a new node (not yet connected to anything).
	CreateNode(typ string, fields map[string]any) (NodeID, error)
	// UpdateNode replaces a node's fields (called at the end of a run for
	// every node whose fields changed).
	UpdateNode(id NodeID, fields map[string]any) error
	// DeleteNode destroys a node and its edges.
	DeleteNode(id NodeID) error
	// Connect adds an edge src -> dst of an edge type (GenericEdge if none).
	Connect(src, dst NodeID, edgeType string, fields map[string]any) (EdgeID, error)
	// Edges lists the edges of a node in a direction (ast.Out: src is id,
	// ast.In: dst is id, ast.Both: either), of one edge type or of any type
	// if edgeType is "", in creation order.
	Edges(id NodeID, dir ast.Dir, edgeType string) ([]EdgeInfo, error)
	// UpdateEdge replaces an edge's fields.
	UpdateEdge(id EdgeID, fields map[string]any) error
	// Disconnect removes an edge.
	Disconnect(id EdgeID) error
	// Report sends one reported value out as it is made.
	Report(v any) error
	// Print writes program output (print(); the text ends with its newline).
	Print(s string)
	// Call is every other service, named as the Jac program names it:
	//   "perm_grant"(node NodeRef, level string) / "perm_revoke"(node)
	//   "allow_root"(node, root_id string, level string) / "disallow_root"(node, root_id)
	//   "store.<method>"(args...) for store() objects (upload, download, ...);
	//     upload's first argument arrives as []byte (a file-like object is
	//     read), or as the *Upload of an uploaded file not yet read
	//   "kv.<method>"(db_name, db_type, args...) for kvstore() objects
	//   "commit"() ; "jid"(node) -> string
	// with positional args first and keyword args as a final
	// map[string]any (nil when none). Levels are "NO_ACCESS", "READ",
	// "CONNECT" or "WRITE".
	Call(name string, args []any, kwargs map[string]any) (any, error)
}

// Clock is an optional interface of a Host: the wall clock a sandbox
// gives its guest (time.time(), datetime.now()). Without it the
// interpreter reads the process clock.
type Clock interface {
	Now() time.Time
}

func (c *call) now() time.Time {
	if clk, ok := c.host.(Clock); ok {
		return clk.Now()
	}
	return time.Now()
}
