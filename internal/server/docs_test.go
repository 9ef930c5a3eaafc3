package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/server"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestRebuildDocs swaps the documented module while readers fetch
// /openapi.json: each read is whole, and of the old or the new module.
func TestRebuildDocs(t *testing.T) {
	ctx := context.Background()
	eng := newEngine(t)
	load := func(name string) *sandbox.Module {
		m, err := eng.Load(ctx, name, testenv.Guest(t, name))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	hello, todo := load("hello"), load("todo")
	s := server.New(server.Options{Module: hello})
	get := func() []byte {
		var rc fasthttp.RequestCtx
		rc.Request.SetRequestURI("/openapi.json")
		s.Handler()(&rc)
		if rc.Response.StatusCode() != 200 {
			t.Errorf("GET /openapi.json: %d", rc.Response.StatusCode())
		}
		return bytes.Clone(rc.Response.Body())
	}
	helloDoc := get()
	if err := s.RebuildDocs(todo); err != nil {
		t.Fatal(err)
	}
	todoDoc := get()
	for _, tc := range []struct {
		name, doc, title, path string
	}{
		{"hello", string(helloDoc), "hello", "/hello"},
		{"todo", string(todoDoc), "todo", "/walker/create_todo"},
	} {
		var d struct {
			Info  struct{ Title string }
			Paths map[string]any
		}
		if err := json.Unmarshal([]byte(tc.doc), &d); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if _, ok := d.Paths[tc.path]; !ok || d.Info.Title != tc.title {
			t.Fatalf("%s: title %q, has %s: %v", tc.name, d.Info.Title, tc.path, ok)
		}
	}

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				if doc := get(); !bytes.Equal(doc, helloDoc) && !bytes.Equal(doc, todoDoc) {
					t.Error("a read was of neither module")
					return
				}
			}
		})
	}
	for i := range 100 {
		mod := hello
		if i%2 == 1 {
			mod = todo
		}
		if err := s.RebuildDocs(mod); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}
