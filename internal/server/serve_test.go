package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/identity"
	"github.com/walkerhost/walkerhost/internal/server"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// lines collects the access log's request lines.
type lines struct {
	mu  sync.Mutex
	got []map[string]any
}

func (l *lines) Enabled(context.Context, slog.Level) bool { return true }
func (l *lines) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *lines) WithGroup(string) slog.Handler            { return l }
func (l *lines) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "request" {
		return nil
	}
	m := map[string]any{}
	r.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value.Any(); return true })
	l.mu.Lock()
	l.got = append(l.got, m)
	l.mu.Unlock()
	return nil
}

func (l *lines) take() []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	got := l.got
	l.got = nil
	return got
}

// newServer serves the hello guest with a store, identity and API keys of
// its own, logging request lines to the returned lines.
func newServer(t *testing.T) (*server.Server, *lines) {
	t.Helper()
	ctx := context.Background()
	mod, err := newEngine(t).Load(ctx, "hello", testenv.Guest(t, "hello"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tokens, err := identity.NewTokens([]byte("test-secret-0123456789abcdef0123"), "HS256", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	g := graph.New(db)
	log := &lines{}
	s := server.New(server.Options{Module: mod, Graph: g, Identity: identity.New(db, g.CreateRoot, tokens),
		APIKeys: identity.NewAPIKeys(db, "pepper"), Logger: slog.New(log),
		SSO: server.SSOOptions{Providers: map[string]server.SSOProvider{"google": {}}}})
	return s, log
}

type envelope struct {
	OK    bool            `json:"ok"`
	Data  json.RawMessage `json:"data"`
	Error *struct {
		Code    string          `json:"code"`
		Message string          `json:"message"`
		Details json.RawMessage `json:"details"`
	} `json:"error"`
	Meta struct {
		Extra struct {
			Status int `json:"http_status"`
		} `json:"extra"`
		RequestID string `json:"request_id"`
	} `json:"meta"`
}

// do serves one request through h without the network.
func do(h fasthttp.RequestHandler, method, uri, body string, header ...string) *fasthttp.RequestCtx {
	var req fasthttp.Request
	req.Header.SetMethod(method)
	req.SetRequestURI(uri)
	if body != "" {
		req.Header.SetContentType("application/json")
		req.SetBodyString(body)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	ctx := &fasthttp.RequestCtx{}
	ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, nil)
	h(ctx)
	return ctx
}

// TestRouting: each route answers through the one boundary: the status,
// code and sentence the error mapping gives, the envelope's status and
// request id matching the response's, and one access log line naming the
// route.
func TestRouting(t *testing.T) {
	s, log := newServer(t)
	h := s.Handler()
	tests := []struct {
		name, method, uri, body string
		header                  []string
		status                  int
		code, msg               string // msg: a part of the message
		route                   string // the access log's route
		wantHeader              [2]string
	}{
		{name: "walker", method: "GET", uri: "/hello?name=x", status: 200, route: "/hello"},
		{name: "function", method: "POST", uri: "/function/add", body: `{"a":1,"b":2}`, status: 200, route: "/function/add"},
		{name: "client request id", method: "GET", uri: "/healthz", header: []string{"X-Request-ID", "abc-1"}, status: 200, route: "/healthz",
			wantHeader: [2]string{"X-Request-ID", "abc-1"}},
		{name: "unknown path", method: "GET", uri: "/nope", status: 404, code: "NOT_FOUND", msg: "no route for GET /nope", route: "unmatched"},
		{name: "unknown walker", method: "POST", uri: "/walker/nope", status: 404, code: "NOT_FOUND", msg: `walker "nope" not found; available:`, route: "unmatched"},
		{name: "webhook at walker path", method: "POST", uri: "/walker/on_event", status: 404, code: "NOT_FOUND", msg: "is a webhook; call it at /webhook/on_event", route: "unmatched"},
		{name: "wrong method", method: "POST", uri: "/healthz", status: 405, code: "METHOD_NOT_ALLOWED", msg: "POST is not allowed on /healthz", route: "unmatched"},
		{name: "invalid fields", method: "POST", uri: "/function/add", body: `{"a":"x"}`, status: 422, code: "VALIDATION_ERROR", msg: "request fields are invalid", route: "/function/add"},
		{name: "not an object", method: "POST", uri: "/function/add", body: `[1]`, status: 422, code: "VALIDATION_ERROR", msg: "request body is not a JSON object", route: "/function/add"},
		{name: "walker refusal", method: "POST", uri: "/walker/count", body: `{"fail":true}`, status: 409, code: "CONFLICT", msg: "count: failed after the reports", route: "/walker/count"},
		{name: "unknown spawn node", method: "POST", uri: "/walker/count/zzz", body: `{}`, status: 404, code: "NOT_FOUND", msg: "node zzz not found", route: "/walker/count/{node_id}"},
		{name: "no token", method: "GET", uri: "/traverse", status: 401, code: "UNAUTHORIZED", msg: "a valid Bearer token is required", route: "/traverse",
			wantHeader: [2]string{"WWW-Authenticate", "Bearer"}},
		{name: "bad token", method: "PUT", uri: "/user/password", header: []string{"Authorization", "Bearer nope"}, status: 401, code: "UNAUTHORIZED", route: "/user/password"},
		{name: "login body", method: "POST", uri: "/user/login", body: `x`, status: 400, code: "VALIDATION_ERROR", msg: "body must be a JSON object", route: "/user/login"},
		{name: "login fields", method: "POST", uri: "/user/login", body: `{"username":"a"}`, status: 400, code: "VALIDATION_ERROR", msg: "Username and password required", route: "/user/login"},
		{name: "login refused", method: "POST", uri: "/user/login", body: `{"username":"nobody","password":"wrong-password"}`, status: 401, code: "UNAUTHORIZED", msg: "Invalid credentials", route: "/user/login"},
		{name: "refresh without token", method: "POST", uri: "/user/refresh-token", body: `{}`, status: 400, code: "VALIDATION_ERROR", msg: "token is required", route: "/user/refresh-token"},
		{name: "webhook without key", method: "POST", uri: "/webhook/on_event", body: `{"event":"x"}`, status: 401, code: "UNAUTHORIZED", msg: "the X-API-Key header is required", route: "/webhook/on_event"},
		{name: "webhook bad key", method: "POST", uri: "/webhook/on_event", body: `{"event":"x"}`, header: []string{"X-API-Key", "nope"}, status: 401, code: "UNAUTHORIZED", msg: "Invalid or expired API key", route: "/webhook/on_event"},
		{name: "sso platform", method: "GET", uri: "/sso/nope/login", status: 400, code: "VALIDATION_ERROR", msg: "invalid platform", route: "/sso/{platform}/{action}"},
		{name: "sso not configured", method: "GET", uri: "/sso/google/login", status: 501, code: "SSO_NOT_CONFIGURED", route: "/sso/{platform}/{action}"},
		{name: "docs asset", method: "GET", uri: "/docs/nope.js", status: 404, code: "NOT_FOUND", msg: "no file nope.js here", route: "unmatched"},
		{name: "api key list", method: "GET", uri: "/api-key/list", status: 401, code: "UNAUTHORIZED", route: "/api-key/list"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			log.take()
			ctx := do(h, tc.method, tc.uri, tc.body, tc.header...)
			resp := &ctx.Response
			if resp.StatusCode() != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode(), tc.status, resp.Body())
			}
			var env envelope
			if err := json.Unmarshal(resp.Body(), &env); err != nil {
				t.Fatalf("not an envelope: %v: %s", err, resp.Body())
			}
			rid := string(resp.Header.Peek("X-Request-ID"))
			if rid == "" || env.Meta.RequestID != rid || env.Meta.Extra.Status != tc.status {
				t.Errorf("meta %+v, header request id %q, status %d", env.Meta, rid, tc.status)
			}
			if tc.code == "" {
				if !env.OK || env.Error != nil {
					t.Errorf("want success: %s", resp.Body())
				}
			} else if env.OK || env.Error == nil || env.Error.Code != tc.code || !strings.Contains(env.Error.Message, tc.msg) {
				t.Errorf("want %s %q: %s", tc.code, tc.msg, resp.Body())
			}
			if k := tc.wantHeader[0]; k != "" && string(resp.Header.Peek(k)) != tc.wantHeader[1] {
				t.Errorf("%s: %q, want %q", k, resp.Header.Peek(k), tc.wantHeader[1])
			}
			got := log.take()
			if len(got) != 1 {
				t.Fatalf("%d request lines, want 1: %v", len(got), got)
			}
			if got[0]["route"] != tc.route || got[0]["status"] != int64(tc.status) || got[0]["request_id"] != rid {
				t.Errorf("request line %v, want route %q status %d id %q", got[0], tc.route, tc.status, rid)
			}
		})
	}
}

// TestTransportError: what fasthttp refuses before routing is answered by
// the same boundary and logged as unmatched.
func TestTransportError(t *testing.T) {
	s, log := newServer(t)
	tests := []struct {
		err    error
		status int
		limit  string
	}{
		{&server.BodyLimitError{Limit: 10, Key: "limits.max_body_bytes"}, 413, "request_body"},
		{&server.BodyLimitError{Limit: 10, Key: "limits.max_module_bytes", Module: true}, 413, "module_bytes"},
		{fasthttp.ErrBodyTooLarge, 413, "request_body"},
		{&net.OpError{Op: "read", Err: timeoutErr{}}, 408, "read_timeout"},
		{bytes.ErrTooLarge, 400, ""},
	}
	for _, tc := range tests {
		ctx := &fasthttp.RequestCtx{}
		s.TransportError(ctx, tc.err)
		var env envelope
		if err := json.Unmarshal(ctx.Response.Body(), &env); err != nil || ctx.Response.StatusCode() != tc.status {
			t.Fatalf("%v: status %d: %s", tc.err, ctx.Response.StatusCode(), ctx.Response.Body())
		}
		if tc.limit != "" && (env.Error.Code != "LIMIT_EXCEEDED" || !strings.Contains(string(env.Error.Details), `"limit":"`+tc.limit+`"`)) {
			t.Errorf("%v: %s", tc.err, ctx.Response.Body())
		}
		if got := log.take(); len(got) != 1 || got[0]["route"] != "unmatched" {
			t.Errorf("%v: request lines %v", tc.err, got)
		}
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string { return "i/o timeout" }
func (timeoutErr) Timeout() bool { return true }
