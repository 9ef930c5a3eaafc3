package sdk_test

import (
	"fmt"

	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

// Example runs the tour walker declared in decls_test.go natively.
func Example() {
	h := sdktest.New()
	a := h.AddNode("Item", map[string]any{"name": "a"})
	h.AddEdge(h.RootID(), a, "Has", nil)
	res := h.Call("tour", nil)
	fmt.Println(res.Status, res.Reports, res.Output)
	// Output: 0 [root a] map[seen:1 skip_at: stop_at:]
}
