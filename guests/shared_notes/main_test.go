package main

import (
	"testing"

	"github.com/walkerhost/walkerhost/sdk"
	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

// The in-memory host records permissions without enforcing them; the rules
// across users are tested against the real host in internal/e2e/perm_test.go.
func TestNotes(t *testing.T) {
	h := sdktest.New()
	call := func(walker string, fields map[string]any) []any {
		t.Helper()
		res := h.Call(walker, fields)
		if err := res.Err(); err != nil {
			t.Fatalf("%s: %v", walker, err)
		}
		return res.Reports
	}
	const bob = "0123456789abcdef0123456789abcdef"
	note := call("create_note", map[string]any{"text": "hello"})[0].(map[string]any)
	id := note["_jac_id"].(string)
	if note["_jac_type"] != "Note" || note["text"] != "hello" {
		t.Fatalf("created %v", note)
	}
	if got := call("my_root", nil)[0].(map[string]any)["root"]; got != h.RootID() {
		t.Fatalf("my_root = %v, want %s", got, h.RootID())
	}
	call("share_note", map[string]any{"id": id, "with_root": bob, "level": 2})
	call("publish_note", map[string]any{"id": id})
	call("share_all", map[string]any{"with_root": bob, "level": 1})
	want := sdktest.ACL{Everyone: sdk.Read, HasEveryone: true, Roots: map[string]sdk.PermLevel{bob: sdk.Write}}
	if got := h.ACL(id); got.Everyone != want.Everyone || !got.HasEveryone || got.Roots[bob] != sdk.Write {
		t.Fatalf("ACL = %+v, want %+v", got, want)
	}
	if got := h.ACL(h.RootID()); got.Roots[bob] != sdk.Connect {
		t.Fatalf("root ACL = %+v", got)
	}
	call("unshare_note", map[string]any{"id": id, "with_root": bob})
	call("unpublish_note", map[string]any{"id": id})
	if got := h.ACL(id); got.HasEveryone || len(got.Roots) != 0 {
		t.Fatalf("ACL after unshare = %+v", got)
	}
	if res := h.Call("share_note", map[string]any{"id": id, "with_root": bob, "level": 5}); res.Err() == nil {
		t.Fatal("level 5 accepted")
	}
	if got := call("read_note", map[string]any{"id": id}); got[0].(map[string]any)["text"] != "hello" {
		t.Fatalf("read = %v", got)
	}
	if got := h.CallAt("read_note", id, nil); got.Err() != nil || got.Reports[0].(map[string]any)["_jac_id"] != id {
		t.Fatalf("read at the note = %+v", got)
	}
	call("edit_note", map[string]any{"id": id, "text": "bye"})
	if got := call("list_notes", nil); len(got) != 1 || got[0].(map[string]any)["text"] != "bye" {
		t.Fatalf("list = %v", got)
	}
	h.DenyPermissions(true)
	if res := h.Call("publish_note", map[string]any{"id": id}); res.Err() == nil {
		t.Fatal("denied publish succeeded")
	}
	h.DenyPermissions(false)
	call("delete_note", map[string]any{"id": id})
	if got := call("list_notes", nil); len(got) != 0 {
		t.Fatalf("list after delete = %v", got)
	}
}
