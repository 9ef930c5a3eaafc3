package graph

import (
	"fmt"
	"maps"
)

// Kind tells nodes from edges.
type Kind uint8

// Object kinds.
const (
	KindNode Kind = 1
	KindEdge Kind = 2
)

// String returns "node" or "edge".
func (k Kind) String() string {
	switch k {
	case KindNode:
		return "node"
	case KindEdge:
		return "edge"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Type names with a meaning of their own.
const (
	// RootType is the type of root nodes; no other node may have it.
	RootType = "Root"
	// AnyType matches every type in Disconnect and Edges; no object has it.
	AnyType = "*"
	// MaxTypeLen is the longest type name, in bytes.
	MaxTypeLen = 255
)

// Object is a node or an edge as a Tx shows it.
//
// Objects returned by a Tx are snapshots shared with it: callers must not
// modify them, nor the maps and lists inside Fields. A snapshot never changes
// afterwards: Tx.Update and the permission methods replace the Tx's copy
// instead of changing it. Use Clone for a copy you may change.
type Object struct {
	ID    ID
	Kind  Kind
	Type  string // RootType for roots; "" for the generic edge
	Owner ID     // the owner root; a root owns itself
	ACL   ACL
	// Fields hold nil, bool, int64, float64, string, []any and
	// map[string]any values.
	Fields map[string]any
	// Src and Dst are an edge's ends; zero for nodes.
	Src, Dst ID
	// Version is 1 when created and grows by one with each committed change.
	Version uint64
}

// IsNode reports whether o is a node.
func (o *Object) IsNode() bool { return o.Kind == KindNode }

// IsRoot reports whether o is a root node.
func (o *Object) IsRoot() bool { return o.Kind == KindNode && o.Owner == o.ID }

// Clone returns a deep copy of o.
func (o *Object) Clone() *Object {
	c := *o
	c.ACL = o.ACL.clone()
	c.Fields = cloneFields(o.Fields)
	return &c
}

// shallow returns a copy of o that shares Fields values but not the Fields
// map or the ACL map, ready for copy-on-write changes.
func (o *Object) shallow() *Object {
	c := *o
	c.ACL = o.ACL.clone()
	c.Fields = maps.Clone(o.Fields)
	if c.Fields == nil {
		c.Fields = map[string]any{}
	}
	return &c
}

// checkType validates the type of a new node (node true) or edge.
func checkType(typ string, node bool) error {
	switch {
	case typ == AnyType, len(typ) > MaxTypeLen:
	case node && typ == "":
	case node && typ == RootType:
		return fmt.Errorf("%w: [%s] is reserved for roots", ErrBadType, typ)
	default:
		return nil
	}
	return fmt.Errorf("%w: [%.80q]", ErrBadType, typ)
}

var _ fmt.Stringer = Kind(0)
