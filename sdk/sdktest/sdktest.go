// Package sdktest runs a guest's walkers and functions natively, against an
// in-memory graph, so that guest authors can test them with go test:
//
//	func TestCreateTodo(t *testing.T) {
//		h := sdktest.New()
//		res := h.Call("create_todo", map[string]any{"title": "milk"})
//		if err := res.Err(); err != nil {
//			t.Fatal(err)
//		}
//		todo := res.Reports[0].(map[string]any) // {"_jac_type": "Todo", "_jac_id": ..., "title": "milk", ...}
//	}
//
// It serves the guest through the SDK's stub imports, which exist only
// outside wasip1; there are no limits, and permissions are recorded (see
// Host.ACL) but not enforced.
package sdktest

import (
	"encoding/json"
	"errors"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/sdk"
	"github.com/walkerhost/walkerhost/sdk/internal/fakehost"
)

// Host is an in-memory walker host for the module linked into the test
// binary. Creating one makes it the host the SDK calls; the graph persists
// across calls on the same Host.
type Host struct {
	fake     *fakehost.Host
	manifest abi.Manifest
	root     string
}

// Result is what one call produced.
type Result struct {
	Status  abi.Status // StatusOK, StatusFailed, StatusBadRequest or StatusPanicked
	Output  any        // the result: a walker's fields, a return value, or a failure message
	Reports []any      // each report, in order
	Logs    []string   // "level: message" lines the guest logged

	// Discarded is the number of reports the host dropped while
	// discarding (see Host.Discard); Output and Reports are then nil.
	Discarded int
}

// Err returns nil for StatusOK, else an error carrying the output message.
func (r Result) Err() error {
	if r.Status == abi.StatusOK {
		return nil
	}
	msg, _ := r.Output.(string)
	if m, ok := r.Output.(map[string]any); ok { // an sdk.HTTPError
		msg, _ = m["message"].(string)
	}
	return errors.New("sdktest: status " + statusName(r.Status) + ": " + msg)
}

func statusName(s abi.Status) string {
	switch s {
	case abi.StatusFailed:
		return "failed"
	case abi.StatusBadRequest:
		return "bad request"
	case abi.StatusPanicked:
		return "panicked"
	}
	return "ok"
}

// New returns a host with one user root, serving the module's manifest.
// It panics if the manifest is not valid JSON (an SDK bug).
func New() *Host {
	h := &Host{}
	if err := json.Unmarshal(sdk.ManifestJSON(), &h.manifest); err != nil {
		panic("sdktest: manifest: " + err.Error())
	}
	h.fake = fakehost.New(len(h.manifest.Nodes), len(h.manifest.Edges))
	fakehost.Use(h.fake)
	h.root = h.fake.NewRoot()
	return h
}

// Manifest returns the module's manifest, decoded.
func (h *Host) Manifest() abi.Manifest { return h.manifest }

// RootID returns the id of the caller's root node.
func (h *Host) RootID() string { return h.root }

// Fields returns a copy of the stored fields of the node or edge with id,
// or nil if there is none.
func (h *Host) Fields(id string) map[string]any {
	o := h.fake.Object(id)
	if o == nil {
		return nil
	}
	return copyMap(o.Fields)
}

// Discard sets whether the host drops what the guest reports and outputs
// instead of keeping and decoding it: it still checks each value's
// encoding, and counts reports in Result.Discarded. Benchmarks use it, with
// a record built once by Record and passed to Run, so that they measure the
// guest rather than the host:
//
//	h := sdktest.New()
//	h.Discard(true)
//	rec := sdktest.Record(abi.KindWalker, "greet", 1, 1, abi.TypeRoot, map[string]any{"name": "x"})
//	for b.Loop() {
//		if res := h.Run(rec); res.Status != abi.StatusOK { ... }
//	}
func (h *Host) Discard(on bool) { h.fake.Discard = on }

// Exists reports whether a node or edge with id exists.
func (h *Host) Exists(id string) bool { return h.fake.Object(id) != nil }

func copyMap(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// ACL is an object's permissions as the guest's permission calls set them.
// The in-memory host records them but enforces nothing.
type ACL struct {
	Everyone    sdk.PermLevel // the grant to everyone; counts only when HasEveryone
	HasEveryone bool
	Roots       map[string]sdk.PermLevel // entries for single roots, by root id
}

// ACL returns the permissions of the node or edge with id (the zero ACL if
// there is no such object or nothing was set).
func (h *Host) ACL(id string) ACL {
	o := h.fake.Object(id)
	if o == nil {
		return ACL{}
	}
	a := ACL{Everyone: sdk.PermLevel(o.ACL.Everyone), HasEveryone: o.ACL.HasEveryone}
	if len(o.ACL.Roots) > 0 {
		a.Roots = make(map[string]sdk.PermLevel, len(o.ACL.Roots))
		for r, l := range o.ACL.Roots {
			a.Roots[r] = sdk.PermLevel(l)
		}
	}
	return a
}

// DenyPermissions makes the permission calls (Grant, Revoke, AllowRoot,
// DisallowRoot) fail with sdk.ErrDenied, as for a caller without WRITE.
func (h *Host) DenyPermissions(on bool) { h.fake.DenyPerms = on }
