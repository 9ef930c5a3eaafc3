package graph

import (
	"fmt"

	"github.com/walkerhost/walkerhost/host/store"
)

// Connect creates an edge of type typ ("" for the generic edge) from node
// src to node dst, owned by the caller's root, with a copy of fields. It
// needs Connect on both nodes; an end that is an edge is ErrNotNode.
func (t *Tx) Connect(src, dst ID, typ string, fields map[string]any) (*Object, error) {
	if err := t.canCreate(typ, false); err != nil {
		return nil, err
	}
	if err := t.ends(src, dst, OpConnect); err != nil {
		return nil, err
	}
	f, err := copyFields(fields)
	if err != nil {
		return nil, err
	}
	o := &Object{ID: NewID(), Kind: KindEdge, Type: typ, Owner: t.caller.Root,
		Fields: dropNils(f), Src: src, Dst: dst, Version: 1}
	t.edges = append(t.edges, t.add(o))
	return o, nil
}

// ends checks that src and dst are nodes on which the caller has Connect.
func (t *Tx) ends(src, dst ID, op Op) error {
	if err := t.prefetch(src, dst); err != nil {
		return err
	}
	for _, id := range [2]ID{src, dst} {
		e, err := t.lookup(id)
		if err != nil {
			return err
		}
		if !e.obj.IsNode() {
			return fmt.Errorf("%w: %s [%s]", ErrNotNode, op, id)
		}
		if err := t.require(e.obj, Connect, op); err != nil {
			return err
		}
	}
	return nil
}

// prefetch loads whichever of ids the Tx has not seen, in one View.
func (t *Tx) prefetch(ids ...ID) error {
	if t.err != nil {
		return t.err
	}
	for _, id := range ids {
		if _, ok := t.objs[id]; !ok {
			return t.fetch(ids...)
		}
	}
	return nil
}

// Disconnect deletes the edges from node src to node dst of type typ
// (AnyType: of any type) and returns how many. It needs Connect on both
// nodes, as Connect does; the edges' own permissions are not consulted.
func (t *Tx) Disconnect(src, dst ID, typ string) (int, error) {
	if err := t.ends(src, dst, OpDisconnect); err != nil {
		return 0, err
	}
	var stored []ID
	err := t.g.db.View(func(st *store.Tx) error {
		return st.Bucket(t.app, bucketAdj).Scan(adjKey(src, adjOut, ID{})[:17], func(k, v []byte) bool {
			a, ok, err := parseAdj(k, v, typ, AnyType)
			if err == nil && ok && a.other == dst {
				stored = append(stored, a.edge)
			}
			return true
		})
	})
	if err != nil {
		return 0, fmt.Errorf("graph: disconnect [%s] from [%s]: %w", src, dst, err)
	}
	n := 0
	for _, id := range stored {
		e := t.objs[id]
		if e == nil {
			e = &entry{id: id}
			t.objs[id] = e
		}
		if !e.deleted {
			e.deleted = true
			t.markDirty(e)
			n++
		}
	}
	for _, e := range t.edges {
		if o := e.obj; !e.deleted && o.Src == src && o.Dst == dst && (typ == AnyType || o.Type == typ) {
			e.deleted = true
			n++
		}
	}
	return n, nil
}
