package server

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/host/accesslog"
	"github.com/walkerhost/walkerhost/host/graph"
	"github.com/walkerhost/walkerhost/host/metrics"
)

// routeInfo is what the log line and the metrics of a request need to know
// about the route it matched.
type routeInfo struct {
	method, pattern string
	level           slog.Level // probes and scrapes log at debug
	metrics         *metrics.Route
}

type (
	routeKey     struct{}
	userKey      struct{}
	streamingKey struct{}
)

func (s *Server) newRoute(method, pattern string) *routeInfo {
	level := slog.LevelInfo
	if kindOf(strings.TrimPrefix(pattern, s.prefix)) == KindOps || s.quietRequests {
		level = slog.LevelDebug
	}
	return &routeInfo{method: method, pattern: pattern, level: level, metrics: s.metrics.Route(pattern, method)}
}

// unmatchedRoutes are the routes of requests that match none, one per
// common method and "" for the rest, labelled metrics.Unmatched.
func (s *Server) unmatchedRoutes() map[string]*routeInfo {
	m := map[string]*routeInfo{}
	for _, method := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", ""} {
		label := method
		if label == "" {
			label = "OTHER"
		}
		m[method] = &routeInfo{method: label, pattern: metrics.Unmatched, level: slog.LevelInfo,
			metrics: s.metrics.Route(metrics.Unmatched, label)}
	}
	return m
}

// wrap makes h record its route for serve.
func (r *routeInfo) wrap(h fasthttp.RequestHandler) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		ctx.SetUserValue(routeKey{}, r)
		h(ctx)
	}
}

// serve routes the request, then logs it and counts it, unless it streams:
// then the stream does both when it ends.
func (s *Server) serve(ctx *fasthttp.RequestCtx) {
	start := time.Now()
	s.router.Handler(ctx)
	if ctx.UserValue(streamingKey{}) != nil {
		return
	}
	s.record(s.requestLine(ctx, start), ctx.Response.StatusCode(), len(ctx.Response.Body()))
}

// requestLine is what is known of a request when its handler returns.
type requestLine struct {
	route      *routeInfo
	method, id string
	user       string
	start      time.Time
}

func (s *Server) requestLine(ctx *fasthttp.RequestCtx, start time.Time) requestLine {
	l := requestLine{start: start, id: requestID(ctx)}
	l.route, _ = ctx.UserValue(routeKey{}).(*routeInfo)
	if l.route == nil {
		l.method = string(ctx.Method())
		if l.route = s.unmatched[l.method]; l.route == nil {
			l.route = s.unmatched[""]
		}
	} else {
		l.method = l.route.method
	}
	l.user, _ = ctx.UserValue(userKey{}).(string)
	return l
}

// record writes the request's log line and counts it in the metrics. The
// host's handler (accesslog) writes the line itself, buffered; any other
// handler gets it through slog.
func (s *Server) record(l requestLine, status, bytes int) {
	took := time.Since(l.start)
	l.route.metrics.Observe(status, took)
	if !s.log.Enabled(context.Background(), l.route.level) {
		return
	}
	line := accesslog.Request{ID: l.id, Method: l.method, Route: l.route.pattern, Status: status,
		DurationMS: float64(took.Microseconds()) / 1000, User: l.user, Bytes: bytes}
	if h, ok := s.log.Handler().(*accesslog.Handler); ok && h.Request(time.Now(), l.route.level, &line) {
		return
	}
	s.log.LogAttrs(context.Background(), l.route.level, accesslog.Message, line.Attrs()...)
}

// setUser names the authenticated caller in the request's log line: the
// username, or for an API key the owner's root id.
func setUser(ctx *fasthttp.RequestCtx, user string) { ctx.SetUserValue(userKey{}, user) }

func setUserRoot(ctx *fasthttp.RequestCtx, root graph.ID) { setUser(ctx, root.String()) }
