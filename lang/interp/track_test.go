package interp_test

import (
	"testing"

	"github.com/walkerhost/walkerhost/lang/interp"
)

// updateHost counts the writes back of nodes and edges.
type updateHost struct {
	*interp.MemHost
	updates int
}

func (h *updateHost) UpdateNode(id interp.NodeID, f map[string]any) error {
	h.updates++
	return h.MemHost.UpdateNode(id, f)
}

func (h *updateHost) UpdateEdge(id interp.EdgeID, f map[string]any) error {
	h.updates++
	return h.MemHost.UpdateEdge(id, f)
}

// TestChangeTracking: a request writes back exactly the nodes and edges
// whose declared fields changed, whether a field was assigned or mutated
// in place, and nothing when it only read them.
func TestChangeTracking(t *testing.T) {
	const decls = `
node Item { has title: str; has done: bool = False; has n: int = 1; has x: float = 0.5;
            has tags: list = []; has meta: dict = {}; }
edge Tag { has w: int = 1; }
walker make {
    can go with Root entry {
        here +>:Tag(w=2):+> Item(title="a", tags=["t"], meta={"k": {"v": 1}}, x=float("nan"));
    }
}
`
	for _, tc := range []struct {
		name, body string
		updates    int
	}{
		{"read only", `x = here.title + str(here.tags) + str(here.meta) + str(here.x);`, 0},
		{"same scalar", `here.title = "a"; here.done = False; here.n = 1;`, 0},
		{"nan stays nan", `here.x = float("nan");`, 0},
		{"same list", `here.tags = ["t"];`, 0},
		{"str", `here.title = "b";`, 1},
		{"bool", `here.done = True;`, 1},
		{"int to equal float", `here.n = 1.0;`, 1},
		{"int to bool", `here.n = True;`, 1},
		{"list in place", `here.tags.append("u");`, 1},
		{"nested dict in place", `here.meta["k"]["v"] = 2;`, 1},
		{"scalar to list", `here.title = ["a"];`, 1},
		{"edge field", `for e in [edge here <--] { e.w = 3; }`, 1},
		{"edge read", `for e in [edge here <--] { x = e.w; }`, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &updateHost{MemHost: interp.NewMemHost()}
			p := load(t, decls+`walker touch { can go with Root entry { visit [-->]; } can t with Item entry { `+tc.body+` } }`, h)
			if err := p.Walker("make", nil, ""); err != nil {
				t.Fatal(err)
			}
			h.updates = 0
			if err := p.Walker("touch", nil, ""); err != nil {
				t.Fatal(err)
			}
			if h.updates != tc.updates {
				t.Errorf("%d writes back, want %d", h.updates, tc.updates)
			}
		})
	}
}
