package web

import (
	"context"
	"log/slog"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/accesslog"
	"github.com/walkerhost/walkerhost/internal/metrics"
)

// Route is what the log line and the metrics of a request need to know
// about the route it matched.
type Route struct {
	Method, Pattern string
	Level           slog.Level // probes and scrapes log at debug
	Metrics         *metrics.Route
}

type (
	routeKey     struct{}
	userKey      struct{}
	streamingKey struct{}
)

// Wrap makes h record its route for AccessLog.Serve.
func (r *Route) Wrap(h fasthttp.RequestHandler) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		ctx.SetUserValue(routeKey{}, r)
		h(ctx)
	}
}

// AccessLog writes a line and counts the metrics of every request of a
// router: its route, status, duration, user and size.
type AccessLog struct {
	log       *slog.Logger
	metrics   *metrics.Metrics
	unmatched map[string]*Route
}

// NewAccessLog logs to log and counts in m.
func NewAccessLog(log *slog.Logger, m *metrics.Metrics) *AccessLog {
	a := &AccessLog{log: log, metrics: m, unmatched: map[string]*Route{}}
	// The routes of requests that match none, one per common method and
	// "" for the rest, labelled metrics.Unmatched.
	for _, method := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", ""} {
		label := method
		if label == "" {
			label = "OTHER"
		}
		a.unmatched[method] = &Route{Method: label, Pattern: metrics.Unmatched, Level: slog.LevelInfo,
			Metrics: m.Route(metrics.Unmatched, label)}
	}
	return a
}

// Route describes a route of pattern, logged at level.
func (a *AccessLog) Route(method, pattern string, level slog.Level) *Route {
	return &Route{Method: method, Pattern: pattern, Level: level, Metrics: a.metrics.Route(pattern, method)}
}

// Serve runs h, then logs the request and counts it, unless it streams:
// then the stream does both when it ends (Streaming, Record).
func (a *AccessLog) Serve(h fasthttp.RequestHandler) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		start := time.Now()
		h(ctx)
		if ctx.UserValue(streamingKey{}) != nil {
			return
		}
		a.Record(a.Line(ctx, start), ctx.Response.StatusCode(), len(ctx.Response.Body()))
	}
}

// Line is what is known of a request when its handler returns.
type Line struct {
	Route      *Route
	Method, ID string
	User       string
	Start      time.Time
}

// Line is the request's line so far; a request that matched no route is
// counted as unmatched.
func (a *AccessLog) Line(ctx *fasthttp.RequestCtx, start time.Time) Line {
	l := Line{Start: start, ID: RequestID(ctx)}
	l.Route, _ = ctx.UserValue(routeKey{}).(*Route)
	if l.Route == nil {
		l.Method = string(ctx.Method())
		if l.Route = a.unmatched[l.Method]; l.Route == nil {
			l.Route = a.unmatched[""]
		}
	} else {
		l.Method = l.Route.Method
	}
	l.User, _ = ctx.UserValue(userKey{}).(string)
	return l
}

// Record writes the request's log line and counts it in the metrics. The
// host's handler (accesslog) writes the line itself, buffered; any other
// handler gets it through slog.
func (a *AccessLog) Record(l Line, status, bytes int) {
	took := time.Since(l.Start)
	l.Route.Metrics.Observe(status, took)
	if !a.log.Enabled(context.Background(), l.Route.Level) {
		return
	}
	line := accesslog.Request{ID: l.ID, Method: l.Method, Route: l.Route.Pattern, Status: status,
		DurationMS: float64(took.Microseconds()) / 1000, User: l.User, Bytes: bytes}
	if h, ok := a.log.Handler().(*accesslog.Handler); ok && h.Request(time.Now(), l.Route.Level, &line) {
		return
	}
	a.log.LogAttrs(context.Background(), l.Route.Level, accesslog.Message, line.Attrs()...)
}

// SetUser names the authenticated caller in the request's log line.
func SetUser(ctx *fasthttp.RequestCtx, user string) { ctx.SetUserValue(userKey{}, user) }

// Streaming marks a request whose answer is written after its handler
// returned: its stream logs and counts it (Record) when it ends.
func Streaming(ctx *fasthttp.RequestCtx) { ctx.SetUserValue(streamingKey{}, true) }
