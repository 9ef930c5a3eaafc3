package main

import "github.com/walkerhost/walkerhost/sdk"

// Out-of-range arguments badptr passes to the host: a pointer near the top
// of the 32-bit address space and a length no memory has.
const (
	badPtr = 0xFFFFFF00
	badLen = 0x7FFFFFFF
)

// BadPtr calls one host import, chosen by name, directly with a pointer
// and length outside the module's memory. The host must abort the call; if
// it returns instead, the walker reports what it returned.
type BadPtr struct{ Call string }

func (w *BadPtr) Fields(f *sdk.Fields) { f.String("call", &w.Call).Default("report") }

// badCalls are the imports badptr can misuse, each with bad arguments.
var badCalls = map[string]func() int32{
	"report":      func() int32 { return rawReport(badPtr, badLen) },
	"output":      func() int32 { return rawOutput(badPtr, 16) },
	"obj_read":    func() int32 { return rawObjRead(1, badPtr, badLen) },
	"obj_get":     func() int32 { return rawObjGet(badPtr, badLen) },
	"node_create": func() int32 { return rawNodeCreate(1, 0, badLen) },
	"edge_query":  func() int32 { return rawEdgeQuery(1, 1, -1, -1, 1, badPtr, 64) },
	"error_take":  func() int32 { return rawErrorTake(badPtr, badLen) },
}

var _ = sdk.Walker("badptr", func() *BadPtr { return new(BadPtr) }).
	Public().
	OnRoot(func(w *BadPtr, v *sdk.Visit) error {
		call := badCalls[w.Call]
		if call == nil {
			call = badCalls["report"]
		}
		return v.Report(map[string]any{"call": w.Call, "returned": int(call())})
	})
