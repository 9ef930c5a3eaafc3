// Package server serves a loaded walker module over HTTP (fasthttp): the
// walker and function endpoints, registration and login, health, with the
// response envelope and error codes of CONTRACT §2.
package server

import (
	"log/slog"
	"slices"
	"strings"

	"github.com/fasthttp/router"
	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/host/graph"
	"github.com/walkerhost/walkerhost/host/identity"
	"github.com/walkerhost/walkerhost/host/sandbox"
)

// DefaultApp is the app a single-module host serves at the contract's paths.
const DefaultApp = "default"

// Options configure a Server.
type Options struct {
	App      string // store namespace; DefaultApp when empty
	Module   *sandbox.Module
	Graph    *graph.Graph
	Identity *identity.Service
	Logger   *slog.Logger
}

// Server routes HTTP requests to a module's walkers and functions.
type Server struct {
	app    string
	mod    *sandbox.Module
	graph  *graph.Graph
	ident  *identity.Service
	log    *slog.Logger
	router *router.Router
	routes []Route
}

// Route is one served endpoint, for the route table printed at start.
type Route struct {
	Method, Path, Auth string
}

// New builds the routing table from the module's manifest.
func New(o Options) *Server {
	if o.App == "" {
		o.App = DefaultApp
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	s := &Server{app: o.App, mod: o.Module, graph: o.Graph, ident: o.Identity, log: o.Logger, router: router.New()}
	s.router.NotFound = s.notFound
	s.router.MethodNotAllowed = methodNotAllowed
	s.router.PanicHandler = s.panicked
	s.router.HandleOPTIONS = true
	s.router.GlobalOPTIONS = preflight
	s.handle("GET", "/healthz", "public", healthz)
	s.handle("POST", "/user/register", "public", s.register)
	s.handle("POST", "/user/login", "public", s.login)
	for i := range s.mod.Manifest.Walkers {
		s.routeEntry(&s.mod.Manifest.Walkers[i], abi.KindWalker)
	}
	for i := range s.mod.Manifest.Functions {
		s.routeEntry(&s.mod.Manifest.Functions[i], abi.KindFunction)
	}
	return s
}

// routeEntry serves a walker at its path (or /walker/NAME) and, for
// walkers, path/{node_id}; a function at its path or /function/NAME.
func (s *Server) routeEntry(e *abi.Entry, kind byte) {
	if e.Access == abi.AccessPrivate || e.Webhook {
		return
	}
	path := e.Path
	if path == "" {
		path = "/walker/" + e.Name
		if kind == abi.KindFunction {
			path = "/function/" + e.Name
		}
	}
	h := s.entryHandler(e, kind)
	s.handle(e.Method, path, e.Access, h)
	if kind == abi.KindWalker {
		s.handle(e.Method, strings.TrimSuffix(path, "/")+"/{node_id}", e.Access, h)
	}
}

func (s *Server) handle(method, path, auth string, h fasthttp.RequestHandler) {
	s.router.Handle(method, path, withCORS(h))
	s.routes = append(s.routes, Route{Method: method, Path: path, Auth: auth})
}

// Routes returns the served endpoints in registration order.
func (s *Server) Routes() []Route { return slices.Clone(s.routes) }

// Handler returns the fasthttp handler of the server.
func (s *Server) Handler() fasthttp.RequestHandler { return s.router.Handler }

func healthz(ctx *fasthttp.RequestCtx) {
	respond(ctx, fasthttp.StatusOK, []byte(`{"status":"ok"}`))
}

func withCORS(h fasthttp.RequestHandler) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		ctx.Response.Header.Set("Access-Control-Allow-Origin", "*")
		requestID(ctx)
		h(ctx)
	}
}

func preflight(ctx *fasthttp.RequestCtx) {
	h := &ctx.Response.Header
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-ID, X-API-Key")
	ctx.SetStatusCode(fasthttp.StatusNoContent)
}
