//go:build !race

package sdk

import "testing"

// The encoder must not keep what it encodes: then a map literal passed to
// Report stays on the caller's stack, and encoding it allocates nothing.
func TestAppendValue_KeepsNoReference(t *testing.T) {
	buf := make([]byte, 0, 256)
	allocs := testing.AllocsPerRun(100, func() {
		buf, _ = appendValue(buf[:0], map[string]any{"message": "hello", "n": 1, "ok": true})
		buf, _ = appendValue(buf[:0], []any{"a", 2.5, map[string]any{"k": "v"}})
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per encoding, want 0", allocs)
	}
}
