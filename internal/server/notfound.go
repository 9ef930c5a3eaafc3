package server

import (
	"fmt"
	"strings"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/web"
)

// notFound answers unknown paths; under /walker/ and /function/ it names
// what exists, and for a webhook walker it points to /webhook/NAME.
func (s *Server) notFound(ctx *fasthttp.RequestCtx) error {
	path := string(ctx.Path())
	msg := fmt.Sprintf("no route for %s %s", ctx.Method(), path)
	if name, ok := strings.CutPrefix(path, "/walker/"); ok {
		name, _, _ = strings.Cut(name, "/")
		msg = s.unknownMessage("walker", name, s.mod.Manifest.Walkers)
	} else if name, ok := strings.CutPrefix(path, "/function/"); ok {
		msg = s.unknownMessage("function", name, s.mod.Manifest.Functions)
	}
	return web.NewError(fasthttp.StatusNotFound, CodeNotFound, msg, nil)
}

func (s *Server) unknownMessage(kind, name string, entries []abi.Entry) string {
	var served []string
	for _, e := range entries {
		switch {
		case e.Name == name && e.Webhook:
			return fmt.Sprintf("%s %q is a webhook; call it at /webhook/%s", kind, name, name)
		case e.Name == name && e.Path != "":
			return fmt.Sprintf("%s %q is served at %s %s", kind, name, e.Method, e.Path)
		case e.Access != abi.AccessPrivate && !e.Webhook:
			served = append(served, e.Name)
		}
	}
	if len(served) == 0 {
		return fmt.Sprintf("%s %q not found; this app has no %ss", kind, name, kind)
	}
	return fmt.Sprintf("%s %q not found; available: %s", kind, name, strings.Join(served, ", "))
}

func methodNotAllowed(ctx *fasthttp.RequestCtx) error {
	allow := string(ctx.Response.Header.Peek("Allow"))
	return web.NewError(fasthttp.StatusMethodNotAllowed, CodeMethodNotAllowed,
		fmt.Sprintf("%s is not allowed on %s; allowed: %s", ctx.Method(), ctx.Path(), allow), nil)
}
