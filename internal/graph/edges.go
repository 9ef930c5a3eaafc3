package graph

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/walkerhost/walkerhost/host/store"
)

// Hit is one result of Edges: an edge and the node at its other end (the
// node itself for a self-loop).
type Hit struct {
	Edge, Node *Object
}

// Edges returns the edges of node in direction dir whose type is edgeType
// and whose other end has type nodeType (AnyType matches every type), in
// edge creation order. It needs Read on node. An edge is in the result only
// when the caller may Read both the edge itself and the node at its other
// end; the rest are left out without a Denial, so a denied edge neither
// shows its fields nor leads to its neighbour. The result reflects this
// Tx's writes, and the store is read in one View.
func (t *Tx) Edges(node ID, dir Dir, edgeType, nodeType string) ([]Hit, error) {
	if dir != Out && dir != In && dir != Both {
		return nil, fmt.Errorf("%w: edges of [%s]: direction %d", ErrBadDir, node, dir)
	}
	e, err := t.lookup(node)
	if err != nil {
		return nil, err
	}
	if !e.obj.IsNode() {
		return nil, fmt.Errorf("%w: edges of [%s]", ErrNotNode, node)
	}
	if err := t.require(e.obj, Read, OpEdges); err != nil {
		return nil, err
	}
	found, err := t.storedEdges(node, dir, edgeType, nodeType)
	if err != nil {
		return nil, err
	}
	found = t.newEdges(found, node, dir, edgeType, nodeType)
	return t.hits(found), nil
}

// storedEdges scans node's adjacency entries and loads the edges and
// neighbours that pass the filters, all in one View.
func (t *Tx) storedEdges(node ID, dir Dir, etype, ntype string) ([]adjEntry, error) {
	prefix := node[:]
	switch dir {
	case Out:
		prefix = adjKey(node, adjOut, ID{})[:17]
	case In:
		prefix = adjKey(node, adjIn, ID{})[:17]
	}
	var found []adjEntry
	err := t.g.db.View(func(st *store.Tx) error {
		var bad error
		err := st.Bucket(t.app, bucketAdj).Scan(prefix, func(k, v []byte) bool {
			a, ok, err := parseAdj(k, v, etype, ntype)
			if bad = err; err != nil {
				return false
			}
			if ok {
				found = append(found, a)
			}
			return true
		})
		if err != nil || bad != nil {
			return cmpErr(err, bad)
		}
		return t.loadHits(st.Bucket(t.app, bucketObj), found)
	})
	if err != nil {
		return nil, fmt.Errorf("graph: edges of [%s]: %w", node, err)
	}
	return found, nil
}

// cmpErr returns the first non-nil error.
func cmpErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// loadHits caches the edges and neighbours of found.
func (t *Tx) loadHits(b *store.Bucket, found []adjEntry) error {
	t.reserve(2 * len(found))
	for _, a := range found {
		if err := t.loadOne(b, a.edge); err != nil {
			return err
		}
		if err := t.loadOne(b, a.other); err != nil {
			return err
		}
	}
	return nil
}

// newEdges appends the edges created in this Tx that match.
func (t *Tx) newEdges(found []adjEntry, node ID, dir Dir, etype, ntype string) []adjEntry {
	for _, e := range t.edges {
		o := e.obj
		out, in := dir&Out != 0 && o.Src == node, dir&In != 0 && o.Dst == node
		if !out && !in || etype != AnyType && o.Type != etype {
			continue
		}
		a := adjEntry{edge: o.ID, other: o.Src, out: out}
		if out {
			a.other = o.Dst
		}
		if n := t.objs[a.other]; ntype == AnyType || n != nil && n.obj != nil && n.obj.Type == ntype {
			found = append(found, a)
		}
	}
	return found
}

// hits turns entries into Hits in edge order, one per edge, leaving out
// what this Tx deleted, and edges or neighbours the caller cannot Read.
func (t *Tx) hits(found []adjEntry) []Hit {
	slices.SortFunc(found, func(x, y adjEntry) int { return bytes.Compare(x.edge[:], y.edge[:]) })
	out := make([]Hit, 0, len(found))
	for i, a := range found {
		if i > 0 && found[i-1].edge == a.edge {
			continue // a self-loop seen from both ends
		}
		e, n := t.objs[a.edge], t.objs[a.other]
		if !t.live(e) || !t.live(n) || t.level(e.obj) < Read || t.level(n.obj) < Read {
			continue
		}
		out = append(out, Hit{Edge: e.obj, Node: n.obj})
	}
	return out
}
