package server

import (
	"fmt"
	"slices"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/apidocs"
	"github.com/walkerhost/walkerhost/internal/openapi"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/web"
)

// The documentation endpoints (docs/OPENAPI.md). They answer their own
// content, not the envelope, and are left out of the OpenAPI document.
var docPaths = []string{"/openapi.json", "/docs", "/redoc"}

// docs holds what the documentation endpoints serve for the current module.
type docs struct {
	spec  []byte // /openapi.json
	title string
}

func (s *Server) routeDocs() {
	s.handle("GET", "/openapi.json", "public", s.serveSpec)
	s.handle("GET", "/docs", "public", s.serveSwagger)
	s.handle("GET", "/redoc", "public", s.serveRedoc)
	s.router.GET("/docs/{file}", withCORS(s.errs.Handle(asset(apidocs.SwaggerAsset))))
	s.router.GET("/redoc/{file}", withCORS(s.errs.Handle(asset(apidocs.RedocAsset))))
}

// RebuildDocs regenerates /openapi.json and the docs pages for mod; the
// server calls it at start, and a module swap calls it with the new module.
// It is safe to call while requests are served.
func (s *Server) RebuildDocs(mod *sandbox.Module) error {
	spec, err := openapi.JSON(mod.Manifest, s.specOptions(mod.Name))
	if err != nil {
		return fmt.Errorf("server: openapi: %w", err)
	}
	s.docs.Store(&docs{spec: spec, title: mod.Name})
	return nil
}

// specOptions describe the host's own endpoints as the server routes them.
func (s *Server) specOptions(title string) openapi.Options {
	o := openapi.Options{Title: title, Webhooks: s.keys != nil}
	if !s.hook.SkipSignature {
		o.SignatureHeader = s.hook.SignatureHeader
		o.OptionalTimestamp = s.hook.OptionalTimestamp
	}
	for _, r := range s.routes[:s.hostRoutes] {
		if !slices.Contains(docPaths, r.Path) {
			o.Routes = append(o.Routes, openapi.Route{Method: r.Method, Path: r.Path, Auth: r.Auth})
		}
	}
	return o
}

func (s *Server) serveSpec(ctx *fasthttp.RequestCtx) error {
	ctx.SetContentType("application/json")
	ctx.SetBody(s.docs.Load().spec)
	return nil
}

func (s *Server) serveSwagger(ctx *fasthttp.RequestCtx) error {
	ctx.Response.Header.Set("Content-Security-Policy", apidocs.ContentSecurityPolicy)
	ctx.SetContentType("text/html; charset=utf-8")
	ctx.SetBody(apidocs.Swagger(s.docs.Load().title))
	return nil
}

func (s *Server) serveRedoc(ctx *fasthttp.RequestCtx) error {
	ctx.Response.Header.Set("Content-Security-Policy", apidocs.ContentSecurityPolicy)
	ctx.SetContentType("text/html; charset=utf-8")
	ctx.SetBody(apidocs.Redoc(s.docs.Load().title))
	return nil
}

// asset serves the file named by the {file} parameter from get, which
// reports whether it has one.
func asset(get func(string) ([]byte, string, bool)) web.Handler {
	return func(ctx *fasthttp.RequestCtx) error {
		name, _ := ctx.UserValue("file").(string)
		body, ct, ok := get(name)
		if !ok {
			return web.NewError(fasthttp.StatusNotFound, CodeNotFound, "no file "+name+" here", nil)
		}
		ctx.Response.Header.Set("Cache-Control", "public, max-age=86400")
		ctx.SetContentType(ct)
		ctx.SetBody(body)
		return nil
	}
}
