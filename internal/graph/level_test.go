package graph

import (
	"errors"
	"testing"
)

// acl returns an ACL; everyone below NoAccess means no grant to everyone.
func acl(everyone Level, roots map[ID]Level) ACL {
	if everyone < NoAccess {
		return ACL{Roots: roots}
	}
	return ACL{Everyone: everyone, HasEveryone: true, Roots: roots}
}

const unset Level = -2

func TestEffective(t *testing.T) {
	a, b, c := NewID(), NewID(), NewID() // a owns the node; b asks; c is someone else
	tests := []struct {
		name        string
		caller      Caller
		obj, owner  ACL
		rootItself  bool // the object is a's root
		noOwnerRoot bool // the owner root is unknown
		want        Level
	}{
		{"owner", Caller{Root: a}, acl(unset, nil), acl(unset, nil), false, false, Write},
		{"system", Caller{System: true}, acl(NoAccess, nil), acl(unset, nil), false, false, Write},
		{"nothing set", Caller{Root: b}, acl(unset, nil), acl(unset, nil), false, false, NoAccess},
		{"object public read", Caller{Root: b}, acl(Read, nil), acl(unset, nil), false, false, Read},
		{"owner root public connect", Caller{Root: b}, acl(unset, nil), acl(Connect, nil), false, false, Connect},
		{"higher of the two public grants", Caller{Root: b}, acl(Read, nil), acl(Write, nil), false, false, Write},
		{"higher public grant on the object", Caller{Root: b}, acl(Connect, nil), acl(Read, nil), false, false, Connect},
		{"object entry wins over public", Caller{Root: b}, acl(Write, map[ID]Level{b: Read}), acl(unset, nil), false, false, Read},
		{"object NO_ACCESS overrides public", Caller{Root: b}, acl(Write, map[ID]Level{b: NoAccess}), acl(Write, nil), false, false, NoAccess},
		{"object entry before owner root entry", Caller{Root: b}, acl(unset, map[ID]Level{b: Connect}), acl(unset, map[ID]Level{b: Write}), false, false, Connect},
		{"owner root entry wins over public", Caller{Root: b}, acl(Read, nil), acl(unset, map[ID]Level{b: Write}), false, false, Write},
		{"owner root NO_ACCESS overrides public", Caller{Root: b}, acl(Write, nil), acl(unset, map[ID]Level{b: NoAccess}), false, false, NoAccess},
		{"entry for another root", Caller{Root: b}, acl(unset, map[ID]Level{c: Write}), acl(unset, nil), false, false, NoAccess},
		{"unknown owner root", Caller{Root: b}, acl(Read, nil), acl(Write, nil), false, true, Read},
		{"a root itself", Caller{Root: b}, acl(Connect, nil), acl(Connect, nil), true, false, Connect},
		{"a root's own entry", Caller{Root: b}, acl(Read, map[ID]Level{b: Write}), acl(Read, map[ID]Level{b: Write}), true, false, Write},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			owner := &Object{ID: a, Kind: KindNode, Type: RootType, Owner: a, ACL: tc.owner}
			obj := &Object{ID: NewID(), Kind: KindNode, Type: "Doc", Owner: a, ACL: tc.obj}
			if tc.rootItself {
				obj = owner
			}
			if tc.noOwnerRoot {
				owner = nil
			}
			if got := Effective(tc.caller, obj, owner); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestTx_Ladder drives the ladder through a Tx: user a owns a note and sets
// permissions; user b then tries to read, connect and write it.
func TestTx_Ladder(t *testing.T) {
	tests := []struct {
		name  string
		grant func(tx *Tx, f *fixture, note ID) error
		want  Level // the most b can do
	}{
		{"private", func(*Tx, *fixture, ID) error { return nil }, NoAccess},
		{"note public read", func(tx *Tx, _ *fixture, n ID) error { return tx.PermGrant(n, Read) }, Read},
		{"root public connect", func(tx *Tx, f *fixture, _ ID) error { return tx.PermGrant(f.a.Root, Connect) }, Connect},
		{"note allows b to write", func(tx *Tx, f *fixture, n ID) error { return tx.AllowRoot(n, f.b.Root, Write) }, Write},
		{"root allows b to read", func(tx *Tx, f *fixture, _ ID) error { return tx.AllowRoot(f.a.Root, f.b.Root, Read) }, Read},
		{"note shuts b out of a public note", func(tx *Tx, f *fixture, n ID) error {
			return errors.Join(tx.PermGrant(n, Write), tx.AllowRoot(n, f.b.Root, NoAccess))
		}, NoAccess},
		{"revoked grant", func(tx *Tx, _ *fixture, n ID) error {
			return errors.Join(tx.PermGrant(n, Write), tx.PermRevoke(n))
		}, NoAccess},
		{"disallowed root", func(tx *Tx, f *fixture, n ID) error {
			return errors.Join(tx.AllowRoot(n, f.b.Root, Write), tx.DisallowRoot(n, f.b.Root))
		}, NoAccess},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			note := f.node(t, f.a, "Note", map[string]any{"text": "hi"})
			f.do(t, f.a, func(tx *Tx) { ok(t, tc.grant(tx, f, note)) })
			bNode := f.node(t, f.b, "Note", nil)
			tx := f.g.Begin(app, f.b)
			defer tx.Rollback()
			_, errRead := tx.Get(note)
			_, errConnect := tx.Connect(bNode, note, "Link", nil)
			errWrite := tx.Update(note, map[string]any{"text": "b was here"})
			for _, step := range []struct {
				level Level
				err   error
			}{{Read, errRead}, {Connect, errConnect}, {Write, errWrite}} {
				allowed := step.level <= tc.want
				if allowed && step.err != nil || !allowed && !errors.Is(step.err, ErrDenied) {
					t.Fatalf("%s: got %v, want allowed=%v", step.level, step.err, allowed)
				}
			}
		})
	}
}

func TestLevel_String(t *testing.T) {
	tests := []struct {
		in   Level
		want string
	}{{NoAccess, "NO_ACCESS"}, {Read, "READ"}, {Connect, "CONNECT"}, {Write, "WRITE"}, {5, "Level(5)"}}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.in.String(); got != tc.want || tc.in.Valid() != (tc.in <= Write) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}
