package e2e

import (
	"fmt"
	"testing"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

// An edge is seen only by callers who may READ the edge itself and the node
// it leads to (docs/PERMISSIONS.md "Edges"): /traverse, detailed or not,
// and the edge queries of a guest (guests/shared_notes' links walker) agree
// with reading the edge directly, for every pair of levels bob may hold on
// the target node and on the edge.

// edgePermLevel is how the owner sets bob's level on an object.
type edgePermLevel struct {
	name  string
	grant int  // perm_grant level; -2 for none
	entry *int // allow_root(bob) level, if any
	read  bool // bob may READ the object
}

func lvl(l int) *int { return &l }

var edgePermLevels = []edgePermLevel{
	{"private", -2, nil, false},
	{"public", 0, nil, true},
	{"no_access_over_public", 0, lvl(-1), false},
	{"read", -2, lvl(0), true},
	{"connect", -2, lvl(1), true},
	{"write", -2, lvl(2), true},
}

type traversedEdges struct {
	Nodes []struct{ ID string }
	Edges []struct {
		ID     string
		Fields map[string]any
	}
}

func TestEdgePerm_Ladder(t *testing.T) {
	e, users := startNotes(t, testenv.Config(t), "alice", "bob")
	alice, bob := users[0], users[1]
	for _, node := range edgePermLevels {
		for _, edge := range edgePermLevels {
			t.Run("node_"+node.name+"/edge_"+edge.name, func(t *testing.T) {
				e := &permEnv{t: t, h: e.h}
				p, q := e.create(alice, "P"), e.create(alice, "Q")
				e.ok(alice, "publish_note", map[string]any{"id": p})
				link, _ := e.ok(alice, "link_notes", map[string]any{"from": p, "to": q, "label": "secret"}).Reports[0]["link"].(string)
				if edge.grant > -2 {
					e.ok(alice, "share_link", map[string]any{"id": link, "level": edge.grant})
				}
				if edge.entry != nil {
					e.ok(alice, "share_link", map[string]any{"id": link, "with_root": bob.root, "level": *edge.entry})
				}
				if node.grant > -2 {
					e.ok(alice, "publish_note", map[string]any{"id": q, "level": node.grant})
				}
				if node.entry != nil {
					e.ok(alice, "share_note", map[string]any{"id": q, "with_root": bob.root, "level": *node.entry})
				}
				want := node.read && edge.read
				checkEdgeSeen(t, e, bob, p, q, link, want)
				checkEdgeSeen(t, e, alice, p, q, link, true)
			})
		}
	}
}

// checkEdgeSeen checks what u sees of the edge link from p to q, each way.
func checkEdgeSeen(t *testing.T, e *permEnv, u permUser, p, q, link string, want bool) {
	t.Helper()
	for _, detailed := range []bool{false, true} {
		r := testenv.Do(t, "GET", fmt.Sprintf("%s/traverse?source=%s&detailed=%v", e.h.URL, p, detailed), nil, u.token)
		var tr traversedEdges
		if r.Status != 200 {
			t.Fatalf("%s: traverse from P: %d %s", u.name, r.Status, r.Body)
		}
		r.Decode(t, &tr)
		gotEdge := len(tr.Edges) == 1 && tr.Edges[0].ID == link
		gotNode := len(tr.Nodes) == 2 && tr.Nodes[1].ID == q
		if gotEdge != want || gotNode != want || len(tr.Edges) > 1 || len(tr.Nodes) > 2 {
			t.Fatalf("%s: traverse detailed=%v: want edge and Q seen=%v: %s", u.name, detailed, want, r.Body)
		}
		if want && detailed && tr.Edges[0].Fields["label"] != "secret" {
			t.Fatalf("%s: detailed traverse lost the edge's fields: %s", u.name, r.Body)
		}
	}
	links, _ := e.ok(u, "links", map[string]any{"id": p}).Reports[0]["links"].([]any)
	switch {
	case !want && len(links) != 0:
		t.Fatalf("%s: the guest's edge query returned a denied edge: %v", u.name, links)
	case want && (len(links) != 1 || fmt.Sprint(links[0]) != fmt.Sprintf("map[label:secret link:%s to:%s]", link, q)):
		t.Fatalf("%s: the guest's edge query: %v", u.name, links)
	}
	r := testenv.Do(t, "GET", e.h.URL+"/traverse?detailed=true&source="+link, nil, u.token)
	if (r.Status == 200) != want {
		t.Fatalf("%s: traverse from the edge itself: %d %s", u.name, r.Status, r.Body)
	}
}
