package graph

import (
	"fmt"
	"slices"

	"github.com/walkerhost/walkerhost/host/store"
)

// Tx is one request's view of an app's graph, acting for one Caller.
//
// Reads see the Tx's own writes. Writes are buffered until Commit, which
// applies them all in one store transaction, or none; Rollback drops them.
// Every read and write checks the caller's level (Effective) and records
// each refusal as a Denial.
//
// A Tx is used by one goroutine at a time. Objects it returns are read-only
// snapshots (see Object).
type Tx struct {
	g       *Graph
	app     string
	caller  Caller
	err     error         // sticky: bad app, or finished
	objs    map[ID]*entry // objects seen; entry.obj nil when absent
	dirty   []*entry      // changed entries, in order of first change
	edges   []*entry      // edges created here, in creation order
	denials []Denial
	names   names   // interned type names and field keys
	slab    []entry // preallocated entries for loadOne
}

// entry is the Tx's state for one object.
type entry struct {
	id      ID
	obj     *Object           // current snapshot; nil: absent from the store
	created bool              // created in this Tx
	deleted bool              // deleted in this Tx
	dirty   bool              // listed in Tx.dirty
	patch   []func(o *Object) // changes to replay on the stored object
}

// Caller returns who the Tx acts for.
func (t *Tx) Caller() Caller { return t.caller }

// App returns the app the Tx works in.
func (t *Tx) App() string { return t.app }

// Denials returns the operations refused so far for lack of permission, in
// order. It still answers after Commit or Rollback.
func (t *Tx) Denials() []Denial { return slices.Clone(t.denials) }

// Rollback drops every buffered write and ends the Tx. It is safe to call
// after Commit, and more than once.
func (t *Tx) Rollback() { t.finish() }

// finish ends the Tx and lets go of its objects.
func (t *Tx) finish() {
	t.err = ErrTxDone
	t.objs, t.dirty, t.edges = nil, nil, nil
}

// require returns nil when the caller has at least level need on o. Else it
// records a Denial for op and returns an error wrapping ErrDenied.
func (t *Tx) require(o *Object, need Level, op Op) error {
	if t.level(o) >= need {
		return nil
	}
	t.denials = append(t.denials, Denial{Op: op, Object: o.ID})
	return fmt.Errorf("%w: %s %s [%s] needs %s", ErrDenied, op, o.Kind, o.ID, need)
}

// level is the caller's effective level on o. The owner root is always in
// the cache by then (loadOne brings it along), so level never reads the store.
func (t *Tx) level(o *Object) Level {
	if t.caller.System || t.caller.Root == o.Owner {
		return Write
	}
	owner := o
	if o.Owner != o.ID {
		owner = nil
		if e := t.objs[o.Owner]; e != nil {
			owner = e.obj
		}
	}
	return Effective(t.caller, o, owner)
}

// markDirty lists e for Commit.
func (t *Tx) markDirty(e *entry) {
	if !e.dirty {
		e.dirty = true
		t.dirty = append(t.dirty, e)
	}
}

// lookup returns the live entry of id, reading the store if needed. An
// object deleted in this Tx, or an edge whose end was, is not found.
func (t *Tx) lookup(id ID) (*entry, error) {
	if t.err != nil {
		return nil, t.err
	}
	if _, ok := t.objs[id]; !ok {
		if err := t.fetch(id); err != nil {
			return nil, err
		}
	}
	if e := t.objs[id]; t.live(e) {
		return e, nil
	}
	return nil, fmt.Errorf("%w: [%s]", ErrNotFound, id)
}

// live reports whether e is an object that exists as far as this Tx sees.
func (t *Tx) live(e *entry) bool {
	if e == nil || e.obj == nil || e.deleted {
		return false
	}
	if o := e.obj; o.Kind == KindEdge {
		return !t.isDeleted(o.Src) && !t.isDeleted(o.Dst)
	}
	return true
}

// isDeleted reports whether id was deleted in this Tx.
func (t *Tx) isDeleted(id ID) bool {
	e := t.objs[id]
	return e != nil && e.deleted
}

// fetch loads ids not yet seen, and their owner roots, in one store View.
func (t *Tx) fetch(ids ...ID) error {
	return t.g.db.View(func(st *store.Tx) error {
		b := st.Bucket(t.app, bucketObj)
		for _, id := range ids {
			if err := t.loadOne(b, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// loadOne caches id from b, unless already seen, and then its owner root
// when a permission check will need it.
func (t *Tx) loadOne(b *store.Bucket, id ID) error {
	e, ok := t.objs[id]
	if !ok {
		e = t.newEntry(id)
		if v := b.Peek(id[:]); v != nil {
			o, err := decodeObject(v, t.names)
			if err != nil {
				return fmt.Errorf("%w: object [%s]", err, id)
			}
			e.obj = o
		}
		t.objs[id] = e
	}
	if o := e.obj; o != nil && o.Owner != o.ID && !t.caller.System && o.Owner != t.caller.Root {
		if _, ok := t.objs[o.Owner]; !ok {
			return t.loadOne(b, o.Owner)
		}
	}
	return nil
}

// newEntry returns a zero entry for id, cut from the slab.
func (t *Tx) newEntry(id ID) *entry {
	if len(t.slab) == 0 {
		t.reserve(4)
	}
	e := &t.slab[0]
	t.slab = t.slab[1:]
	e.id = id
	return e
}

// reserve prepares room for n more loaded objects: one slab allocation and,
// for a big batch, one map growth instead of many.
func (t *Tx) reserve(n int) {
	if len(t.slab) < n {
		t.slab = make([]entry, n)
	}
	if n > 16 && len(t.objs) < 2*n {
		m := make(map[ID]*entry, len(t.objs)+2*n)
		for id, e := range t.objs {
			m[id] = e
		}
		t.objs = m
	}
}
