package main

import (
	"reflect"
	"testing"

	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

func TestTodos(t *testing.T) {
	h := sdktest.New()
	call := func(walker string, fields map[string]any) []any {
		t.Helper()
		res := h.Call(walker, fields)
		if err := res.Err(); err != nil {
			t.Fatalf("%s: %v", walker, err)
		}
		return res.Reports
	}
	milk := call("create_todo", map[string]any{"title": "milk"})[0].(map[string]any)
	call("create_todo", map[string]any{"title": "eggs", "done": true})
	id := milk["_jac_id"].(string)

	if milk["_jac_type"] != "Todo" || milk["title"] != "milk" || milk["done"] != false {
		t.Fatalf("created %v", milk)
	}
	if got := call("list_todos", nil); len(got) != 2 || got[1].(map[string]any)["title"] != "eggs" {
		t.Fatalf("list = %v", got)
	}
	updated := call("update_todo", map[string]any{"id": id, "done": true})[0].(map[string]any)
	if updated["done"] != true || updated["title"] != "milk" {
		t.Fatalf("updated %v", updated)
	}
	if got := call("delete_todo", map[string]any{"id": id}); got[0].(map[string]any)["deleted"] != id {
		t.Fatalf("delete reported %v", got)
	}
	if got := call("list_todos", nil); len(got) != 1 {
		t.Fatalf("list after delete = %v", got)
	}
}

func TestTodos_Errors(t *testing.T) {
	tests := []struct {
		walker string
		fields map[string]any
		want   string
	}{
		{"update_todo", map[string]any{"id": "nope", "title": "x"}, "todo nope not found"},
		{"delete_todo", map[string]any{"id": "nope"}, "todo nope not found"},
	}
	for _, tc := range tests {
		t.Run(tc.walker, func(t *testing.T) {
			res := sdktest.New().Call(tc.walker, tc.fields)
			want := map[string]any{"status": int64(404), "message": tc.want}
			if res.Err() == nil || !reflect.DeepEqual(res.Output, want) {
				t.Fatalf("status %d, output %#v; want failure %v", res.Status, res.Output, want)
			}
		})
	}
}
