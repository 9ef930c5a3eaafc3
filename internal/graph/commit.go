package graph

import (
	"errors"
	"fmt"

	"github.com/walkerhost/walkerhost/host/store"
)

// put is one prepared key/value write of a created object.
type put struct {
	adj      bool // an adjacency entry, else an object
	key, val []byte
}

// Commit applies the Tx's writes in one store transaction and ends the Tx.
// Either every write lands or none does. Commit fails with ErrConflict when
// a commit made since this Tx read the store deleted an object this Tx
// changed or connected to. A Tx without writes commits without touching
// the store.
func (t *Tx) Commit() error {
	if t.err != nil {
		return t.err
	}
	dirty := t.dirty
	puts, err := t.prepare()
	t.finish()
	if err != nil || len(dirty) == 0 {
		return err
	}
	err = t.g.db.Batch(func(st *store.Tx) error { return apply(st, t.app, dirty, puts) })
	if err != nil && !errors.Is(err, ErrConflict) && !errors.Is(err, ErrCorrupt) {
		return fmt.Errorf("graph: commit: %w", err)
	}
	return err
}

// prepare encodes the created objects and their adjacency entries, in the
// order they were created.
func (t *Tx) prepare() ([]put, error) {
	var puts []put
	for _, e := range t.dirty {
		if !e.created || e.deleted {
			continue
		}
		o := e.obj
		v, err := AppendObject(nil, o)
		if err != nil {
			return nil, err
		}
		puts = append(puts, put{false, o.ID[:], v})
		if o.Kind == KindEdge {
			src, dst := t.objs[o.Src].obj, t.objs[o.Dst].obj
			puts = append(puts,
				put{true, adjKey(o.Src, adjOut, o.ID), adjVal(o.Dst, o.Type, dst.Type)},
				put{true, adjKey(o.Dst, adjIn, o.ID), adjVal(o.Src, o.Type, src.Type)})
		}
	}
	return puts, nil
}

// apply writes one Tx's changes in st. It reads but never changes the Tx's
// entries, so the store may run it again (store.DB.Batch).
func apply(st *store.Tx, app string, dirty []*entry, puts []put) error {
	objs, adj := st.Bucket(app, bucketObj), st.Bucket(app, bucketAdj)
	for _, p := range puts {
		b := objs
		if p.adj {
			if err := requireNode(objs, p.val); err != nil {
				return err
			}
			b = adj
		}
		if err := b.Put(p.key, p.val); err != nil {
			return err
		}
	}
	for _, e := range dirty {
		var err error
		switch {
		case e.created:
		case e.deleted:
			err = deleteStored(objs, adj, e.id)
		default:
			err = patchStored(objs, e)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// requireNode fails with ErrConflict unless the node an adjacency value
// points to exists.
func requireNode(objs *store.Bucket, adjVal []byte) error {
	if objs.Peek(adjVal[:16]) == nil {
		return fmt.Errorf("%w: node [%s] was deleted", ErrConflict, ID(adjVal[:16]))
	}
	return nil
}

// patchStored replays e's changes on the stored object.
func patchStored(objs *store.Bucket, e *entry) error {
	id := e.id
	v := objs.Peek(id[:])
	if v == nil {
		return fmt.Errorf("%w: [%s] was deleted", ErrConflict, id)
	}
	o, err := DecodeObject(v)
	if err != nil {
		return fmt.Errorf("%w: object [%s]", err, id)
	}
	if o.Fields == nil {
		o.Fields = map[string]any{}
	}
	for _, change := range e.patch {
		change(o)
	}
	o.Version++
	if v, err = AppendObject(nil, o); err != nil {
		return err
	}
	return objs.Put(id[:], v)
}

// deleteStored deletes object id, and for a node its edges, from the store.
// An object already gone is no error.
func deleteStored(objs, adj *store.Bucket, id ID) error {
	v := objs.Peek(id[:])
	if v == nil {
		return nil
	}
	o, err := DecodeObject(v)
	if err != nil {
		return fmt.Errorf("%w: object [%s]", err, id)
	}
	var keys [][]byte
	if o.Kind == KindEdge {
		keys = [][]byte{adjKey(o.Src, adjOut, id), adjKey(o.Dst, adjIn, id)}
	} else if keys, err = nodeEdges(objs, adj, id); err != nil {
		return err
	}
	for _, k := range keys {
		if err := adj.Delete(k); err != nil {
			return err
		}
	}
	return objs.Delete(id[:])
}

// nodeEdges deletes the edge objects of node and returns the adjacency keys
// to delete at both ends.
func nodeEdges(objs, adj *store.Bucket, node ID) ([][]byte, error) {
	var keys [][]byte
	var bad error
	err := adj.Scan(node[:], func(k, v []byte) bool {
		a, _, err := parseAdj(k, v, AnyType, AnyType)
		if bad = err; err != nil {
			return false
		}
		mirror := adjIn
		if !a.out {
			mirror = adjOut
		}
		keys = append(keys, adjKey(node, k[16], a.edge), adjKey(a.other, mirror, a.edge))
		return true
	})
	if err = cmpErr(err, bad); err != nil {
		return nil, err
	}
	for i := 0; i < len(keys); i += 2 {
		if err := objs.Delete(keys[i][17:]); err != nil {
			return nil, err
		}
	}
	return keys, nil
}
