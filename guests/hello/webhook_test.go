package main

import (
	"reflect"
	"testing"

	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

func TestOnEvent(t *testing.T) {
	h := sdktest.New()
	var found bool
	for _, e := range h.Manifest().Walkers {
		if e.Name == "on_event" {
			found = e.Webhook
		}
	}
	if !found {
		t.Fatal("on_event is not declared as a webhook")
	}
	res := h.Call("on_event", map[string]any{"event": "push"})
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	want := []any{map[string]any{"event": "push", "root": h.RootID()}}
	if !reflect.DeepEqual(res.Reports, want) {
		t.Fatalf("reports = %#v, want %#v", res.Reports, want)
	}
}
