package sandbox_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/sandbox"
)

// TestDeclaredTypes checks that the host, not the SDK, holds node and edge
// writes to the types the manifest declares: the hostile guest's raw_*
// walkers pass the request's fields to node_create, obj_update and
// edge_connect as they are.
func TestDeclaredTypes(t *testing.T) {
	m, g, root := loadModule(t, "hostile")
	run := func(walker string, values map[string]any, id string, catch bool) (string, error) {
		enc, _ := abi.AppendMap(nil, map[string]any{"fields": values, "id": id, "catch": catch})
		tx := g.Begin("bench", graph.Caller{Root: root})
		out, err := m.Call(context.Background(), &sandbox.Request{Kind: abi.KindWalker, Name: walker, Tx: tx, Root: root, Fields: enc}, nil)
		if err != nil {
			tx.Rollback()
			return "", err
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		return string(out), nil
	}
	out, err := run("raw_create", map[string]any{"title": "milk"}, "", false)
	if err != nil {
		t.Fatal(err)
	}
	id := out[strings.Index(out, `"_jac_id":"`)+len(`"_jac_id":"`):][:32]

	tests := []struct {
		name, walker string
		values       map[string]any
		want         string // in the output; or the refusal's message
		field        string // the field refused, "" for success
		reason       string
	}{
		{"default filled", "raw_create", map[string]any{"title": "a"}, `"done":false`, "", ""},
		{"integral float is an int", "raw_create", map[string]any{"title": "a", "n": 3.0}, `"n":3`, "", ""},
		{"given value kept", "raw_create", map[string]any{"title": "a", "done": true}, `"done":true`, "", ""},
		{"no title", "raw_create", map[string]any{"done": false}, `node type Todo: field "title" is required`, "title", "missing"},
		{"null title", "raw_create", map[string]any{"title": nil}, `node type Todo: field "title" is required`, "title", "missing"},
		{"done not a bool", "raw_create", map[string]any{"title": "a", "done": "not-a-bool"},
			`node type Todo: field "done" must be a bool, not a string`, "done", "type"},
		{"fractional int", "raw_create", map[string]any{"title": "a", "n": 3.5}, `field "n" must be an int, not a float`, "n", "type"},
		{"title a list", "raw_create", map[string]any{"title": []any{"a"}}, `field "title" must be a string, not a list`, "title", "type"},
		{"undeclared field", "raw_create", map[string]any{"title": "a", "colour": "red"}, `node type Todo has no field "colour"`, "colour", "unknown"},
		{"edge default filled", "raw_connect", map[string]any{"label": "x"}, `"weight":1`, "", ""},
		{"edge without label", "raw_connect", map[string]any{}, `edge type Tagged: field "label" is required`, "label", "missing"},
		{"edge weight a string", "raw_connect", map[string]any{"label": "x", "weight": "1"}, `field "weight" must be an int, not a string`, "weight", "type"},
		{"update done", "raw_update", map[string]any{"done": true}, `"done":true`, "", ""},
		{"update null restores the default", "raw_update", map[string]any{"done": nil}, `"done":false`, "", ""},
		{"update done not a bool", "raw_update", map[string]any{"done": "yes"}, `field "done" must be a bool, not a string`, "done", "type"},
		{"update removes title", "raw_update", map[string]any{"title": nil}, `field "title" is required and cannot be removed`, "title", "missing"},
		{"update undeclared", "raw_update", map[string]any{"x": 1}, `node type Todo has no field "x"`, "x", "unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := run(tc.walker, tc.values, id, false)
			if tc.field == "" {
				if err != nil || !strings.Contains(out, tc.want) {
					t.Fatalf("got %s, %v; want %s", out, err, tc.want)
				}
				return
			}
			var se *sandbox.SchemaError
			if !errors.As(err, &se) || se.Field != tc.field || se.Reason != tc.reason || !strings.Contains(se.Error(), tc.want) {
				t.Fatalf("got %s, %v (%#v); want a refusal of %q: %s", out, err, se, tc.field, tc.want)
			}
			// A walker that handles the refusal succeeds, and nothing is written.
			if out, err := run(tc.walker, tc.values, id, true); err != nil || !strings.Contains(out, "refused: ") {
				t.Fatalf("handled refusal: %s, %v", out, err)
			}
		})
	}
	if out, _ := run("raw_update", map[string]any{}, id, false); !strings.Contains(out, `"title":"milk"`) || !strings.Contains(out, `"done":false`) {
		t.Fatalf("the todo after refused updates: %s", out)
	}
}
