package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/identity"
	"github.com/walkerhost/walkerhost/internal/sandbox"
)

// TestErrorFor is the one mapping from errors to answers, each rule of it.
func TestErrorFor(t *testing.T) {
	own := NewError(fasthttp.StatusTeapot, "TEAPOT", "short and stout", nil)
	kind := NewKind(fasthttp.StatusConflict, CodeValidation, "pkg: busy")
	tests := []struct {
		name   string
		err    error
		status int
		code   string
		msg    string
		retry  time.Duration
	}{
		{"own answer", own, 418, "TEAPOT", "short and stout", 0},
		{"own answer wrapped", fmt.Errorf("while serving: %w", own), 418, "TEAPOT", "short and stout", 0},
		{"own answer keeps its cause", &Error{Status: 401, Code: CodeUnauthorized, Message: "the X-Sig header is required", Err: identity.ErrMissingSignature},
			401, CodeUnauthorized, "the X-Sig header is required", 0},
		{"identity throttle", &identity.LimitError{Limit: identity.LimitLoginUser, Value: "5", RetryAfter: 1500 * time.Millisecond}, 429, CodeLimit, "", 1500 * time.Millisecond},
		{"identity hashing", &identity.LimitError{Limit: identity.LimitHashing, Value: "8"}, 503, CodeLimit, "", 0},
		{"walker refusal", &sandbox.ClientError{Walker: "w", Status: 409, Message: "taken"}, 409, CodeConflict, "taken", 0},
		{"walker refusal 403", &sandbox.ClientError{Walker: "w", Status: 403, Message: "no"}, 403, CodeForbidden, "no", 0},
		{"time limit", &sandbox.LimitError{Limit: "time", Value: "10s"}, 504, CodeLimit, "sandbox: time limit exceeded (10s)", 0},
		{"concurrency limit", &sandbox.LimitError{Limit: "concurrency", Value: "all 1 instances busy"}, 429, CodeLimit, "", 0},
		{"memory limit", &sandbox.LimitError{Limit: "memory", Value: "64 MiB"}, 507, CodeLimit, "", 0},
		{"load limit", fmt.Errorf("%w: %w", sandbox.ErrModule, &sandbox.LimitError{Limit: "module_bytes", Value: "10 bytes"}), 413, CodeLimit, "sandbox: module refused", 0},
		{"compilations full", fmt.Errorf("%w: %w", kind, &sandbox.LimitError{Limit: "compiles", Value: "1 compiling, 8 waiting"}), 429, CodeLimit, "pkg: busy", time.Second},
		{"schema", &sandbox.SchemaError{Kind: "node", Type: "T", Field: "f", Reason: "int_type"}, 422, CodeValidation, "", 0},
		{"execution", fmt.Errorf("%w: walker panicked", sandbox.ErrExecution), 500, CodeExecution, "walker panicked", 0},
		{"unknown entry", fmt.Errorf("%w: walker %q", sandbox.ErrUnknown, "x"), 404, CodeNotFound, `unknown entry: walker "x"`, 0},
		{"graph not found", fmt.Errorf("%w: node 1", graph.ErrNotFound), 404, CodeNotFound, "not found: node 1", 0},
		{"graph bad id", graph.ErrBadID, 404, CodeNotFound, "", 0},
		{"graph denied", graph.ErrDenied, 403, CodeForbidden, "", 0},
		{"identity input", fmt.Errorf("%w: username must not be empty", identity.ErrValidation), 400, CodeValidation, "username must not be empty", 0},
		{"kind", fmt.Errorf("%w: app x is migrating", kind), 409, CodeValidation, "app x is migrating", 0},
		{"module refused", fmt.Errorf("%w: module %q: decode: bad magic", sandbox.ErrModule, "m"), 422, CodeValidation, `module "m" refused: decode: bad magic`, 0},
		{"user exists", identity.ErrUserExists, 400, CodeUserExists, "user already exists", 0},
		{"credentials", identity.ErrInvalidCredentials, 401, CodeUnauthorized, "Invalid credentials", 0},
		{"token", identity.ErrInvalidToken, 401, CodeUnauthorized, "Invalid or expired token", 0},
		{"not yours", identity.ErrForbidden, 403, CodeForbidden, "", 0},
		{"key not found", identity.ErrKeyNotFound, 404, CodeNotFound, "API key not found", 0},
		{"no key", identity.ErrMissingAPIKey, 401, CodeUnauthorized, "the X-API-Key header is required", 0},
		{"bad key", identity.ErrInvalidAPIKey, 401, CodeUnauthorized, "Invalid or expired API key", 0},
		{"bad signature", identity.ErrBadSignature, 401, CodeUnauthorized, "Invalid webhook signature", 0},
		{"no timestamp", identity.ErrMissingTimestamp, 401, CodeUnauthorized, "X-Webhook-Timestamp header is required", 0},
		{"replay", identity.ErrReplay, 409, CodeConflict, "already received", 0},
		{"stale", identity.ErrStaleTimestamp, 401, CodeUnauthorized, "replay window", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, ok := ErrorFor(tc.err)
			if !ok {
				t.Fatalf("mapped as internal")
			}
			if e.Status != tc.status || e.Code != tc.code || !strings.Contains(e.Message, tc.msg) || e.RetryAfter != tc.retry {
				t.Fatalf("got %d %s %q retry %v; want %d %s %q retry %v", e.Status, e.Code, e.Message, e.RetryAfter, tc.status, tc.code, tc.msg, tc.retry)
			}
		})
	}
	for _, err := range []error{errors.New("disk on fire"), fmt.Errorf("commit: %w", errors.New("bbolt: timeout")), sandbox.ErrClosed} {
		if e, ok := ErrorFor(err); ok {
			t.Errorf("%v: mapped to %+v, want internal", err, e)
		}
	}
}

// TestBoundary: a handler's error is answered once, with the mapped
// envelope and its headers; an internal error is logged with the request
// id the client sees, never shown; success leaves the handler's answer.
func TestBoundary(t *testing.T) {
	var logged bytes.Buffer
	b := Boundary{Log: slog.New(slog.NewTextHandler(&logged, nil))}
	tests := []struct {
		name   string
		h      Handler
		status int
		body   string // a part of the body
		header [2]string
	}{
		{"success", func(ctx *fasthttp.RequestCtx) error { Respond(ctx, 201, []byte(`{"x":1}`)); return nil }, 201, `"data":{"x":1}`, [2]string{}},
		{"answer", func(*fasthttp.RequestCtx) error { return NewError(400, CodeValidation, "no", []int{1}) }, 400,
			`"error":{"code":"VALIDATION_ERROR","message":"no","details":[1]},"detail":[1]`, [2]string{}},
		{"challenge", func(*fasthttp.RequestCtx) error {
			return &Error{Status: 401, Code: CodeUnauthorized, Message: "token", Challenge: "Bearer"}
		}, 401, `"code":"UNAUTHORIZED"`, [2]string{"WWW-Authenticate", "Bearer"}},
		{"retry after", func(*fasthttp.RequestCtx) error {
			return &identity.LimitError{Limit: identity.LimitLoginIP, Value: "20", RetryAfter: 2100 * time.Millisecond}
		}, 429, `"limit":"login_ip"`, [2]string{"Retry-After", "3"}},
		{"internal", func(*fasthttp.RequestCtx) error { return errors.New("disk on fire") }, 500,
			`"message":"internal error; see the host log for request rid-7"`, [2]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			logged.Reset()
			var ctx fasthttp.RequestCtx
			ctx.Request.Header.Set(RequestIDHeader, "rid-7")
			b.Handle(tc.h)(&ctx)
			body := string(ctx.Response.Body())
			if ctx.Response.StatusCode() != tc.status || !strings.Contains(body, tc.body) || strings.Contains(body, "disk on fire") {
				t.Fatalf("%d %s", ctx.Response.StatusCode(), body)
			}
			if !json.Valid(ctx.Response.Body()) || !strings.HasSuffix(body, `"meta":{"extra":{"http_status":`+fmt.Sprint(tc.status)+`},"request_id":"rid-7"}}`) {
				t.Fatalf("envelope: %s", body)
			}
			if k := tc.header[0]; k != "" && string(ctx.Response.Header.Peek(k)) != tc.header[1] {
				t.Errorf("%s: %q, want %q", k, ctx.Response.Header.Peek(k), tc.header[1])
			}
			if internal := tc.status == 500; internal != strings.Contains(logged.String(), "request_id=rid-7") ||
				internal != strings.Contains(logged.String(), "disk on fire") {
				t.Errorf("log: %q", logged.String())
			}
		})
	}
}

// TestPanicked: a panic's partial answer is dropped for the 500.
func TestPanicked(t *testing.T) {
	var logged bytes.Buffer
	b := Boundary{Log: slog.New(slog.NewTextHandler(&logged, nil))}
	var ctx fasthttp.RequestCtx
	ctx.SetBodyString("half an answer")
	b.Panicked(&ctx, "boom")
	if ctx.Response.StatusCode() != 500 || strings.Contains(string(ctx.Response.Body()), "half") || !strings.Contains(logged.String(), "boom") {
		t.Fatalf("%d %s; log %q", ctx.Response.StatusCode(), ctx.Response.Body(), logged.String())
	}
}
