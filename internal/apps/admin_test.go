package apps_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/apps"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/server"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// request serves one request through h without the network.
func request(h fasthttp.RequestHandler, method, uri string, body []byte, header ...string) *fasthttp.RequestCtx {
	var req fasthttp.Request
	req.Header.SetMethod(method)
	req.SetRequestURI(uri)
	req.SetBody(body)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	ctx := &fasthttp.RequestCtx{}
	ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, nil)
	h(ctx)
	return ctx
}

type answer struct {
	OK    bool            `json:"ok"`
	Data  json.RawMessage `json:"data"`
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	Meta struct {
		RequestID string `json:"request_id"`
	} `json:"meta"`
}

// TestAdmin: the admin API's parsing of paths, tokens and versions, and
// its answers through the host's error mapping; every request, refused or
// not, carries a request id and is logged under its route.
func TestAdmin(t *testing.T) {
	eng := newEngine(t, 10*time.Second)
	var logged bytes.Buffer
	reg := apps.New(apps.Options{Engine: eng, DB: newDB(t), Default: "default", Limits: limits(10 * time.Second), Admin: "admin",
		Logger: slog.New(slog.NewJSONHandler(&logged, nil)),
		Build: func(app string, mod *sandbox.Module) *server.Server {
			return server.New(server.Options{App: app, Module: mod})
		}})
	if err := reg.Add(&apps.App{Name: "default", Limits: limits(10 * time.Second)}, nil); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	t.Cleanup(func() { reg.Close(ctx) })
	for _, v := range []string{"v1", "v2"} {
		if _, err := reg.Upload(ctx, "svc", testenv.VersionGuest(t, v), v == "v1"); err != nil {
			t.Fatal(err)
		}
	}
	h := reg.Handler()
	bearer := []string{"Authorization", "Bearer admin"}
	tests := []struct {
		name, method, uri string
		body              []byte
		header            []string
		status            int
		code, msg         string // msg: a part of the message
		route             string // the request line's route
	}{
		{"no token", "GET", "/admin/apps", nil, nil, 401, "UNAUTHORIZED", "needs the admin token", "/admin/apps"},
		{"other token", "GET", "/admin/apps", nil, []string{"Authorization", "Bearer nope"}, 403, "FORBIDDEN", "not the admin token", "/admin/apps"},
		{"no token, unknown path", "GET", "/admin/nope", nil, nil, 401, "UNAUTHORIZED", "", "unmatched"},
		{"apps", "GET", "/admin/apps", nil, bearer, 200, "", "", "/admin/apps"},
		{"trailing slash", "GET", "/admin/apps/", nil, bearer, 200, "", "", "/admin/apps"},
		{"unknown path", "GET", "/admin/nope", nil, bearer, 404, "NOT_FOUND", "no admin route for GET /admin/nope", "unmatched"},
		{"admin root", "GET", "/admin/", nil, bearer, 404, "NOT_FOUND", "no admin route", "unmatched"},
		{"method of another route", "GET", "/admin/apps/svc/modules/1", nil, bearer, 404, "NOT_FOUND", "no admin route for GET", "unmatched"},
		{"versions", "GET", "/admin/apps/svc/modules", nil, bearer, 200, "", "", "/admin/apps/{app}/modules"},
		{"versions of no app", "GET", "/admin/apps/zzz/modules", nil, bearer, 404, "NOT_FOUND", `no such app: "zzz"`, "/admin/apps/{app}/modules"},
		{"bad app name", "POST", "/admin/apps/Bad!/modules", testenv.VersionGuest(t, "v1"), bearer, 400, "VALIDATION_ERROR", "invalid app name", "/admin/apps/{app}/modules"},
		{"not a module", "POST", "/admin/apps/svc/modules", []byte("\x00asm garbage"), bearer, 422, "VALIDATION_ERROR", "refused", "/admin/apps/{app}/modules"},
		{"version zero", "POST", "/admin/apps/svc/modules/0/activate", nil, bearer, 400, "VALIDATION_ERROR", `version must be a positive integer, got "0"`, "/admin/apps/{app}/modules/{version}/activate"},
		{"version not a number", "DELETE", "/admin/apps/svc/modules/x", nil, bearer, 400, "VALIDATION_ERROR", `got "x"`, "/admin/apps/{app}/modules/{version}"},
		{"no such version", "POST", "/admin/apps/svc/modules/9/activate", nil, bearer, 404, "NOT_FOUND", "no such version", "/admin/apps/{app}/modules/{version}/activate"},
		{"delete the active", "DELETE", "/admin/apps/svc/modules/1", nil, bearer, 409, "VALIDATION_ERROR", "version is active", "/admin/apps/{app}/modules/{version}"},
		{"rollback without older", "POST", "/admin/apps/svc/rollback", nil, bearer, 404, "NOT_FOUND", "no version older than 1", "/admin/apps/{app}/rollback"},
		{"activate", "POST", "/admin/apps/svc/modules/2/activate", nil, bearer, 200, "", "", "/admin/apps/{app}/modules/{version}/activate"},
		{"rollback", "POST", "/admin/apps/svc/rollback", nil, bearer, 200, "", "", "/admin/apps/{app}/rollback"},
		{"delete", "DELETE", "/admin/apps/svc/modules/2", nil, bearer, 200, "", "", "/admin/apps/{app}/modules/{version}"},
		{"app without module", "GET", "/apps/nope/x", nil, nil, 404, "NOT_FOUND", `no app "nope" on this host`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			logged.Reset()
			c := request(h, tc.method, tc.uri, tc.body, tc.header...)
			var a answer
			if err := json.Unmarshal(c.Response.Body(), &a); err != nil || c.Response.StatusCode() != tc.status {
				t.Fatalf("status %d, want %d: %s", c.Response.StatusCode(), tc.status, c.Response.Body())
			}
			if tc.code == "" && !a.OK || tc.code != "" && (a.Error == nil || a.Error.Code != tc.code || !strings.Contains(a.Error.Message, tc.msg)) {
				t.Fatalf("want %s %q: %s", tc.code, tc.msg, c.Response.Body())
			}
			rid := string(c.Response.Header.Peek("X-Request-ID"))
			if rid == "" || a.Meta.RequestID != rid {
				t.Errorf("request id: header %q, envelope %q", rid, a.Meta.RequestID)
			}
			if tc.status == 401 && string(c.Response.Header.Peek("WWW-Authenticate")) != "Bearer" {
				t.Errorf("no WWW-Authenticate challenge")
			}
			if tc.route == "" {
				return
			}
			var line struct {
				Msg, Route, RequestID string
				Status                int
			}
			for _, l := range bytes.Split(bytes.TrimSpace(logged.Bytes()), []byte("\n")) {
				var m map[string]any
				if json.Unmarshal(l, &m) == nil && m["msg"] == "request" {
					line.Route, _ = m["route"].(string)
					line.RequestID, _ = m["request_id"].(string)
					s, _ := m["status"].(float64)
					line.Status = int(s)
				}
			}
			if line.Route != tc.route || line.RequestID != rid || line.Status != tc.status {
				t.Errorf("request line %+v, want route %q, id %q, status %d; log:\n%s", line, tc.route, rid, tc.status, logged.String())
			}
		})
	}
}

// TestAdmin_Disabled: without an admin token the admin API does not exist.
func TestAdmin_Disabled(t *testing.T) {
	reg := apps.New(apps.Options{Engine: newEngine(t, time.Second), DB: newDB(t), Default: "default"})
	for _, token := range []string{"", "Bearer ", "Bearer x"} {
		c := request(reg.Handler(), "GET", "/admin/apps", nil, "Authorization", token)
		if c.Response.StatusCode() != 404 || !strings.Contains(string(c.Response.Body()), "no route for GET /admin/apps") {
			t.Errorf("token %q: %d %s", token, c.Response.StatusCode(), c.Response.Body())
		}
	}
}
