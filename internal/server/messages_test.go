package server

import (
	"errors"
	"fmt"
	"testing"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/identity"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/web"
)

// TestClientMessages checks that a client reads one sentence without the
// package prefixes the log keeps.
func TestClientMessages(t *testing.T) {
	refusal := fmt.Errorf("%w: module %q: manifest: walker \"w\": field \"f\": unknown type \"text\"", sandbox.ErrModule, "x")
	tests := []struct {
		name   string
		err    error
		status int
		want   string
	}{
		{"unknown spawn node", &clientErr{graph.ErrNotFound, "node 42 not found"}, 404, "node 42 not found"},
		{"joined", errors.Join(graph.ErrNotFound, errors.New("node 42 not found")), 404, "node 42 not found"},
		{"graph not found", fmt.Errorf("%w: node [0189]", graph.ErrNotFound), 404, "not found: node [0189]"},
		{"identity input", fmt.Errorf("%w: username must not be empty", identity.ErrValidation), 400, "username must not be empty"},
		{"unknown walker", fmt.Errorf("%w: walker %q", sandbox.ErrUnknown, "nope"), 404, `unknown entry: walker "nope"`},
		{"module refused", refusal, 0, `module "x" refused: manifest: walker "w": field "f": unknown type "text"`},
		{"module refused twice", fmt.Errorf("apps: module refused: %w", refusal), 0, `module "x" refused: manifest: walker "w": field "f": unknown type "text"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.status == 0 {
				if got := ClientText(tc.err); got != tc.want {
					t.Fatalf("got %q, want %q", got, tc.want)
				}
				return
			}
			e, ok := web.ErrorFor(tc.err)
			if !ok {
				e = &web.Error{}
			}
			if !ok || e.Status != tc.status || e.Message != tc.want {
				t.Fatalf("got %d %q (%v), want %d %q", e.Status, e.Message, ok, tc.status, tc.want)
			}
		})
	}
}

// TestDecodeInput_Where: a field missing from an empty POST body is a body
// field; a GET's, or a POST's given in the query string, is a query one.
func TestDecodeInput_Where(t *testing.T) {
	tests := []struct{ method, uri, body, want string }{
		{"POST", "/walker/w", "", "body"},
		{"POST", "/walker/w", "  ", "body"},
		{"POST", "/walker/w?url=x", "", "query"},
		{"GET", "/walker/w", "", "query"},
		{"POST", "/walker/w", "{}", "body"},
	}
	for _, tc := range tests {
		var ctx fasthttp.RequestCtx
		ctx.Request.Header.SetMethod(tc.method)
		ctx.Request.SetRequestURI(tc.uri)
		ctx.Request.SetBodyString(tc.body)
		if _, where, err := decodeInput(&ctx); err != nil || where != tc.want {
			t.Errorf("%s %s %q: where %q (%v), want %q", tc.method, tc.uri, tc.body, where, err, tc.want)
		}
	}
}
