package interp_test

import (
	"runtime/debug"
	"testing"

	"github.com/walkerhost/walkerhost/lang/interp"
)

// The deepest Jac recursion allowed fits in a small Go stack (the guest's
// memory is bounded): 1000 nested calls stay under 16 MiB of stack.
func TestDeepRecursionStack(t *testing.T) {
	old := debug.SetMaxStack(16 << 20)
	defer debug.SetMaxStack(old)
	p := load(t, `
def deep(n: int) -> int { if n == 0 { return 0; } x = [i for i in range(1)]; return 1 + deep(n - 1); }
def over() -> str { try { deep(5000); } except RecursionError { return "caught"; } return "no"; }`, interp.NewMemHost())
	v, err := p.Function("deep", map[string]any{"n": int64(interp.MaxDepth - 2)})
	if err != nil || v != int64(interp.MaxDepth-2) {
		t.Fatalf("deep = %v, %v", v, err)
	}
	if v, err := p.Function("over", nil); err != nil || v != "caught" {
		t.Fatalf("over = %v, %v", v, err)
	}
}

// A walker going down a long chain of nodes does not deepen the Go stack.
func TestLongChainWalk(t *testing.T) {
	h := interp.NewMemHost()
	p := load(t, `
node Link { has i: int; }
walker build { has n: int; can go with Root entry { cur = here; for i in range(self.n) { cur = (cur ++> Link(i=i))[0]; } } }
walker count { has seen: int = 0; can go with Root entry { visit [-->]; } can at with Link entry { self.seen += 1; visit [-->]; }
  can done with exit { report self.seen; } }`, h)
	const n = 30000
	if err := p.Walker("build", map[string]any{"n": int64(n)}, ""); err != nil {
		t.Fatal(err)
	}
	old := debug.SetMaxStack(2 << 20)
	defer debug.SetMaxStack(old)
	if err := p.Walker("count", nil, ""); err != nil {
		t.Fatal(err)
	}
	if len(h.Reports) != 1 || h.Reports[0] != int64(n) {
		t.Errorf("reports = %v, want [%d]", h.Reports, n)
	}
}
