package manifest

import (
	"fmt"
	"strings"

	"github.com/fasthttp/router"
	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/abi"
)

// Route is one method and path pattern the HTTP server serves.
type Route struct{ Method, Path string }

func (r Route) String() string { return r.Method + " " + r.Path }

// HostRoutes are the host's own endpoints, served next to a module's in
// every app (internal/server registers them; its tests keep the two lists
// equal). A module route may not take one of them: the router would refuse
// the pair, or the module would answer in the host's place.
var HostRoutes = []Route{
	{"GET", "/healthz"}, {"GET", "/readyz"}, {"GET", "/metrics"},
	{"GET", "/openapi.json"}, {"GET", "/docs"}, {"GET", "/redoc"},
	{"GET", "/docs/{file}"}, {"GET", "/redoc/{file}"},
	{"GET", "/sso/{platform}/{action}"}, {"GET", "/sso/{platform}/{action}/callback"},
	{"GET", "/traverse"}, {"POST", "/traverse"},
	{"POST", "/user/register"}, {"POST", "/user/login"}, {"POST", "/user/token"},
	{"POST", "/user/refresh-token"}, {"PUT", "/user/username"}, {"PUT", "/user/password"}, {"POST", "/user/logout-all"},
	{"POST", "/api-key/create"}, {"GET", "/api-key/list"}, {"DELETE", "/api-key/{api_key_id}"},
}

// HostPrefixes are the paths internal/apps answers before any app sees the
// request: the admin API and the other apps.
var HostPrefixes = []string{"/admin/", "/apps/"}

// EntryRoutes are the routes the server gives an entry of kind (abi.KindWalker
// or abi.KindFunction): a walker at its path (or /walker/NAME) and below it
// at /{node_id}; a function at its path or /function/NAME; a webhook at
// POST /webhook/NAME; a private entry none.
func EntryRoutes(e *abi.Entry, kind byte) []Route {
	switch {
	case e.Access == abi.AccessPrivate:
		return nil
	case e.Webhook:
		return []Route{{"POST", "/webhook/" + e.Name}}
	}
	path := e.Path
	if path == "" {
		path = "/walker/" + e.Name
		if kind == abi.KindFunction {
			path = "/function/" + e.Name
		}
	}
	routes := []Route{{e.Method, path}}
	if kind == abi.KindWalker {
		routes = append(routes, Route{e.Method, strings.TrimSuffix(path, "/") + "/{node_id}"})
	}
	return routes
}

// owned is a route and who declared it, as messages name it.
type owned struct {
	Route
	owner string // `walker "x"`; empty for the host
}

func (o owned) String() string {
	if o.owner == "" {
		return "the host route " + o.Route.String()
	}
	return o.owner + " route " + o.Route.String()
}

// checkRoutes refuses a manifest whose routes the server could not serve
// side by side with each other and with the host's: the same method and
// path twice, a path under a host prefix, a path a host pattern already
// matches (GET /sso/google/login), or any pair the router itself refuses
// (conflicting wildcards, a path and the same path with a trailing slash).
// The last is found by adding the routes to a router in the server's order,
// so the check follows the router's real rules. The error names both
// routes, e.g. `walker "x" route GET /healthz clashes with the host route
// GET /healthz`.
func checkRoutes(m *abi.Manifest) error {
	var done []owned
	rt := router.New()
	for _, h := range HostRoutes {
		done = append(done, owned{Route: h})
		if msg := add(rt, h); msg != "" {
			return fmt.Errorf("host routes: %s", msg) // a host defect, found by the tests
		}
	}
	check := func(what string, entries []abi.Entry, kind byte) error {
		for i := range entries {
			owner := fmt.Sprintf("%s %q", what, entries[i].Name)
			for _, r := range EntryRoutes(&entries[i], kind) {
				o := owned{r, owner}
				if err := clash(rt, done, o); err != nil {
					return err
				}
				done = append(done, o)
			}
		}
		return nil
	}
	if err := check("walker", m.Walkers, abi.KindWalker); err != nil {
		return err
	}
	return check("function", m.Functions, abi.KindFunction)
}

// clash adds o to rt, or says what it clashes with.
func clash(rt *router.Router, done []owned, o owned) error {
	for _, p := range HostPrefixes {
		if strings.HasPrefix(o.Path, p) {
			return fmt.Errorf("%s clashes with the host routes under %s", o, p)
		}
	}
	for _, d := range done {
		if d.Method != o.Method {
			continue
		}
		if d.Path == o.Path || (d.owner == "" && matches(d.Path, o.Path)) {
			return fmt.Errorf("%s clashes with %s", o, d)
		}
	}
	msg := add(rt, o.Route)
	if msg == "" {
		return nil
	}
	for _, d := range done { // the router refused o: find the route it clashes with
		if d.Method == o.Method && add(router.New(), d.Route, o.Route) != "" {
			return fmt.Errorf("%s clashes with %s", o, d)
		}
	}
	return fmt.Errorf("%s cannot be routed: %s", o, msg)
}

// add registers routes on rt and returns the router's complaint, if any:
// fasthttp/router panics on a route it cannot take.
func add(rt *router.Router, routes ...Route) (msg string) {
	defer func() {
		if p := recover(); p != nil {
			msg = fmt.Sprint(p)
		}
	}()
	for _, r := range routes {
		rt.Handle(r.Method, r.Path, noop)
	}
	return ""
}

func noop(*fasthttp.RequestCtx) {}

// matches reports whether pattern, with {name} segments matching any one
// segment, matches the literal path.
func matches(pattern, path string) bool {
	ps, ls := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(ls) {
		return false
	}
	for i, p := range ps {
		if p != ls[i] && !(strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") && ls[i] != "") {
			return false
		}
	}
	return true
}
