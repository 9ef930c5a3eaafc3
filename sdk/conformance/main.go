// Command conformance is the Go SDK's conformance guest: walkers that each
// exercise one behaviour of the ABI (abi/ABI.md) through the SDK. The suite
// in internal/tck calls them through the real host and checks what they
// answer (docs/CONFORMANCE.md); a guest SDK in another language passes the
// suite with a module exposing the same walkers.
//
// Walkers that run a host operation report its outcome as
// {"ok": bool, "value": result, "errno": n, "error": message}, n being the
// ABI's errno (0 when ok), so that the suite reads the same answer from
// every language.
package main

import (
	"errors"

	"github.com/walkerhost/walkerhost/sdk"
)

// main is never run: the host calls the module's walker_* exports.
func main() {}

var (
	Item = sdk.NodeType("Item", sdk.StringField("name").Required(), sdk.IntField("count").Default(0))
	Has  = sdk.EdgeType("Has", sdk.FloatField("weight").Default(1))
)

// Empty is a walker without fields.
type Empty struct{}

func (*Empty) Fields(*sdk.Fields) {}

func newEmpty() *Empty { return new(Empty) }

// outcome is what a walker reports for one host operation.
func outcome(v any, err error) map[string]any {
	if err == nil {
		return map[string]any{"ok": true, "value": v, "errno": 0, "error": ""}
	}
	var e *sdk.Error
	errno := 0
	if errors.As(err, &e) {
		errno = int(e.Errno)
	}
	return map[string]any{"ok": false, "value": nil, "errno": errno, "error": err.Error()}
}

// Arguments of the dispatching walkers, read leniently: the suite's input
// is trusted, and a wrong kind reads as the zero value.

func str(a []any, i int) string {
	s, _ := val(a, i).(string)
	return s
}

func num(a []any, i int) int {
	switch n := val(a, i).(type) {
	case int64:
		return int(n)
	case float64:
		return int(n)
	}
	return 0
}

func obj(a []any, i int) map[string]any {
	m, _ := val(a, i).(map[string]any)
	return m
}

func val(a []any, i int) any {
	if i < len(a) {
		return a[i]
	}
	return nil
}
