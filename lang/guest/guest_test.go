package main

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/lang/bundle"
	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

// The SDK's registry is per process: this test binary loads one program,
// the todo sample plus walkers for the error and entry cases.
const extra = `
walker boom {
    has at: int = 0;
    can run with Root entry {
        x = [1, 2];
        report x[self.at];
    }
}

def :pub add(a: int, b: int = 2) -> int {
    return a + b;
}

with entry {
    print("hello", 1 + 1);
}
`

func TestMain(m *testing.M) {
	src, err := os.ReadFile("../../guests/jactodo/app.jac")
	if err != nil {
		panic(err)
	}
	if err := setup(bundle.Encode([]bundle.File{{Name: "app.jac", Src: src}, {Name: "extra.jac", Src: []byte(extra)}})); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

func TestManifest(t *testing.T) {
	m := sdktest.New().Manifest()
	want := abi.Manifest{ABI: 1, SDK: "go/0.1.0",
		Nodes: []abi.TypeDecl{{Name: "Todo", Fields: []abi.Field{{Name: "title", Type: "string", Required: true}, {Name: "done", Type: "bool", Default: false}}}},
		Edges: []abi.TypeDecl{},
		Walkers: []abi.Entry{
			{Name: "ping", Access: "public", Method: "POST", Fields: []abi.Field{{Name: "n", Type: "int", Default: 0.0}}},
			{Name: "create_todo", Access: "protected", Method: "POST", Fields: []abi.Field{{Name: "title", Type: "string", Required: true}}},
			{Name: "list_todos", Access: "protected", Method: "POST", Fields: []abi.Field{}},
			{Name: "boom", Access: "protected", Method: "POST", Fields: []abi.Field{{Name: "at", Type: "int", Default: 0.0}}},
			{Name: MainWalker, Access: "private", Method: "POST", Fields: []abi.Field{}},
		},
		Functions: []abi.Entry{{Name: "add", Access: "public", Method: "POST", Returns: "int",
			Fields: []abi.Field{{Name: "a", Type: "int", Required: true}, {Name: "b", Type: "int", Default: 2.0}}}},
	}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("manifest\n got %+v\nwant %+v", m, want)
	}
}

func TestTodos(t *testing.T) {
	h := sdktest.New()
	call := func(walker string, fields map[string]any) []any {
		t.Helper()
		res := h.Call(walker, fields)
		if err := res.Err(); err != nil {
			t.Fatalf("%s: %v (%v)", walker, err, res.Output)
		}
		return res.Reports
	}
	if got := call("ping", map[string]any{"n": int64(3)}); !reflect.DeepEqual(got, []any{map[string]any{"message": "pong", "n": int64(3)}}) {
		t.Fatalf("ping: %#v", got)
	}
	created := call("create_todo", map[string]any{"title": "milk"})
	call("create_todo", map[string]any{"title": "eggs"})
	list, ok := created[0].([]any)
	if !ok || len(list) != 1 {
		t.Fatalf("create_todo reported %#v, want a list of one node", created)
	}
	milk := list[0].(map[string]any)
	if milk["_jac_type"] != "Todo" || milk["title"] != "milk" || milk["done"] != false || milk["_jac_id"] == "" {
		t.Fatalf("created %#v", milk)
	}
	got := call("list_todos", nil)
	if len(got) != 2 || got[0].(map[string]any)["title"] != "milk" || got[1].(map[string]any)["title"] != "eggs" {
		t.Fatalf("list_todos: %#v", got)
	}
}

// TestErrors: a Jac exception fails the request with its file, line and
// type, as one line.
func TestErrors(t *testing.T) {
	res := sdktest.New().Call("boom", map[string]any{"at": int64(5)})
	msg, _ := res.Output.(string)
	if res.Err() == nil || !strings.HasPrefix(msg, "extra.jac:6:") || !strings.Contains(msg, "IndexError") || strings.Contains(msg, "\n") {
		t.Fatalf("status %d, output %#v; want an IndexError at extra.jac:6", res.Status, res.Output)
	}
}

func TestFunction(t *testing.T) {
	res := sdktest.New().Func("add", map[string]any{"a": int64(40)})
	if res.Err() != nil || res.Output != int64(42) {
		t.Fatalf("add: %v %#v", res.Err(), res.Output)
	}
}

func TestMain_Entry(t *testing.T) {
	res := sdktest.New().Call(MainWalker, nil)
	want := []any{map[string]any{"stdout": "hello 2\n", "error": nil}}
	if res.Err() != nil || !reflect.DeepEqual(res.Reports, want) {
		t.Fatalf("main: %v %#v", res.Err(), res.Reports)
	}
}
