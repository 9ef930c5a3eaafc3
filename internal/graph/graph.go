package graph

import (
	"fmt"
	"sync"

	"github.com/walkerhost/walkerhost/host/store"
)

// Store buckets of each app; see the package doc.
const (
	bucketObj   = "obj"
	bucketAdj   = "adj"
	bucketRoots = "roots"
	bucketMeta  = "meta"
)

// keyGuestRoot is the meta key holding the guest root's ID.
var keyGuestRoot = []byte("guest_root")

// Graph is the graph of every app in one store. It is safe for concurrent
// use; each request works in its own Tx.
type Graph struct {
	db *store.DB

	mu     sync.Mutex
	guests map[string]ID // guest root per app, once known
}

// New returns the graph kept in db.
func New(db *store.DB) *Graph {
	return &Graph{db: db, guests: map[string]ID{}}
}

// newRoot returns a new root node, which owns itself.
func newRoot() *Object {
	id := NewID()
	return &Object{ID: id, Kind: KindNode, Type: RootType, Owner: id, Fields: map[string]any{}, Version: 1}
}

// putRoot stores root r of app in st.
func putRoot(st *store.Tx, app string, r *Object) error {
	v, err := AppendObject(nil, r)
	if err != nil {
		return err
	}
	if err := st.Bucket(app, bucketObj).Put(r.ID[:], v); err != nil {
		return err
	}
	return st.Bucket(app, bucketRoots).Put(r.ID[:], nil)
}

// CreateRoot creates a root node in app and returns its ID. The identity
// layer calls it when a user registers.
func (g *Graph) CreateRoot(app string) (ID, error) {
	r := newRoot()
	if err := g.db.Batch(func(st *store.Tx) error { return putRoot(st, app, r) }); err != nil {
		return ID{}, fmt.Errorf("graph: create root in app [%s]: %w", app, err)
	}
	return r.ID, nil
}

// GuestRoot returns the root that anonymous callers of public walkers in app
// share, creating it on first use. It is the same root across restarts.
func (g *Graph) GuestRoot(app string) (ID, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if id, ok := g.guests[app]; ok {
		return id, nil
	}
	var id ID
	err := g.db.Update(func(st *store.Tx) error {
		meta := st.Bucket(app, bucketMeta)
		if v := meta.Peek(keyGuestRoot); len(v) == len(id) {
			id = ID(v)
			return nil
		}
		r := newRoot()
		id = r.ID
		if err := putRoot(st, app, r); err != nil {
			return err
		}
		return meta.Put(keyGuestRoot, r.ID[:])
	})
	if err != nil {
		return ID{}, fmt.Errorf("graph: guest root of app [%s]: %w", app, err)
	}
	g.guests[app] = id
	return id, nil
}

// Roots returns the IDs of all roots of app, guest root included, in
// creation order.
func (g *Graph) Roots(app string) ([]ID, error) {
	var ids []ID
	err := g.db.View(func(st *store.Tx) error {
		return st.Bucket(app, bucketRoots).Scan(nil, func(k, _ []byte) bool {
			if len(k) == len(ID{}) {
				ids = append(ids, ID(k))
			}
			return true
		})
	})
	if err != nil {
		return nil, fmt.Errorf("graph: roots of app [%s]: %w", app, err)
	}
	return ids, nil
}

// Begin starts a request's transaction in app for caller c. A bad app name
// makes every method of the Tx fail.
func (g *Graph) Begin(app string, c Caller) *Tx {
	t := &Tx{g: g, app: app, caller: c, objs: make(map[ID]*entry, 8), names: names{}}
	if err := store.ValidName(app); err != nil {
		t.err = fmt.Errorf("graph: app: %w", err)
	}
	return t
}
