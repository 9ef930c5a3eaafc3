package apps

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/identity"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/server"
)

// admin serves the admin API (docs/APPS.md):
//
//	GET    /admin/apps
//	GET    /admin/apps/{app}/modules
//	POST   /admin/apps/{app}/modules[?activate=true]   body: the wasm module
//	POST   /admin/apps/{app}/modules/{version}/activate
//	POST   /admin/apps/{app}/rollback
//	DELETE /admin/apps/{app}/modules/{version}
//
// Without an admin token configured it does not exist (404); a request
// without the token is 401, with another token 403.
func (r *Registry) admin(ctx *fasthttp.RequestCtx) {
	if r.o.Admin == "" {
		server.Fail(ctx, fasthttp.StatusNotFound, server.CodeNotFound, "no route for "+string(ctx.Method())+" "+string(ctx.Path()), nil)
		return
	}
	token, ok := identity.BearerToken(string(ctx.Request.Header.Peek("Authorization")))
	if !ok || token == "" {
		ctx.Response.Header.Set("WWW-Authenticate", "Bearer")
		server.Fail(ctx, fasthttp.StatusUnauthorized, server.CodeUnauthorized, "the admin API needs the admin token as a Bearer token", nil)
		return
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(r.o.Admin)) != 1 {
		server.Fail(ctx, fasthttp.StatusForbidden, server.CodeForbidden, "not the admin token", nil)
		return
	}
	defer func() {
		if p := recover(); p != nil { // a defect of the host; the process serves on
			r.o.Logger.Error("admin: panic", "path", string(ctx.Path()), "panic", p, "stack", string(debug.Stack()))
			ctx.Response.Reset()
			server.Fail(ctx, fasthttp.StatusInternalServerError, server.CodeInternal, "internal error; see the host log", nil)
		}
	}()
	parts := strings.Split(strings.Trim(string(ctx.Path()), "/"), "/")[1:] // after "admin"
	method := string(ctx.Method())
	switch {
	case len(parts) == 1 && parts[0] == "apps" && method == "GET":
		server.Respond(ctx, fasthttp.StatusOK, map[string]any{"apps": r.describe()})
	case len(parts) == 3 && parts[0] == "apps" && parts[2] == "modules" && method == "GET":
		r.listVersions(ctx, parts[1])
	case len(parts) == 3 && parts[0] == "apps" && parts[2] == "modules" && method == "POST":
		r.upload(ctx, parts[1])
	case len(parts) == 3 && parts[0] == "apps" && parts[2] == "rollback" && method == "POST":
		n, err := r.Rollback(ctx, parts[1])
		r.answer(ctx, err, map[string]any{"app": parts[1], "active": n})
	case len(parts) == 5 && parts[0] == "apps" && parts[2] == "modules" && parts[4] == "activate" && method == "POST":
		if n, ok := versionArg(ctx, parts[3]); ok {
			r.answer(ctx, r.Activate(ctx, parts[1], n), map[string]any{"app": parts[1], "active": n})
		}
	case len(parts) == 4 && parts[0] == "apps" && parts[2] == "modules" && method == "DELETE":
		if n, ok := versionArg(ctx, parts[3]); ok {
			r.answer(ctx, r.Delete(parts[1], n), map[string]any{"app": parts[1], "deleted": n})
		}
	default:
		server.Fail(ctx, fasthttp.StatusNotFound, server.CodeNotFound, "no admin route for "+method+" "+string(ctx.Path()), nil)
	}
}

var wasmMagic = []byte("\x00asm")

// upload stores a module, or program source compiled by Options.Source.
func (r *Registry) upload(ctx *fasthttp.RequestCtx, app string) {
	activate := string(ctx.QueryArgs().Peek("activate"))
	body := ctx.Request.Body()
	if !bytes.HasPrefix(body, wasmMagic) && r.o.Source != nil {
		file := string(ctx.QueryArgs().Peek("file"))
		if file == "" {
			file = "app.jac"
		}
		wasm, err := r.o.Source(file, body)
		if err != nil {
			server.Fail(ctx, fasthttp.StatusUnprocessableEntity, server.CodeValidation, err.Error(), nil)
			return
		}
		body = wasm
	}
	info, err := r.Upload(ctx, app, body, activate == "true" || activate == "1")
	if err != nil {
		r.answer(ctx, err, nil)
		return
	}
	active, _ := activeVersion(r.o.DB, app)
	server.Respond(ctx, fasthttp.StatusCreated, map[string]any{"app": app, "version": info.Version, "size": info.Size,
		"sha256": info.SHA256, "created": info.Created, "active": active})
}

func (r *Registry) listVersions(ctx *fasthttp.RequestCtx, app string) {
	list, active, err := r.Versions(app)
	if err != nil {
		r.answer(ctx, err, nil)
		return
	}
	if list == nil {
		list = []VersionInfo{}
	}
	server.Respond(ctx, fasthttp.StatusOK, map[string]any{"app": app, "active": active, "versions": list})
}

// describe lists the apps with the version each serves.
func (r *Registry) describe() []map[string]any {
	var out []map[string]any
	for _, name := range r.Apps() {
		a, _ := r.App(name)
		n, mod := a.Version()
		e := map[string]any{"name": name, "version": n, "default": a == r.def, "path": Prefix + name}
		if a == r.def {
			e["path"] = "/"
		}
		if mod != nil {
			e["module"] = mod.Name
		}
		if a.Host != "" {
			e["host"] = a.Host
		}
		out = append(out, e)
	}
	return out
}

// answer writes data, or the error's status and code. A module over a
// load-time limit is 413 LIMIT_EXCEEDED naming the limit; one that found
// every compilation slot and the queue taken is 429.
func (r *Registry) answer(ctx *fasthttp.RequestCtx, err error, data any) {
	var lim *sandbox.LimitError
	switch {
	case err == nil:
		server.Respond(ctx, fasthttp.StatusOK, data)
	case errors.As(err, &lim):
		status := fasthttp.StatusRequestEntityTooLarge
		if lim.Limit == "compiles" {
			status = fasthttp.StatusTooManyRequests
			ctx.Response.Header.Set("Retry-After", "1")
		}
		server.Fail(ctx, status, server.CodeLimit, err.Error(), map[string]string{"limit": lim.Limit, "value": lim.Value})
	case errors.Is(err, ErrRefused) || errors.Is(err, sandbox.ErrModule):
		server.Fail(ctx, fasthttp.StatusUnprocessableEntity, server.CodeValidation, server.ClientText(err), nil)
	case errors.Is(err, ErrBadName):
		server.Fail(ctx, fasthttp.StatusBadRequest, server.CodeValidation, server.ClientText(err), nil)
	case errors.Is(err, ErrNoApp), errors.Is(err, ErrNoVersion):
		server.Fail(ctx, fasthttp.StatusNotFound, server.CodeNotFound, server.ClientText(err), nil)
	case errors.Is(err, ErrActive):
		server.Fail(ctx, fasthttp.StatusConflict, server.CodeValidation, server.ClientText(err), nil)
	default:
		r.o.Logger.Error("admin: internal error", "path", string(ctx.Path()), "err", err)
		server.Fail(ctx, fasthttp.StatusInternalServerError, server.CodeInternal, "internal error; see the host log", nil)
	}
}

func versionArg(ctx *fasthttp.RequestCtx, s string) (uint64, bool) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 {
		server.Fail(ctx, fasthttp.StatusBadRequest, server.CodeValidation, "version must be a positive integer, got "+strconv.Quote(s), nil)
		return 0, false
	}
	return n, true
}
