package sdk_test

import (
	"reflect"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

// tourGraph is root -Has-> a, b, c; a -Has-> e; root -Likes-> d; root -Has-> tag.
func tourGraph() *sdktest.Host {
	h := sdktest.New()
	item := func(name string) string { return h.AddNode("Item", map[string]any{"name": name}) }
	a, b, c, d, e := item("a"), item("b"), item("c"), item("d"), item("e")
	for _, id := range []string{a, b, c} {
		h.AddEdge(h.RootID(), id, "Has", nil)
	}
	h.AddEdge(a, e, "Has", nil)
	h.AddEdge(h.RootID(), d, "Likes", nil)
	h.AddEdge(h.RootID(), h.AddNode("Tag", nil), "Has", nil)
	return h
}

func TestWalk(t *testing.T) {
	tests := []struct {
		name    string
		fields  map[string]any
		reports []any
		seen    int64
	}{
		{"visits queue in order", nil, []any{"root", "a", "b", "c", "e"}, 4},
		{"skip leaves the node", map[string]any{"skip_at": "b"}, []any{"root", "a", "c", "e"}, 3},
		{"disengage ends the walk", map[string]any{"stop_at": "b"}, []any{"root", "a"}, 1},
		{"skip of a child", map[string]any{"skip_at": "e"}, []any{"root", "a", "b", "c"}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := tourGraph().Call("tour", tc.fields)
			if err := res.Err(); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res.Reports, tc.reports) {
				t.Errorf("reports = %v, want %v", res.Reports, tc.reports)
			}
			if seen := res.Output.(map[string]any)["seen"]; seen != tc.seen {
				t.Errorf("seen = %v, want %d", seen, tc.seen)
			}
		})
	}
}

func TestWalk_SpawnedOnANode(t *testing.T) {
	h := tourGraph()
	a := h.AddNode("Item", map[string]any{"name": "solo"})
	res := h.CallAt("tour", a, nil)
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	if want := []any{"solo"}; !reflect.DeepEqual(res.Reports, want) {
		t.Fatalf("reports = %v, want %v", res.Reports, want)
	}
}

func TestSpawn(t *testing.T) {
	res := sdktest.New().Call("call_secret", nil)
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	want := []any{"psst", "hi", "panic: assignment to entry in nil map"}
	if !reflect.DeepEqual(res.Reports, want) {
		t.Errorf("reports = %v, want %v", res.Reports, want)
	}
	if heard := res.Output.(map[string]any)["heard"]; heard != int64(1) {
		t.Errorf("heard = %v, want 1", heard)
	}
}

func TestFailures(t *testing.T) {
	tests := []struct {
		walker  string
		fields  map[string]any
		status  abi.Status
		output  any
		reports []any
	}{
		{"fail", nil, abi.StatusFailed, "boom", []any{"before"}},
		{"panic", nil, abi.StatusPanicked, "panic: assignment to entry in nil map", nil},
		{"lookup", map[string]any{"id": "nope"}, abi.StatusOK, nil, []any{"not found"}},
		{"lookup_raw", map[string]any{"id": "nope"}, abi.StatusFailed, "obj_get: not found: no object with id nope", nil},
	}
	for _, tc := range tests {
		t.Run(tc.walker, func(t *testing.T) {
			res := sdktest.New().Call(tc.walker, tc.fields)
			if res.Status != tc.status {
				t.Fatalf("status = %d, want %d (%v)", res.Status, tc.status, res.Output)
			}
			if tc.output != nil && res.Output != tc.output {
				t.Errorf("output = %#v, want %#v", res.Output, tc.output)
			}
			if !reflect.DeepEqual(res.Reports, tc.reports) {
				t.Errorf("reports = %#v, want %#v", res.Reports, tc.reports)
			}
		})
	}
}

func TestFunction(t *testing.T) {
	tests := []struct {
		name   string
		fn     string
		args   map[string]any
		status abi.Status
		output any
	}{
		{"sum", "add", map[string]any{"a": 2, "b": 40}, abi.StatusOK, int64(42)},
		{"missing argument", "add", map[string]any{"a": 2}, abi.StatusBadRequest, "sdk: bad request: add: missing required field \"b\""},
		{"unencodable result", "bad_result", nil, abi.StatusFailed, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := sdktest.New().Func(tc.fn, tc.args)
			if res.Status != tc.status {
				t.Fatalf("status = %d, want %d (%v)", res.Status, tc.status, res.Output)
			}
			if tc.output != nil && res.Output != tc.output {
				t.Errorf("output = %#v, want %#v", res.Output, tc.output)
			}
		})
	}
}
