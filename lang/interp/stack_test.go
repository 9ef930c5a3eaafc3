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
