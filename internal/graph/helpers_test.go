package graph

import (
	"testing"

	"github.com/walkerhost/walkerhost/host/store"
)

const app = "test"

// fixture is a graph in a fresh store with two users.
type fixture struct {
	dir  string
	db   *store.DB
	g    *Graph
	a, b Caller // two users
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir()}
	f.open(t)
	f.a, f.b = Caller{Root: f.root(t)}, Caller{Root: f.root(t)}
	return f
}

// openStore opens the store of a fixture whose data lives at dir (a
// folder, or a database name on the tiered store). TestOnTiered swaps it.
var openStore = func(t testing.TB, dir string) (*store.DB, error) { return store.Open(dir) }

// open (re)opens the store and the graph.
func (f *fixture) open(t testing.TB) {
	t.Helper()
	db, err := openStore(t, f.dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f.db, f.g = db, New(db)
}

// reopen closes and opens the store again.
func (f *fixture) reopen(t testing.TB) {
	t.Helper()
	if err := f.db.Close(); err != nil {
		t.Fatal(err)
	}
	f.open(t)
}

func (f *fixture) root(t testing.TB) ID {
	t.Helper()
	id, err := f.g.CreateRoot(app)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// do runs fn in a Tx for c and commits it.
func (f *fixture) do(t testing.TB, c Caller, fn func(tx *Tx)) {
	t.Helper()
	tx := f.g.Begin(app, c)
	fn(tx)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// node creates and commits a node of type typ for c.
func (f *fixture) node(t testing.TB, c Caller, typ string, fields map[string]any) ID {
	t.Helper()
	var id ID
	f.do(t, c, func(tx *Tx) {
		o, err := tx.CreateNode(typ, fields)
		ok(t, err)
		id = o.ID
	})
	return id
}

// edge creates and commits an edge for c.
func (f *fixture) edge(t testing.TB, c Caller, src, dst ID, typ string) ID {
	t.Helper()
	var id ID
	f.do(t, c, func(tx *Tx) {
		o, err := tx.Connect(src, dst, typ, nil)
		ok(t, err)
		id = o.ID
	})
	return id
}

// get reads id in a fresh Tx for c.
func (f *fixture) get(t testing.TB, c Caller, id ID) (*Object, error) {
	t.Helper()
	tx := f.g.Begin(app, c)
	defer tx.Rollback()
	return tx.Get(id)
}

// ok fails the test on err.
func ok(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// storeTx is store.Tx, named for brevity in tests.
type storeTx = store.Tx
