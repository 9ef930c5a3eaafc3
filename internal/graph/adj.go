package graph

import "fmt"

// Dir selects edges by direction relative to a node.
type Dir uint8

// Directions; Both is Out|In.
const (
	Out  Dir = 1 // edges from the node
	In   Dir = 2 // edges to the node
	Both Dir = Out | In
)

// String returns "out", "in" or "both".
func (d Dir) String() string {
	switch d {
	case Out:
		return "out"
	case In:
		return "in"
	case Both:
		return "both"
	}
	return fmt.Sprintf("Dir(%d)", uint8(d))
}

// Adjacency key direction bytes.
const (
	adjOut byte = 'o'
	adjIn  byte = 'i'
)

// adjKeyLen is node | dir | edge.
const adjKeyLen = 16 + 1 + 16

// adjKey returns the adjacency key of edge at node in direction dir.
func adjKey(node ID, dir byte, edge ID) []byte {
	k := make([]byte, 0, adjKeyLen)
	return append(append(append(k, node[:]...), dir), edge[:]...)
}

// adjVal is the adjacency value: other node | u8 len + edge type | u8 len +
// other node's type. Types never change, so the value never does.
func adjVal(other ID, etype, ntype string) []byte {
	v := make([]byte, 0, 16+2+len(etype)+len(ntype))
	v = append(v, other[:]...)
	v = append(append(v, byte(len(etype))), etype...)
	return append(append(v, byte(len(ntype))), ntype...)
}

// adjEntry is one decoded adjacency entry.
type adjEntry struct {
	edge, other ID
	out         bool // the node is the edge's source
}

// parseAdj decodes an adjacency entry and reports whether it passes the
// edge and node type filters (AnyType passes all). The type comparisons do
// not allocate.
func parseAdj(k, v []byte, etype, ntype string) (adjEntry, bool, error) {
	var e adjEntry
	if len(k) != adjKeyLen || len(v) < 18 {
		return e, false, fmt.Errorf("%w: adjacency entry", ErrCorrupt)
	}
	copy(e.edge[:], k[17:])
	copy(e.other[:], v)
	e.out = k[16] == adjOut
	n := int(v[16])
	if 17+n >= len(v) || 18+n+int(v[17+n]) != len(v) {
		return e, false, fmt.Errorf("%w: adjacency entry", ErrCorrupt)
	}
	et, nt := v[17:17+n], v[18+n:]
	ok := (etype == AnyType || string(et) == etype) && (ntype == AnyType || string(nt) == ntype)
	return e, ok, nil
}

var _ fmt.Stringer = Dir(0)
