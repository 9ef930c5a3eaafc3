// Package typedtest declares a walker whose fields are known only at run
// time, as a language runtime does, with Fields.Typed. It is a package of
// its own because the SDK's registry is per module.
package typedtest

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/sdk"
	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

// decl is what a runtime would read from its program.
var decl = []abi.Field{
	{Name: "title", Type: "string", Required: true},
	{Name: "n", Type: "int", Default: int64(3)},
	{Name: "tags", Type: "list", Default: []any{"a"}},
	{Name: "extra", Type: "any"},
}

// dynamic is a walker value of the declared fields.
type dynamic struct{ vals []any }

func (d *dynamic) Fields(f *sdk.Fields) {
	for i, fd := range decl {
		b := f.Typed(fd.Name, sdk.Type(fd.Type), &d.vals[i])
		if fd.Required {
			b.Required()
		}
		if fd.Default != nil {
			b.Default(fd.Default)
		}
	}
}

var _ = sdk.Walker("dyn", func() *dynamic { return &dynamic{vals: make([]any, len(decl))} }).
	OnRoot(func(w *dynamic, v *sdk.Visit) error {
		w.vals[1] = w.vals[1].(int64) + 1
		return v.Report(map[string]any{"title": w.vals[0], "tags": w.vals[2], "extra": w.vals[3]})
	})

func TestTyped_Manifest(t *testing.T) {
	var m abi.Manifest
	if err := json.Unmarshal(sdk.ManifestJSON(), &m); err != nil {
		t.Fatal(err)
	}
	want := []abi.Field{
		{Name: "title", Type: "string", Required: true},
		{Name: "n", Type: "int", Default: 3.0},
		{Name: "tags", Type: "list", Default: []any{"a"}},
		{Name: "extra", Type: "any"},
	}
	if len(m.Walkers) != 1 || !reflect.DeepEqual(m.Walkers[0].Fields, want) {
		t.Fatalf("walkers %+v, want one with fields %+v", m.Walkers, want)
	}
}

func TestTyped_Call(t *testing.T) {
	h := sdktest.New()
	tests := []struct {
		fields  map[string]any
		report  map[string]any
		resultN int64
	}{
		{map[string]any{"title": "x"}, map[string]any{"title": "x", "tags": []any{"a"}, "extra": nil}, 4},
		{map[string]any{"title": "y", "n": int64(10), "tags": []any{}, "extra": map[string]any{"k": true}},
			map[string]any{"title": "y", "tags": []any{}, "extra": map[string]any{"k": true}}, 11},
	}
	for _, tc := range tests {
		res := h.Call("dyn", tc.fields)
		if err := res.Err(); err != nil {
			t.Fatal(err)
		}
		if len(res.Reports) != 1 || !reflect.DeepEqual(res.Reports[0], tc.report) {
			t.Errorf("reports %#v, want %#v", res.Reports, tc.report)
		}
		if got := res.Output.(map[string]any)["n"]; got != tc.resultN {
			t.Errorf("result n = %#v, want %d", got, tc.resultN)
		}
	}
	if res := h.Call("dyn", nil); res.Err() == nil {
		t.Errorf("a call without the required field succeeded: %+v", res)
	}
}
