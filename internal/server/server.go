// Package server serves a loaded walker module over HTTP (fasthttp): the
// walker and function endpoints, the account and API-key endpoints,
// webhooks, health and metrics, with the response envelope and error codes
// of docs/API.md, a log line and metrics for every request, and Server-Sent
// Events for walkers when the client asks for them.
package server

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fasthttp/router"
	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/identity"
	"github.com/walkerhost/walkerhost/internal/manifest"
	"github.com/walkerhost/walkerhost/internal/metrics"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/web"
)

// DefaultApp is the app a single-module host serves at the contract's paths.
const DefaultApp = "default"

// Options configure a Server.
type Options struct {
	App      string // store namespace; DefaultApp when empty
	Module   *sandbox.Module
	Graph    *graph.Graph
	Identity *identity.Service
	APIKeys  *identity.APIKeys
	Webhook  WebhookOptions
	Traverse TraverseLimits
	Stream   StreamOptions
	SSO      SSOOptions
	Logger   *slog.Logger
	// QuietRequests logs the per-request line at debug level, like the
	// probes' (logging.requests = false, uvicorn's --no-access-log).
	QuietRequests bool
	Metrics       *metrics.Metrics // where requests and runs are counted; a registry of its own when nil
	Checks        []Checker        // readiness checks of /readyz, after the module's own
	// Advisories are reported by /readyz like checks, but one failing
	// leaves the host ready ("degraded"): an app that cannot serve its
	// newest version still serves the one it has.
	Advisories []Checker
	// RoutePrefix is where the app's routes are mounted (/apps/NAME for an
	// app other than the default, internal/apps); it names the routes in logs
	// and metrics, so that apps with a walker of the same name count apart.
	RoutePrefix string
}

// WebhookOptions configure API keys and the /webhook/NAME endpoints.
type WebhookOptions struct {
	SignatureHeader string        // X-Webhook-Signature when empty
	SkipSignature   bool          // only the API key is checked; false (verify) is the safe zero value
	ReplayWindow    time.Duration // 300s when zero
	KeyExpiryDays   int           // default lifetime of a new key; 0 = never
	// OptionalTimestamp accepts signed calls without X-Webhook-Timestamp
	// (signed over the body alone); false (required) is the safe zero value.
	OptionalTimestamp bool
	// Seen is the replay cache of accepted signatures, shared by the
	// host's apps (and by hosts sharing a store); one of the server's own
	// in memory when nil.
	Seen identity.Ephemeral
}

// Server routes HTTP requests to a module's walkers and functions.
type Server struct {
	app            string
	mod            *sandbox.Module
	graph          *graph.Graph
	ident          *identity.Service
	keys           *identity.APIKeys
	hook           WebhookOptions
	traverseLimits TraverseLimits
	stream         StreamOptions
	sso            *sso
	log            *slog.Logger
	quietRequests  bool // see Options.QuietRequests
	metrics        *metrics.Metrics
	checks         []Checker
	advisories     []Checker
	prefix         string
	errs           web.Boundary   // answers the errors of every route
	access         *web.AccessLog // logs and counts every request
	handler        fasthttp.RequestHandler
	router         *router.Router
	routes         []Route
	hostRoutes     int // routes[:hostRoutes] are the host's own, the rest the module's
	docs           atomic.Pointer[docs]
}

// Route is one served endpoint, for the route table printed at start and
// by jac routes.
type Route struct {
	Method, Path, Auth string
	Kind               string // one of the Kind constants
}

// Kinds of routes.
const (
	KindWalker   = "walker"
	KindFunction = "function"
	KindWebhook  = "webhook"
	KindIdentity = "identity" // accounts, tokens, SSO, API keys
	KindGraph    = "graph"
	KindOps      = "ops" // health, readiness, metrics
	KindDocs     = "docs"
	KindBuiltin  = "builtin"
)

// New builds the routing table from the module's manifest.
func New(o Options) *Server {
	if o.App == "" {
		o.App = DefaultApp
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Webhook.SignatureHeader == "" {
		o.Webhook.SignatureHeader = "X-Webhook-Signature"
	}
	if o.Webhook.ReplayWindow <= 0 {
		o.Webhook.ReplayWindow = 300 * time.Second
	}
	if o.Webhook.Seen == nil {
		o.Webhook.Seen = identity.NewMemoryEphemeral()
	}
	if o.Metrics == nil {
		o.Metrics = metrics.New()
	}
	s := &Server{app: o.App, mod: o.Module, graph: o.Graph, ident: o.Identity, keys: o.APIKeys, hook: o.Webhook,
		traverseLimits: o.Traverse.withDefaults(), stream: o.Stream.withDefaults(), sso: newSSO(o.SSO), log: o.Logger, router: router.New(),
		metrics: o.Metrics, prefix: o.RoutePrefix, quietRequests: o.QuietRequests}
	s.checks = append([]Checker{CheckFunc("module:"+o.Module.Name, func(context.Context) error { return o.Module.Ready() })}, o.Checks...)
	s.advisories = o.Advisories
	s.errs = web.Boundary{Log: o.Logger}
	s.access = web.NewAccessLog(o.Logger, o.Metrics)
	s.handler = s.access.Serve(s.router.Handler)
	s.router.NotFound = s.errs.Handle(s.notFound)
	s.router.MethodNotAllowed = s.errs.Handle(methodNotAllowed)
	s.router.PanicHandler = s.errs.Panicked
	s.router.HandleOPTIONS = true
	s.router.GlobalOPTIONS = preflight
	s.handle("GET", "/healthz", "public", healthz)
	s.handle("GET", "/readyz", "public", s.readyz)
	s.handle("GET", "/metrics", "public", s.serveMetrics)
	s.routeDocs()
	s.handle("GET", "/sso/{platform}/{action}", "public", s.ssoStart)
	s.handle("GET", "/sso/{platform}/{action}/callback", "public", s.ssoCallback)
	s.handle("GET", "/traverse", "protected", s.traverse)
	s.handle("POST", "/traverse", "protected", s.traverse)
	s.handle("POST", "/user/register", "public", s.register)
	s.handle("POST", "/user/login", "public", s.login)
	s.handle("POST", "/user/token", "public", s.oauthToken)
	s.handle("POST", "/user/refresh-token", "public", s.refreshToken)
	s.handle("PUT", "/user/username", "protected", s.changeUsername)
	s.handle("PUT", "/user/password", "protected", s.changePassword)
	s.handle("POST", "/user/logout-all", "protected", s.logoutAll)
	if s.keys != nil {
		s.handle("POST", "/api-key/create", "protected", s.createAPIKey)
		s.handle("GET", "/api-key/list", "protected", s.listAPIKeys)
		s.handle("DELETE", "/api-key/{api_key_id}", "protected", s.revokeAPIKey)
	}
	s.hostRoutes = len(s.routes)
	for i := range s.mod.Manifest.Walkers {
		s.routeEntry(&s.mod.Manifest.Walkers[i], abi.KindWalker)
	}
	for i := range s.mod.Manifest.Functions {
		s.routeEntry(&s.mod.Manifest.Functions[i], abi.KindFunction)
	}
	if err := s.RebuildDocs(s.mod); err != nil {
		panic(err) // the document of a parsed manifest always encodes
	}
	return s
}

// routeEntry serves an entry at the routes manifest.EntryRoutes gives it,
// the ones the manifest was checked against; a webhook only for API-key
// holders.
func (s *Server) routeEntry(e *abi.Entry, kind byte) {
	if e.Webhook {
		if s.keys != nil {
			for _, r := range manifest.EntryRoutes(e, kind) {
				s.handleKind(r.Method, r.Path, "api_key", KindWebhook, s.entryHandler(e, kind, s.webhookCaller))
			}
		}
		return
	}
	rkind := KindWalker
	if kind == abi.KindFunction {
		rkind = KindFunction
	}
	h := s.entryHandler(e, kind, func(ctx *fasthttp.RequestCtx) (graph.ID, error) { return s.caller(ctx, e.Access) })
	for _, r := range manifest.EntryRoutes(e, kind) {
		s.handleKind(r.Method, r.Path, e.Access, rkind, h)
	}
}

// handle serves a built-in endpoint; its kind follows from its path.
func (s *Server) handle(method, path, auth string, h web.Handler) {
	s.handleKind(method, path, auth, kindOf(path), h)
}

// handleKind routes h: its request is logged and counted as its route's,
// carries CORS and a request id, and its error is answered by the boundary.
func (s *Server) handleKind(method, path, auth, kind string, h web.Handler) {
	s.router.Handle(method, path, s.newRoute(method, s.prefix+path).Wrap(withCORS(s.errs.Handle(h))))
	s.routes = append(s.routes, Route{Method: method, Path: path, Auth: auth, Kind: kind})
}

// kindOf is the kind of a built-in endpoint.
func kindOf(path string) string {
	first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	switch first {
	case "healthz", "readyz", "metrics":
		return KindOps
	case "openapi.json", "docs", "redoc":
		return KindDocs
	case "user", "sso", "api-key":
		return KindIdentity
	case "traverse":
		return KindGraph
	}
	return KindBuiltin
}

// Routes returns the served endpoints in registration order.
func (s *Server) Routes() []Route { return slices.Clone(s.routes) }

// Handler returns the fasthttp handler of the server.
func (s *Server) Handler() fasthttp.RequestHandler { return s.handler }

func withCORS(h fasthttp.RequestHandler) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		ctx.Response.Header.Set("Access-Control-Allow-Origin", "*")
		web.RequestID(ctx)
		h(ctx)
	}
}

func preflight(ctx *fasthttp.RequestCtx) {
	h := &ctx.Response.Header
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-ID, X-API-Key, X-Webhook-Signature, X-Webhook-Timestamp")
	ctx.SetStatusCode(fasthttp.StatusNoContent)
}
