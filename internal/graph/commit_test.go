package graph

import (
	"errors"
	"reflect"
	"testing"
)

// TestTx_CommitAtomic checks that a Tx that does not commit leaves nothing:
// rolled back, or failing with a conflict halfway through its writes.
func TestTx_CommitAtomic(t *testing.T) {
	tests := []struct {
		name string
		end  func(t *testing.T, f *fixture, tx *Tx, target ID)
	}{
		{"rollback", func(t *testing.T, f *fixture, tx *Tx, _ ID) { tx.Rollback() }},
		{"conflict on connect", func(t *testing.T, f *fixture, tx *Tx, target ID) {
			f.do(t, f.a, func(other *Tx) { ok(t, other.Delete(target)) })
			if err := tx.Commit(); !errors.Is(err, ErrConflict) {
				t.Fatalf("got %v, want ErrConflict", err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			kept := f.node(t, f.a, "N", map[string]any{"v": "before"})
			gone := f.node(t, f.a, "N", nil)
			target := f.node(t, f.a, "N", nil)
			tx := f.g.Begin(app, f.a)
			n, _ := tx.CreateNode("New", nil)
			ok(t, tx.Update(kept, map[string]any{"v": "after"}))
			ok(t, tx.Delete(gone))
			_, err := tx.Connect(n.ID, target, "E", nil)
			ok(t, err)
			tc.end(t, f, tx, target)
			if _, err := f.get(t, f.a, n.ID); !errors.Is(err, ErrNotFound) {
				t.Fatalf("new node: got %v, want ErrNotFound", err)
			}
			if o, err := f.get(t, f.a, kept); err != nil || o.Fields["v"] != "before" || o.Version != 1 {
				t.Fatalf("updated node: got %+v, %v; want unchanged", o, err)
			}
			if _, err := f.get(t, f.a, gone); err != nil {
				t.Fatalf("deleted node: got %v, want it kept", err)
			}
		})
	}
}

func TestTx_CommitConflict(t *testing.T) {
	f := newFixture(t)
	n := f.node(t, f.a, "N", nil)
	tx := f.g.Begin(app, f.a)
	ok(t, tx.Update(n, map[string]any{"x": true}))
	f.do(t, f.a, func(other *Tx) { ok(t, other.Delete(n)) })
	if err := tx.Commit(); !errors.Is(err, ErrConflict) {
		t.Fatalf("got %v, want ErrConflict", err)
	}
}

// TestTx_CommitMerges checks that two Txs updating different fields of one
// node both land: Commit replays changes on the stored object.
func TestTx_CommitMerges(t *testing.T) {
	f := newFixture(t)
	n := f.node(t, f.a, "N", map[string]any{"a": "0", "b": "0"})
	t1, t2 := f.g.Begin(app, f.a), f.g.Begin(app, f.a)
	ok(t, t1.Update(n, map[string]any{"a": "1"}))
	ok(t, t2.Update(n, map[string]any{"b": "2"}))
	ok(t, t2.AllowRoot(n, f.b.Root, Read))
	ok(t, t1.Commit())
	ok(t, t2.Commit())
	o, err := f.get(t, f.a, n)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]any{"a": "1", "b": "2"}; !reflect.DeepEqual(o.Fields, want) || o.Version != 3 || o.ACL.Roots[f.b.Root] != Read {
		t.Fatalf("got %+v, want fields %v, version 3 and b's entry", o, want)
	}
}

func TestGraph_Persistence(t *testing.T) {
	f := newFixture(t)
	guest, err := f.g.GuestRoot(app)
	ok(t, err)
	n := f.node(t, f.a, "Todo", map[string]any{"title": "milk", "tags": []any{"a"}})
	e := f.edge(t, f.a, f.a.Root, n, "Has")
	f.do(t, f.a, func(tx *Tx) { ok(t, tx.PermGrant(n, Read)) })
	before, _ := f.get(t, f.a, n)
	f.reopen(t)
	after, err := f.get(t, f.a, n)
	if err != nil || !reflect.DeepEqual(after, before) {
		t.Fatalf("got %+v, %v; want %+v", after, err, before)
	}
	if got := edgeTypes(t, f, f.a, f.a.Root, Out, AnyType, AnyType); !reflect.DeepEqual(got, []string{"Has>Todo"}) {
		t.Fatalf("edges after reopen: %q", got)
	}
	if _, err := f.get(t, f.a, e); err != nil {
		t.Fatalf("edge after reopen: %v", err)
	}
	if g2, err := f.g.GuestRoot(app); err != nil || g2 != guest {
		t.Fatalf("guest root after reopen: got %s, %v; want %s", g2, err, guest)
	}
}

func TestGraph_AppNamespace(t *testing.T) {
	f := newFixture(t)
	n := f.node(t, f.a, "N", nil)
	for _, c := range []Caller{f.a, {System: true}} {
		tx := f.g.Begin("otherapp", c)
		_, err := tx.Get(n)
		tx.Rollback()
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("caller %+v: got %v, want ErrNotFound", c, err)
		}
	}
	if roots, err := f.g.Roots("otherapp"); err != nil || len(roots) != 0 {
		t.Fatalf("got roots %v, %v in another app", roots, err)
	}
}

func TestGraph_GuestRoot(t *testing.T) {
	f := newFixture(t)
	g1, err := f.g.GuestRoot(app)
	ok(t, err)
	if g2, _ := f.g.GuestRoot(app); g2 != g1 {
		t.Fatalf("got %s, then %s", g1, g2)
	}
	if other, _ := f.g.GuestRoot("otherapp"); other == g1 || other.IsZero() {
		t.Fatalf("got %s for another app", other)
	}
	if _, err := f.g.GuestRoot("bad app"); err == nil {
		t.Fatal("got nil error for a bad app name")
	}
	guest := Caller{Root: g1}
	n := f.node(t, guest, "Visit", nil)
	if o, err := f.get(t, guest, n); err != nil || o.Owner != g1 {
		t.Fatalf("got %+v, %v; want a node owned by the guest root", o, err)
	}
	roots, err := f.g.Roots(app)
	if err != nil || !reflect.DeepEqual(roots, []ID{f.a.Root, f.b.Root, g1}) {
		t.Fatalf("got roots %v, %v", roots, err)
	}
	if r, _ := f.get(t, guest, g1); !r.IsRoot() || r.Type != RootType {
		t.Fatalf("got %+v, want a root", r)
	}
}

func TestTx_CommitReadOnly(t *testing.T) {
	f := newFixture(t)
	f.db.Close() // a Tx that only reads must not need the store at Commit
	tx := f.g.Begin(app, f.a)
	if err := tx.Commit(); err != nil {
		t.Fatalf("got %v, want nil", err)
	}
	f.open(t)
}
