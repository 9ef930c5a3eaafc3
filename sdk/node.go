package sdk

import "github.com/walkerhost/walkerhost/abi"

// Node is a node of the graph as the current request sees it: a handle,
// valid only during the request. The zero Node is no node. Its field
// methods (ID, Fields, Get, Str, Int, Float, Bool, Set, Delete) read
// through a per-request cache, so reading the fields of nodes returned by
// an edge query costs no further host call.
//
// == compares handles; compare IDs to tell whether two Nodes are the same
// node, in case the host issues one node more than one handle.
type Node struct{ ref }

// Edge is an edge of the graph, with the same field methods as Node.
type Edge struct{ ref }

// Root returns the caller's root node.
func Root() Node { return Node{ref{cur.root}} }

// NodeByID returns the node with the given id, if the caller may read it.
func NodeByID(id string) (Node, error) {
	h, err := getByID(id, abi.ObjNode)
	return Node{ref{h}}, err
}

// EdgeByID returns the edge with the given id, if the caller may read it.
func EdgeByID(id string) (Edge, error) {
	h, err := getByID(id, abi.ObjEdge)
	return Edge{ref{h}}, err
}

func getByID(id string, kind byte) (uint32, error) {
	n := hostObjGet(id)
	if n < 0 {
		return 0, hostErr(abi.FuncObjGet, n)
	}
	o, err := cur.load(uint32(n))
	if err != nil {
		return 0, err
	}
	if o.kind != kind {
		return 0, &Error{Op: abi.FuncObjGet, Errno: abi.ErrNotFound, msg: "id " + quote(id) + " names an object of another kind"}
	}
	return uint32(n), nil
}

// Type returns the node's type, or nil when this module does not declare it
// or the node cannot be read.
func (n Node) Type() *NodeKind {
	o := cur.obj(n.h)
	if !o.typed {
		if _, err := cur.load(n.h); err != nil {
			return nil
		}
	}
	return nodeKind(o.typ)
}

// Is reports whether the node is of type k.
func (n Node) Is(k *NodeKind) bool { return n.Type() == k }

// Connect creates an edge of type k (nil: GenericEdge) with fields from n to
// to. It needs CONNECT access on both nodes.
func (n Node) Connect(to Node, k *EdgeKind, fields map[string]any) (Edge, error) {
	if k == nil {
		k = GenericEdge
	}
	b, err := appendValue(enc[:0], fields)
	if err != nil {
		return Edge{}, err
	}
	h := hostEdgeConnect(n.h, to.h, k.id, b)
	enc = keep(b)
	if h < 0 {
		return Edge{}, hostErr(abi.FuncEdgeConnect, h)
	}
	o := cur.obj(uint32(h))
	o.setEdge(k.id)
	o.src, o.dst, o.ends = n.h, to.h, true
	return Edge{ref{uint32(h)}}, nil
}

// Disconnect deletes the edges of type k (nil: any type) from n to to and
// returns how many it deleted.
func (n Node) Disconnect(to Node, k *EdgeKind) (int, error) {
	typ := abi.TypeAny
	if k != nil {
		typ = int32(k.id)
	}
	c := hostEdgeDisconnect(n.h, to.h, typ)
	if c < 0 {
		return 0, hostErr(abi.FuncEdgeDisconnect, c)
	}
	return int(c), nil
}

// Type returns the edge's type, or nil when this module does not declare it
// or the edge cannot be read.
func (e Edge) Type() *EdgeKind {
	o := cur.obj(e.h)
	if !o.typed {
		if _, err := cur.load(e.h); err != nil {
			return nil
		}
	}
	return edgeKind(o.typ)
}

// Src returns the node the edge starts from (the zero Node if unreadable).
func (e Edge) Src() Node { return Node{ref{e.ends().src}} }

// Dst returns the node the edge points to (the zero Node if unreadable).
func (e Edge) Dst() Node { return Node{ref{e.ends().dst}} }

// ends returns the edge's cache entry with src and dst filled in if they
// can be known.
func (e Edge) ends() *object {
	o := cur.obj(e.h)
	if !o.ends {
		_, _ = cur.load(e.h) // an unreadable edge has zero ends
	}
	return o
}
