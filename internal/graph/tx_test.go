package graph

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestTx_Get(t *testing.T) {
	f := newFixture(t)
	mine := f.node(t, f.a, "Note", map[string]any{"text": "a"})
	public := f.node(t, f.b, "Note", nil)
	f.do(t, f.b, func(tx *Tx) { ok(t, tx.PermGrant(public, Read)) })
	private := f.node(t, f.b, "Note", nil)
	edge := f.edge(t, f.a, f.a.Root, mine, "Has")
	tests := []struct {
		name string
		id   func(tx *Tx) ID
		want error
	}{
		{"own node", func(*Tx) ID { return mine }, nil},
		{"own root", func(*Tx) ID { return f.a.Root }, nil},
		{"own edge", func(*Tx) ID { return edge }, nil},
		{"public node of another user", func(*Tx) ID { return public }, nil},
		{"created in this tx", func(tx *Tx) ID { o, _ := tx.CreateNode("Note", nil); return o.ID }, nil},
		{"private node of another user", func(*Tx) ID { return private }, ErrDenied},
		{"another user's root", func(*Tx) ID { return f.b.Root }, ErrDenied},
		{"unknown", func(*Tx) ID { return NewID() }, ErrNotFound},
		{"zero", func(*Tx) ID { return ID{} }, ErrNotFound},
		{"deleted in this tx", func(tx *Tx) ID { ok(t, tx.Delete(mine)); return mine }, ErrNotFound},
		{"edge whose end was deleted in this tx", func(tx *Tx) ID { ok(t, tx.Delete(mine)); return edge }, ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tx := f.g.Begin(app, f.a)
			defer tx.Rollback()
			id := tc.id(tx)
			o, err := tx.Get(id)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if err == nil && o.ID != id {
				t.Fatalf("got object %s, want %s", o.ID, id)
			}
			if err != nil && !strings.Contains(err.Error(), "["+id.String()+"]") {
				t.Fatalf("error %q does not name [%s]", err, id)
			}
		})
	}
}

func TestTx_CreateNode(t *testing.T) {
	f := newFixture(t)
	in := map[string]any{"s": "x", "i": 3, "i32": int32(4), "f32": float32(0.5), "l": []string{"a"},
		"m": map[string]any{"n": []any{1}}, "gone": nil}
	want := map[string]any{"s": "x", "i": int64(3), "i32": int64(4), "f32": 0.5, "l": []any{"a"},
		"m": map[string]any{"n": []any{int64(1)}}}
	tx := f.g.Begin(app, f.a)
	o, err := tx.CreateNode("Todo", in)
	if err != nil {
		t.Fatal(err)
	}
	if o.Type != "Todo" || o.Owner != f.a.Root || o.Kind != KindNode || o.Version != 1 || !reflect.DeepEqual(o.Fields, want) {
		t.Fatalf("got %+v", o)
	}
	in["s"] = "changed"
	in["m"].(map[string]any)["n"] = nil
	if o.Fields["s"] != "x" || o.Fields["m"].(map[string]any)["n"] == nil {
		t.Fatal("CreateNode kept the caller's map")
	}
	ok(t, tx.Commit())
	got, err := f.get(t, f.a, o.ID)
	if err != nil || !reflect.DeepEqual(got, o) {
		t.Fatalf("got %+v, %v after commit; want %+v", got, err, o)
	}
}

func TestTx_CreateNode_Errors(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name   string
		app    string
		caller Caller
		typ    string
		fields map[string]any
		want   error
	}{
		{"empty type", app, f.a, "", nil, ErrBadType},
		{"root type", app, f.a, RootType, nil, ErrBadType},
		{"any type", app, f.a, AnyType, nil, ErrBadType},
		{"long type", app, f.a, strings.Repeat("x", MaxTypeLen+1), nil, ErrBadType},
		{"unstorable field", app, f.a, "T", map[string]any{"f": struct{}{}}, ErrBadField},
		{"handle field", app, f.a, "T", map[string]any{"f": []any{map[string]any{"r": new(int)}}}, ErrBadField},
		{"too deep", app, f.a, "T", map[string]any{"f": deep(70)}, ErrBadField},
		{"no root", app, Caller{System: true}, "T", nil, ErrNoRoot},
		{"bad app", "no/app", f.a, "T", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tx := f.g.Begin(tc.app, tc.caller)
			defer tx.Rollback()
			_, err := tx.CreateNode(tc.typ, tc.fields)
			if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// deep returns a list nested n levels deep.
func deep(n int) any {
	var v any = "leaf"
	for range n {
		v = []any{v}
	}
	return v
}

func TestTx_Update(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name   string
		before map[string]any
		patch  map[string]any
		want   map[string]any
	}{
		{"add", map[string]any{"a": "1"}, map[string]any{"b": true}, map[string]any{"a": "1", "b": true}},
		{"replace", map[string]any{"a": "1"}, map[string]any{"a": 2.5}, map[string]any{"a": 2.5}},
		{"nil removes", map[string]any{"a": "1", "b": "2"}, map[string]any{"a": nil}, map[string]any{"b": "2"}},
		{"remove missing", map[string]any{"a": "1"}, map[string]any{"z": nil}, map[string]any{"a": "1"}},
		{"empty patch", map[string]any{"a": "1"}, nil, map[string]any{"a": "1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := f.node(t, f.a, "T", tc.before)
			tx := f.g.Begin(app, f.a)
			before, _ := tx.Get(id)
			ok(t, tx.Update(id, tc.patch))
			seen, _ := tx.Get(id)
			if !reflect.DeepEqual(seen.Fields, tc.want) || seen.Version != 2 {
				t.Fatalf("in tx got %v v%d, want %v v2", seen.Fields, seen.Version, tc.want)
			}
			if !reflect.DeepEqual(before.Fields, tc.before) {
				t.Fatalf("earlier snapshot changed to %v", before.Fields)
			}
			ok(t, tx.Commit())
			got, err := f.get(t, f.a, id)
			if err != nil || !reflect.DeepEqual(got.Fields, tc.want) || got.Version != 2 {
				t.Fatalf("after commit got %+v, %v; want %v v2", got, err, tc.want)
			}
		})
	}
}

func TestTx_Update_CreatedInTx(t *testing.T) {
	f := newFixture(t)
	tx := f.g.Begin(app, f.a)
	o, _ := tx.CreateNode("T", map[string]any{"a": int64(1)})
	ok(t, tx.Update(o.ID, map[string]any{"a": nil, "b": int64(2)}))
	ok(t, tx.Commit())
	got, err := f.get(t, f.a, o.ID)
	if err != nil || !reflect.DeepEqual(got.Fields, map[string]any{"b": int64(2)}) || got.Version != 1 {
		t.Fatalf("got %+v, %v", got, err)
	}
}

func TestTx_Update_Errors(t *testing.T) {
	f := newFixture(t)
	note := f.node(t, f.a, "Note", nil)
	connectable := f.node(t, f.a, "Note", nil)
	f.do(t, f.a, func(tx *Tx) { ok(t, tx.AllowRoot(connectable, f.b.Root, Connect)) })
	tests := []struct {
		name   string
		caller Caller
		id     ID
		fields map[string]any
		want   error
	}{
		{"not found", f.a, NewID(), nil, ErrNotFound},
		{"private", f.b, note, nil, ErrDenied},
		{"connect is not write", f.b, connectable, nil, ErrDenied},
		{"bad field", f.a, note, map[string]any{"x": 1i}, ErrBadField},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tx := f.g.Begin(app, tc.caller)
			defer tx.Rollback()
			if err := tx.Update(tc.id, tc.fields); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// TestTx_UpdateChecked checks that the check runs only for a caller who
// may write, sees the object and the copied fields, and that its refusal
// or amendment applies.
func TestTx_UpdateChecked(t *testing.T) {
	f := newFixture(t)
	note := f.node(t, f.a, "Note", map[string]any{"a": "1"})
	refuse := errors.New("refused")
	var seen []string
	check := func(o *Object, fields map[string]any) error {
		seen = append(seen, o.Type)
		if fields["a"] == "bad" {
			return refuse
		}
		fields["b"] = int64(2)
		return nil
	}
	tx := f.g.Begin(app, f.b)
	if err := tx.UpdateChecked(note, map[string]any{"a": "x"}, check); !errors.Is(err, ErrDenied) || len(seen) != 0 || len(tx.Denials()) != 1 {
		t.Fatalf("another user: %v, check saw %v, %d denials", err, seen, len(tx.Denials()))
	}
	tx.Rollback()
	tx = f.g.Begin(app, f.a)
	if err := tx.UpdateChecked(note, map[string]any{"a": "bad"}, check); err != refuse {
		t.Fatalf("refusal: %v", err)
	}
	given := map[string]any{"a": "2"}
	ok(t, tx.UpdateChecked(note, given, check))
	ok(t, tx.Commit())
	got, err := f.get(t, f.a, note)
	if err != nil || !reflect.DeepEqual(got.Fields, map[string]any{"a": "2", "b": int64(2)}) || len(given) != 1 || len(seen) != 2 || seen[0] != "Note" {
		t.Fatalf("got %+v, %v; the caller's map %v; check saw %v", got, err, given, seen)
	}
}

func TestTx_Delete(t *testing.T) {
	f := newFixture(t)
	a, b, c := f.node(t, f.a, "N", nil), f.node(t, f.a, "N", nil), f.node(t, f.a, "N", nil)
	ab, bc, ca := f.edge(t, f.a, a, b, "E"), f.edge(t, f.a, b, c, "E"), f.edge(t, f.a, c, a, "E")
	loop := f.edge(t, f.a, a, a, "E")
	tx := f.g.Begin(app, f.a)
	fresh, _ := tx.Connect(b, a, "E", nil) // created in this tx, to the deleted node
	ok(t, tx.Delete(a))
	ok(t, tx.Delete(bc))
	ok(t, tx.Commit())
	for _, id := range []ID{a, ab, ca, loop, fresh.ID, bc} {
		if _, err := f.get(t, f.a, id); !errors.Is(err, ErrNotFound) {
			t.Fatalf("[%s]: got %v, want ErrNotFound", id, err)
		}
	}
	for _, n := range []ID{b, c} {
		tx := f.g.Begin(app, f.a)
		hits, err := tx.Edges(n, Both, AnyType, AnyType)
		tx.Rollback()
		if err != nil || len(hits) != 0 {
			t.Fatalf("node [%s] still has %d edges (%v)", n, len(hits), err)
		}
	}
	var keys int
	f.db.View(func(st *storeTx) error {
		return st.Bucket(app, bucketAdj).Scan(nil, func(k, v []byte) bool { keys++; return true })
	})
	if keys != 0 {
		t.Fatalf("got %d adjacency entries left, want 0", keys)
	}
}

func TestTx_Delete_Errors(t *testing.T) {
	f := newFixture(t)
	note := f.node(t, f.a, "Note", nil)
	f.do(t, f.a, func(tx *Tx) { ok(t, tx.AllowRoot(note, f.b.Root, Connect)) })
	tests := []struct {
		name   string
		caller Caller
		id     ID
		want   error
	}{
		{"not found", f.a, NewID(), ErrNotFound},
		{"connect is not write", f.b, note, ErrDenied},
		{"own root", f.a, f.a.Root, ErrRoot},
		{"another root", f.b, f.a.Root, ErrDenied},
		{"root as system", Caller{System: true}, f.a.Root, ErrRoot},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tx := f.g.Begin(app, tc.caller)
			defer tx.Rollback()
			if err := tx.Delete(tc.id); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestTx_Perm_Errors(t *testing.T) {
	f := newFixture(t)
	note := f.node(t, f.a, "Note", nil)
	f.do(t, f.a, func(tx *Tx) { ok(t, tx.AllowRoot(note, f.b.Root, Connect)) })
	tests := []struct {
		name string
		fn   func(tx *Tx) error
		want error
	}{
		{"grant needs write", func(tx *Tx) error { return tx.PermGrant(note, Read) }, ErrDenied},
		{"revoke needs write", func(tx *Tx) error { return tx.PermRevoke(note) }, ErrDenied},
		{"allow needs write", func(tx *Tx) error { return tx.AllowRoot(note, f.b.Root, Write) }, ErrDenied},
		{"disallow needs write", func(tx *Tx) error { return tx.DisallowRoot(note, f.b.Root) }, ErrDenied},
		{"bad grant level", func(tx *Tx) error { return tx.PermGrant(note, 3) }, ErrBadLevel},
		{"bad allow level", func(tx *Tx) error { return tx.AllowRoot(note, f.b.Root, -2) }, ErrBadLevel},
		{"unknown object", func(tx *Tx) error { return tx.PermRevoke(NewID()) }, ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tx := f.g.Begin(app, f.b)
			defer tx.Rollback()
			if err := tc.fn(tx); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestTx_Denials(t *testing.T) {
	f := newFixture(t)
	note := f.node(t, f.a, "Note", nil)
	mine := f.node(t, f.b, "Note", nil)
	tx := f.g.Begin(app, f.b)
	tx.Get(note)
	tx.Connect(mine, note, "", nil)
	tx.Update(note, nil)
	tx.Get(NewID()) // not found: no denial
	tx.Rollback()
	want := []Denial{{OpGet, note}, {OpConnect, note}, {OpUpdate, note}}
	if got := tx.Denials(); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestTx_Done(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name string
		end  func(tx *Tx) error
	}{
		{"after commit", (*Tx).Commit},
		{"after rollback", func(tx *Tx) error { tx.Rollback(); return nil }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tx := f.g.Begin(app, f.a)
			ok(t, tc.end(tx))
			tx.Rollback()
			_, errGet := tx.Get(f.a.Root)
			_, errCreate := tx.CreateNode("T", nil)
			_, errEdges := tx.Edges(f.a.Root, Out, AnyType, AnyType)
			for _, err := range []error{errGet, errCreate, errEdges, tx.Commit()} {
				if !errors.Is(err, ErrTxDone) {
					t.Fatalf("got %v, want ErrTxDone", err)
				}
			}
		})
	}
}
