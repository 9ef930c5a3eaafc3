package server

import (
	"log/slog"
	"strings"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/web"
)

// newRoute describes a route for the access log: probes and scrapes, and
// every request with QuietRequests, log at debug.
func (s *Server) newRoute(method, pattern string) *web.Route {
	level := slog.LevelInfo
	if kindOf(strings.TrimPrefix(pattern, s.prefix)) == KindOps || s.quietRequests {
		level = slog.LevelDebug
	}
	return s.access.Route(method, pattern, level)
}

// setUser names the authenticated caller in the request's log line: the
// username, or for an API key the owner's root id.
func setUser(ctx *fasthttp.RequestCtx, user string) { web.SetUser(ctx, user) }

func setUserRoot(ctx *fasthttp.RequestCtx, root graph.ID) { setUser(ctx, root.String()) }
