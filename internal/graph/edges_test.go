package graph

import (
	"errors"
	"reflect"
	"testing"
)

func TestTx_Connect(t *testing.T) {
	f := newFixture(t)
	shared := f.node(t, f.b, "Board", nil)
	f.do(t, f.b, func(tx *Tx) { ok(t, tx.AllowRoot(shared, f.a.Root, Connect)) })
	tx := f.g.Begin(app, f.a)
	e, err := tx.Connect(f.a.Root, shared, "Member", map[string]any{"since": int64(2024), "none": nil})
	if err != nil {
		t.Fatal(err)
	}
	want := &Object{ID: e.ID, Kind: KindEdge, Type: "Member", Owner: f.a.Root, Src: f.a.Root, Dst: shared,
		Fields: map[string]any{"since": int64(2024)}, Version: 1}
	if !reflect.DeepEqual(e, want) {
		t.Fatalf("got %+v, want %+v", e, want)
	}
	ok(t, tx.Commit())
	if got, err := f.get(t, f.a, e.ID); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("after commit got %+v, %v", got, err)
	}
}

func TestTx_Connect_Errors(t *testing.T) {
	f := newFixture(t)
	mine := f.node(t, f.a, "N", nil)
	readable := f.node(t, f.b, "N", nil)
	f.do(t, f.b, func(tx *Tx) { ok(t, tx.PermGrant(readable, Read)) })
	edge := f.edge(t, f.a, f.a.Root, mine, "")
	tests := []struct {
		name     string
		src, dst ID
		typ      string
		fields   map[string]any
		want     error
	}{
		{"edge as source", edge, mine, "", nil, ErrNotNode},
		{"edge as target", mine, edge, "", nil, ErrNotNode},
		{"unknown target", mine, NewID(), "", nil, ErrNotFound},
		{"unknown source", NewID(), mine, "", nil, ErrNotFound},
		{"read is not connect", mine, readable, "", nil, ErrDenied},
		{"private source", f.b.Root, mine, "", nil, ErrDenied},
		{"any type", mine, mine, AnyType, nil, ErrBadType},
		{"bad field", mine, mine, "", map[string]any{"f": uint8(1)}, ErrBadField},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tx := f.g.Begin(app, f.a)
			defer tx.Rollback()
			if _, err := tx.Connect(tc.src, tc.dst, tc.typ, tc.fields); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestTx_Disconnect(t *testing.T) {
	tests := []struct {
		name      string
		typ       string
		wantCount int
		wantLeft  []string // types of the edges root -> n left, in order
	}{
		{"one type", "Likes", 2, []string{"Owns", ""}},
		{"generic", "", 1, []string{"Likes", "Owns", "Likes"}},
		{"any type", AnyType, 4, nil},
		{"no match", "Hates", 0, []string{"Likes", "Owns", "", "Likes"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			n := f.node(t, f.a, "N", nil)
			f.edge(t, f.a, f.a.Root, n, "Likes")
			f.edge(t, f.a, f.a.Root, n, "Owns")
			other := f.node(t, f.a, "N", nil)
			f.edge(t, f.a, f.a.Root, other, "Likes") // another target: never removed
			f.edge(t, f.a, n, f.a.Root, "Likes")     // the other way: never removed
			tx := f.g.Begin(app, f.a)
			tx.Connect(f.a.Root, n, "", nil)
			tx.Connect(f.a.Root, n, "Likes", nil) // uncommitted edges count too
			got, err := tx.Disconnect(f.a.Root, n, tc.typ)
			if err != nil || got != tc.wantCount {
				t.Fatalf("got %d, %v; want %d", got, err, tc.wantCount)
			}
			ok(t, tx.Commit())
			tx = f.g.Begin(app, f.a)
			defer tx.Rollback()
			hits, err := tx.Edges(f.a.Root, Out, AnyType, AnyType)
			ok(t, err)
			var left []string
			for _, h := range hits {
				if h.Node.ID == n {
					left = append(left, h.Edge.Type)
				}
			}
			if !reflect.DeepEqual(left, tc.wantLeft) || len(hits) != len(left)+1 {
				t.Fatalf("left %q of %d, want %q and the edge to the other node", left, len(hits), tc.wantLeft)
			}
		})
	}
}

func TestTx_Disconnect_Errors(t *testing.T) {
	f := newFixture(t)
	mine := f.node(t, f.a, "N", nil)
	theirs := f.node(t, f.b, "N", nil)
	f.do(t, f.b, func(tx *Tx) { ok(t, tx.PermGrant(theirs, Read)) })
	edge := f.edge(t, f.a, f.a.Root, mine, "")
	tests := []struct {
		name     string
		src, dst ID
		want     error
	}{
		{"edge end", f.a.Root, edge, ErrNotNode},
		{"unknown", f.a.Root, NewID(), ErrNotFound},
		{"read is not connect", mine, theirs, ErrDenied},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tx := f.g.Begin(app, f.a)
			defer tx.Rollback()
			if _, err := tx.Disconnect(tc.src, tc.dst, AnyType); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// edgeTypes lists Edges(node, ...) as "EdgeType>NodeType" strings, or just
// the edge types when the node type filter is given.
func edgeTypes(t *testing.T, f *fixture, c Caller, node ID, dir Dir, etype, ntype string) []string {
	t.Helper()
	tx := f.g.Begin(app, c)
	defer tx.Rollback()
	hits, err := tx.Edges(node, dir, etype, ntype)
	if err != nil {
		t.Fatal(err)
	}
	return describe(hits, ntype != AnyType)
}

func describe(hits []Hit, short bool) []string {
	var out []string
	for _, h := range hits {
		if short {
			out = append(out, h.Edge.Type)
		} else {
			out = append(out, h.Edge.Type+">"+h.Node.Type)
		}
	}
	return out
}

func TestTx_Edges(t *testing.T) {
	f := newFixture(t)
	r := f.a.Root
	todo1 := f.node(t, f.a, "Todo", nil)
	tag := f.node(t, f.a, "Tag", nil)
	todo2 := f.node(t, f.a, "Todo", nil)
	hidden := f.node(t, f.b, "Todo", nil)    // b's, private
	visible := f.node(t, f.b, "Friend", nil) // b's, shared
	f.do(t, f.b, func(tx *Tx) {
		ok(t, tx.AllowRoot(hidden, r, Connect))
		ok(t, tx.AllowRoot(hidden, r, Connect))
		ok(t, tx.AllowRoot(visible, r, Connect))
	})
	f.edge(t, f.a, r, todo1, "Has")
	f.edge(t, f.a, r, tag, "Tagged")
	f.edge(t, f.a, tag, r, "Back")
	f.edge(t, f.a, r, todo2, "Has")
	f.edge(t, f.a, r, r, "Self")
	f.edge(t, f.a, r, visible, "Knows")
	f.do(t, f.a, func(tx *Tx) { tx.Connect(r, hidden, "Has", nil) })
	f.do(t, f.b, func(tx *Tx) { ok(t, tx.DisallowRoot(hidden, r)) }) // now r cannot read it
	tests := []struct {
		name         string
		dir          Dir
		etype, ntype string
		want         []string
	}{
		{"out, all", Out, AnyType, AnyType, []string{"Has>Todo", "Tagged>Tag", "Has>Todo", "Self>Root", "Knows>Friend"}},
		{"in, all", In, AnyType, AnyType, []string{"Back>Tag", "Self>Root"}},
		{"both, self-loop once", Both, AnyType, AnyType, []string{"Has>Todo", "Tagged>Tag", "Back>Tag", "Has>Todo", "Self>Root", "Knows>Friend"}},
		{"edge type", Out, "Has", AnyType, []string{"Has>Todo", "Has>Todo"}},
		{"node type", Both, AnyType, "Tag", []string{"Tagged", "Back"}},
		{"both filters", Out, "Tagged", "Todo", nil},
		{"generic edge type", Out, "", AnyType, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := edgeTypes(t, f, f.a, r, tc.dir, tc.etype, tc.ntype)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	tx := f.g.Begin(app, f.a)
	tx.Edges(r, Out, AnyType, AnyType)
	if d := tx.Denials(); len(d) != 0 {
		t.Fatalf("hidden neighbours were recorded as denials: %v", d)
	}
}

func TestTx_Edges_Uncommitted(t *testing.T) {
	f := newFixture(t)
	r := f.a.Root
	old1, old2 := f.node(t, f.a, "Old", nil), f.node(t, f.a, "Old", nil)
	e1 := f.edge(t, f.a, r, old1, "E")
	f.edge(t, f.a, r, old2, "E")
	tx := f.g.Begin(app, f.a)
	defer tx.Rollback()
	n, _ := tx.CreateNode("New", nil)
	tx.Connect(r, n.ID, "E", nil)
	tx.Connect(n.ID, r, "Back", nil)
	ok(t, tx.Delete(e1))
	ok(t, tx.Delete(old2))
	hits, err := tx.Edges(r, Both, AnyType, AnyType)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := describe(hits, false), []string{"E>New", "Back>New"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestTx_Edges_Errors(t *testing.T) {
	f := newFixture(t)
	edge := f.edge(t, f.a, f.a.Root, f.node(t, f.a, "N", nil), "")
	tests := []struct {
		name string
		node ID
		dir  Dir
		want error
	}{
		{"bad direction", f.a.Root, 0, ErrBadDir},
		{"unknown node", NewID(), Out, ErrNotFound},
		{"an edge", edge, Out, ErrNotNode},
		{"unreadable node", f.b.Root, Out, ErrDenied},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tx := f.g.Begin(app, f.a)
			defer tx.Rollback()
			if _, err := tx.Edges(tc.node, tc.dir, AnyType, AnyType); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// TestTx_Edges_EdgeLevel: b sees a's edge p→q from either end only when b
// may Read the edge itself and the node at the other end, for every pair of
// levels; a denied edge records no Denial and does not lead to its node.
func TestTx_Edges_EdgeLevel(t *testing.T) {
	levels := []struct {
		name string
		set  func(tx *Tx, f *fixture, id ID) error
		read bool
	}{
		{"private", func(*Tx, *fixture, ID) error { return nil }, false},
		{"public", func(tx *Tx, _ *fixture, id ID) error { return tx.PermGrant(id, Read) }, true},
		{"no access over public", func(tx *Tx, f *fixture, id ID) error {
			return errors.Join(tx.PermGrant(id, Write), tx.AllowRoot(id, f.b.Root, NoAccess))
		}, false},
		{"read", func(tx *Tx, f *fixture, id ID) error { return tx.AllowRoot(id, f.b.Root, Read) }, true},
		{"connect", func(tx *Tx, f *fixture, id ID) error { return tx.AllowRoot(id, f.b.Root, Connect) }, true},
		{"write", func(tx *Tx, f *fixture, id ID) error { return tx.AllowRoot(id, f.b.Root, Write) }, true},
	}
	for _, node := range levels {
		for _, edge := range levels {
			t.Run("node "+node.name+"/edge "+edge.name, func(t *testing.T) {
				f := newFixture(t)
				p := f.node(t, f.a, "P", map[string]any{"x": 1})
				q := f.node(t, f.a, "Q", map[string]any{"x": 2})
				e := f.edge(t, f.a, p, q, "E")
				f.do(t, f.a, func(tx *Tx) {
					ok(t, errors.Join(tx.PermGrant(p, Read), node.set(tx, f, q), edge.set(tx, f, e)))
				})
				_, errEdge := f.get(t, f.b, e)
				if (errEdge == nil) != edge.read {
					t.Fatalf("direct read of the edge: %v, want allowed=%v", errEdge, edge.read)
				}
				want := node.read && edge.read
				tx := f.g.Begin(app, f.b)
				defer tx.Rollback()
				out, err := tx.Edges(p, Out, AnyType, AnyType)
				ok(t, err)
				if got := len(out) == 1 && out[0].Edge.ID == e && out[0].Node.ID == q; got != want || len(out) > 1 {
					t.Fatalf("out of p: %v, want the edge seen=%v", describe(out, false), want)
				}
				if node.read {
					in, err := tx.Edges(q, In, AnyType, AnyType)
					ok(t, err)
					if got := len(in) == 1 && in[0].Edge.ID == e; got != edge.read || len(in) > 1 {
						t.Fatalf("in of q: %v, want the edge seen=%v", describe(in, false), edge.read)
					}
				}
				if d := tx.Denials(); len(d) != 0 {
					t.Fatalf("left-out edges were recorded as denials: %v", d)
				}
			})
		}
	}
}
