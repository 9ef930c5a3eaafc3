package e2e

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// Permissions across users (docs/PERMISSIONS.md, abi/ABI.md "Permissions"),
// black-box over HTTP against guests/shared_notes.

type permUser struct {
	name, token, root string
}

type permEnv struct {
	t *testing.T
	h *testenv.Host
}

type permWarning struct {
	Code string `json:"code"`
	Op   string `json:"op"`
	Node string `json:"node"`
}

type permPayload struct {
	Reports     []map[string]any
	Warnings    []permWarning
	HasWarnings bool // the key is present
}

func startNotes(t *testing.T, cfg config.Config, names ...string) (*permEnv, []permUser) {
	t.Helper()
	e := &permEnv{t: t, h: testenv.Start(t, cfg, "shared_notes", testenv.Guest(t, "shared_notes"))}
	users := make([]permUser, len(names))
	for i, n := range names {
		users[i] = permUser{name: n, token: testenv.Register(t, e.h.URL, n, "pw-"+n)}
		p := e.ok(users[i], "my_root", nil)
		users[i].root, _ = p.Reports[0]["root"].(string)
		if len(users[i].root) != 32 {
			t.Fatalf("%s: my_root reported %v", n, p.Reports)
		}
	}
	return e, users
}

// do runs walker (with /node when at is not "") as u.
func (e *permEnv) do(u permUser, walker, at string, body map[string]any) *testenv.Response {
	e.t.Helper()
	path := e.h.URL + "/walker/" + walker
	if at != "" {
		path += "/" + at
	}
	if walker == "my_root" || walker == "list_notes" {
		return testenv.Do(e.t, "GET", path, nil, u.token)
	}
	if body == nil {
		body = map[string]any{}
	}
	return testenv.Do(e.t, "POST", path, body, u.token)
}

func (e *permEnv) payload(r *testenv.Response) permPayload {
	e.t.Helper()
	var raw map[string]json.RawMessage
	r.Decode(e.t, &raw)
	var p permPayload
	if err := json.Unmarshal(raw["reports"], &p.Reports); err != nil {
		e.t.Fatalf("reports: %v\n%s", err, r.Body)
	}
	if w, ok := raw["warnings"]; ok {
		p.HasWarnings = true
		if err := json.Unmarshal(w, &p.Warnings); err != nil {
			e.t.Fatalf("warnings: %v\n%s", err, r.Body)
		}
	}
	return p
}

// ok runs a walker that must succeed and returns its payload.
func (e *permEnv) ok(u permUser, walker string, body map[string]any) permPayload {
	e.t.Helper()
	r := e.do(u, walker, "", body)
	if r.Status != 200 {
		e.t.Fatalf("%s: %s %v: status %d: %s", u.name, walker, body, r.Status, r.Body)
	}
	return e.payload(r)
}

// refused runs a walker that must fail because of permissions: the walker
// returns the host's error, so the response is 500 EXECUTION_ERROR naming
// it (a note the caller cannot READ is "not found").
func (e *permEnv) refused(u permUser, walker string, body map[string]any, want string) {
	e.t.Helper()
	r := e.do(u, walker, "", body)
	if r.Status != 500 || r.Error == nil || r.Error.Code != "EXECUTION_ERROR" || !strings.Contains(r.Error.Message, want) {
		e.t.Fatalf("%s: %s %v: want 500 EXECUTION_ERROR containing %q, got %d %s", u.name, walker, body, want, r.Status, r.Body)
	}
}

func (e *permEnv) create(u permUser, text string) string {
	e.t.Helper()
	p := e.ok(u, "create_note", map[string]any{"text": text})
	id, _ := p.Reports[0]["_jac_id"].(string)
	if len(id) != 32 || p.Reports[0]["text"] != text {
		e.t.Fatalf("create_note reported %v", p.Reports)
	}
	return id
}

// text returns the note's text as u reads it by id, or "" when u may not.
func (e *permEnv) text(u permUser, id string) string {
	e.t.Helper()
	r := e.do(u, "read_note", "", map[string]any{"id": id})
	if r.Status != 200 {
		if r.Status != 500 || !strings.Contains(r.Error.Message, "not found") {
			e.t.Fatalf("read_note: %d %s", r.Status, r.Body)
		}
		return ""
	}
	s, _ := e.payload(r).Reports[0]["text"].(string)
	return s
}

// canRead checks both ways of reading: by id inside a walker, and spawning
// a walker on the note, which is 403 without READ.
func (e *permEnv) canRead(u permUser, id string, want bool) {
	e.t.Helper()
	if got := e.text(u, id) != ""; got != want {
		e.t.Fatalf("%s reads note %s by id: %v, want %v", u.name, id, got, want)
	}
	r := e.do(u, "read_note", id, nil)
	switch {
	case want && r.Status != 200:
		e.t.Fatalf("%s spawned on a readable note: %d %s", u.name, r.Status, r.Body)
	case !want && (r.Status != 403 || r.Error.Code != "FORBIDDEN"):
		e.t.Fatalf("%s spawned on a note without READ: want 403 FORBIDDEN, got %d %s", u.name, r.Status, r.Body)
	case want:
		if p := e.payload(r); len(p.Reports) != 1 || p.Reports[0]["_jac_id"] != id {
			e.t.Fatalf("spawned read_note reported %v", p.Reports)
		}
	}
}

// canWrite tries an edit as u and checks it against want; the text is
// restored to before by the owner's view.
func (e *permEnv) canWrite(u permUser, id string, want bool) {
	e.t.Helper()
	body := map[string]any{"id": id, "text": "edited by " + u.name}
	if want {
		e.ok(u, "edit_note", body)
		return
	}
	r := e.do(u, "edit_note", "", body)
	if r.Status != 500 || !(strings.Contains(r.Error.Message, "permission denied") || strings.Contains(r.Error.Message, "not found")) {
		e.t.Fatalf("%s edited a note without WRITE: %d %s", u.name, r.Status, r.Body)
	}
}

func TestPerm_PrivateByDefault(t *testing.T) { testenv.EachTier(t, testPermPrivateByDefault) }

func testPermPrivateByDefault(t *testing.T, cfg config.Config) {
	e, u := startNotes(t, cfg, "alice", "bob")
	alice, bob := u[0], u[1]
	note := e.create(alice, "alice's secret")

	e.canRead(bob, note, false)
	for _, tc := range []struct {
		walker string
		body   map[string]any
	}{
		{"edit_note", map[string]any{"id": note, "text": "stolen"}},
		{"delete_note", map[string]any{"id": note}},
		{"share_note", map[string]any{"id": note, "with_root": bob.root, "level": 2}},
		{"unshare_note", map[string]any{"id": note, "with_root": alice.root}},
		{"publish_note", map[string]any{"id": note, "level": 2}},
		{"unpublish_note", map[string]any{"id": note}},
		{"pin_note", map[string]any{"id": note}},
	} {
		e.refused(bob, tc.walker, tc.body, "not found")
	}
	if p := e.ok(bob, "list_notes", nil); len(p.Reports) != 0 {
		t.Fatalf("bob lists %v", p.Reports)
	}
	if got := e.text(alice, note); got != "alice's secret" {
		t.Fatalf("alice's note is now %q", got)
	}
	e.canRead(alice, note, true)
}

// The ladder: per-root entries win over grants to everyone, revoking and
// unsharing fall back one step.
func TestPerm_Ladder(t *testing.T) { testenv.EachTier(t, testPermLadder) }

func testPermLadder(t *testing.T, cfg config.Config) {
	e, u := startNotes(t, cfg, "alice", "bob", "carol")
	alice, bob, carol := u[0], u[1], u[2]
	note := e.create(alice, "plan")

	// Public READ: everyone reads, nobody else writes or connects.
	e.ok(alice, "publish_note", map[string]any{"id": note, "level": 0})
	e.canRead(bob, note, true)
	e.canRead(carol, note, true)
	e.canWrite(bob, note, false)
	if p := e.ok(bob, "pin_note", map[string]any{"id": note}); p.Reports[0]["refused"] != "PERMISSION_DENIED" {
		t.Fatalf("bob pinned with READ: %v", p.Reports)
	}

	// An explicit NO_ACCESS for carol overrides the public grant.
	e.ok(alice, "share_note", map[string]any{"id": note, "with_root": carol.root, "level": -1})
	e.canRead(carol, note, false)
	e.canRead(bob, note, true)

	// WRITE for bob alone.
	e.ok(alice, "share_note", map[string]any{"id": note, "with_root": bob.root, "level": 2})
	e.canWrite(bob, note, true)
	e.canWrite(carol, note, false)
	if got := e.text(alice, note); got != "edited by bob" {
		t.Fatalf("after bob's edit alice reads %q", got)
	}

	// Removing carol's entry falls back to the public READ.
	e.ok(alice, "unshare_note", map[string]any{"id": note, "with_root": carol.root})
	e.canRead(carol, note, true)

	// Revoking the public grant: carol is out, bob keeps his entry.
	e.ok(alice, "unpublish_note", map[string]any{"id": note})
	e.canRead(carol, note, false)
	e.canRead(bob, note, true)
	e.ok(alice, "unshare_note", map[string]any{"id": note, "with_root": bob.root})
	e.canRead(bob, note, false)

	// Public CONNECT: others may pin it to their root, and then list it.
	e.ok(alice, "publish_note", map[string]any{"id": note, "level": 1})
	if p := e.ok(carol, "pin_note", map[string]any{"id": note}); p.Reports[0]["pinned"] != true {
		t.Fatalf("carol could not pin with CONNECT: %v", p.Reports)
	}
	if p := e.ok(carol, "list_notes", nil); len(p.Reports) != 1 || p.Reports[0]["_jac_id"] != note {
		t.Fatalf("carol lists %v", p.Reports)
	}
	e.canWrite(carol, note, false)
	e.refused(carol, "delete_note", map[string]any{"id": note}, "permission denied")

	// Bad arguments are refused by the host.
	e.refused(alice, "share_note", map[string]any{"id": note, "with_root": "nobody", "level": 0}, "bad argument")
	e.refused(alice, "publish_note", map[string]any{"id": note, "level": 3}, "bad argument")
	e.refused(alice, "share_note", map[string]any{"id": note, "with_root": bob.root, "level": -2}, "bad argument")
}

// An entry on the owner's root covers everything the owner has; the note's
// own entry still comes first.
func TestPerm_OwnerRootEntry(t *testing.T) { testenv.EachTier(t, testPermOwnerRootEntry) }

func testPermOwnerRootEntry(t *testing.T, cfg config.Config) {
	e, u := startNotes(t, cfg, "alice", "bob", "carol")
	alice, bob, carol := u[0], u[1], u[2]
	first, second := e.create(alice, "one"), e.create(alice, "two")

	e.ok(alice, "share_all", map[string]any{"with_root": bob.root, "level": 0})
	e.canRead(bob, first, true)
	e.canRead(bob, second, true)
	e.canRead(carol, first, false)
	e.canWrite(bob, first, false)

	e.ok(alice, "share_note", map[string]any{"id": first, "with_root": bob.root, "level": -1})
	e.canRead(bob, first, false)
	e.canRead(bob, second, true)
	third := e.create(alice, "three") // created after the share: covered too
	e.canRead(bob, third, true)

	// The root's entry does not let bob change the root's permissions.
	e.refused(bob, "share_note", map[string]any{"id": alice.root, "with_root": carol.root}, "not found")

	e.ok(alice, "share_all", map[string]any{"with_root": bob.root, "remove": true})
	e.canRead(bob, second, false)
}

// Holding less than WRITE never lets a user raise their own level or
// anyone else's; holding WRITE does let them share further.
func TestPerm_NoEscalation(t *testing.T) { testenv.EachTier(t, testPermNoEscalation) }

func testPermNoEscalation(t *testing.T, cfg config.Config) {
	e, u := startNotes(t, cfg, "alice", "bob", "carol")
	alice, bob, carol := u[0], u[1], u[2]
	note := e.create(alice, "doc")

	for _, l := range []int{0, 1} {
		e.ok(alice, "share_note", map[string]any{"id": note, "with_root": bob.root, "level": l})
		e.refused(bob, "share_note", map[string]any{"id": note, "with_root": bob.root, "level": 2}, "permission denied")
		e.refused(bob, "publish_note", map[string]any{"id": note, "level": 2}, "permission denied")
		e.refused(bob, "unshare_note", map[string]any{"id": note, "with_root": bob.root}, "permission denied")
		e.refused(bob, "unpublish_note", map[string]any{"id": note}, "permission denied")
		// Sharing his own root is allowed, but it does not cover alice's note.
		e.ok(bob, "share_all", map[string]any{"with_root": carol.root, "level": 2})
		e.canWrite(bob, note, false)
		e.refused(bob, "delete_note", map[string]any{"id": note}, "permission denied")
	}
	e.canRead(carol, note, false)
	if got := e.text(alice, note); got != "doc" {
		t.Fatalf("alice's note is now %q", got)
	}

	// With WRITE bob may share on.
	e.ok(alice, "share_note", map[string]any{"id": note, "with_root": bob.root, "level": 2})
	e.ok(bob, "share_note", map[string]any{"id": note, "with_root": carol.root, "level": 0})
	e.canRead(carol, note, true)
	e.ok(bob, "delete_note", map[string]any{"id": note})
	if got := e.text(alice, note); got != "" {
		t.Fatalf("note survived bob's delete: %q", got)
	}
}

// A denial the guest does not look at is listed in data.warnings; one it
// handles is not, and neither are successful calls.
func TestPerm_Warnings(t *testing.T) { testenv.EachTier(t, testPermWarnings) }

func testPermWarnings(t *testing.T, cfg config.Config) {
	e, u := startNotes(t, cfg, "alice", "bob")
	alice, bob := u[0], u[1]
	note := e.create(alice, "readable")
	e.ok(alice, "publish_note", map[string]any{"id": note, "level": 0})

	p := e.ok(bob, "pin_note", map[string]any{"id": note, "best_effort": true})
	if p.Reports[0]["pinned"] != false {
		t.Fatalf("pin reported %v", p.Reports)
	}
	want := []permWarning{{Code: "PERMISSION_DENIED", Op: "connect", Node: note}}
	if !slices.Equal(p.Warnings, want) {
		t.Fatalf("warnings = %+v, want %+v", p.Warnings, want)
	}

	p = e.ok(bob, "pin_note", map[string]any{"id": note})
	if p.Reports[0]["refused"] != "PERMISSION_DENIED" || p.HasWarnings {
		t.Fatalf("handled denial: reports %v, warnings present %v %+v", p.Reports, p.HasWarnings, p.Warnings)
	}

	// A note bob cannot read at all: findNote looks at the error.
	hidden := e.create(alice, "hidden")
	r := e.do(bob, "read_note", "", map[string]any{"id": hidden})
	if r.Status != 500 {
		t.Fatalf("read of a hidden note: %d %s", r.Status, r.Body)
	}
	for _, w := range []string{"create_note", "list_notes", "read_note"} {
		body := map[string]any{"text": "x", "id": note}
		if p := e.ok(bob, w, body); p.HasWarnings {
			t.Fatalf("%s has warnings %+v", w, p.Warnings)
		}
	}
	e.ok(alice, "publish_note", map[string]any{"id": note, "level": 1})
	p = e.ok(bob, "pin_note", map[string]any{"id": note, "best_effort": true})
	if p.Reports[0]["pinned"] != true || p.HasWarnings {
		t.Fatalf("pin with CONNECT: %v %+v", p.Reports, p.Warnings)
	}
	if got := fmt.Sprint(len(e.ok(bob, "list_notes", nil).Reports)); got != "2" {
		t.Fatalf("bob lists %s notes, want his own and the pinned one", got)
	}
}

// An entry for a root is taken even when the grant to everyone is higher.
func TestPerm_EntryBeatsHigherPublicGrant(t *testing.T) {
	testenv.EachTier(t, testPermEntryBeatsHigherPublicGrant)
}

func testPermEntryBeatsHigherPublicGrant(t *testing.T, cfg config.Config) {
	e, u := startNotes(t, cfg, "alice", "bob", "carol")
	alice, bob, carol := u[0], u[1], u[2]
	note := e.create(alice, "n")
	e.ok(alice, "share_note", map[string]any{"id": note, "with_root": bob.root, "level": 0})
	e.ok(alice, "publish_note", map[string]any{"id": note, "level": 1})
	if p := e.ok(bob, "pin_note", map[string]any{"id": note}); p.Reports[0]["refused"] != "PERMISSION_DENIED" {
		t.Fatalf("bob (READ entry) pinned under a public CONNECT: %v", p.Reports)
	}
	if p := e.ok(carol, "pin_note", map[string]any{"id": note}); p.Reports[0]["pinned"] != true {
		t.Fatalf("carol (public CONNECT) could not pin: %v", p.Reports)
	}
}
