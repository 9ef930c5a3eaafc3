package apps

import (
	"bytes"
	"crypto/subtle"
	"log/slog"
	"strconv"

	"github.com/fasthttp/router"
	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/identity"
	"github.com/walkerhost/walkerhost/internal/web"
)

// adminRoutes is the admin API (docs/APPS.md), each route behind the admin
// token.
func (r *Registry) adminRoutes() []adminRoute {
	return []adminRoute{
		{"GET", "/admin/apps", r.listApps},
		{"GET", "/admin/apps/{app}/modules", r.listVersions},
		{"POST", "/admin/apps/{app}/modules", r.upload}, // [?activate=true]  body: the wasm module
		{"POST", "/admin/apps/{app}/modules/{version}/activate", r.activateVersion},
		{"POST", "/admin/apps/{app}/rollback", r.rollback},
		{"DELETE", "/admin/apps/{app}/modules/{version}", r.deleteVersion},
	}
}

type adminRoute struct {
	method, path string
	h            web.Handler
}

// newAdmin routes the admin API like an app's routes: each request is
// logged and counted under its route, carries a request id, and its error
// is answered by the boundary. Without an admin token configured the API
// does not exist (404); a request without the token is 401, with another
// token 403, whatever its path.
func (r *Registry) newAdmin() fasthttp.RequestHandler {
	rt := router.New()
	rt.RedirectTrailingSlash, rt.RedirectFixedPath = false, false
	rt.HandleMethodNotAllowed, rt.HandleOPTIONS = false, false
	for _, ar := range r.adminRoutes() {
		route := r.access.Route(ar.method, ar.path, slog.LevelInfo)
		rt.Handle(ar.method, ar.path, route.Wrap(r.errs.Handle(r.guard(ar.h))))
	}
	rt.NotFound = r.errs.Handle(r.guard(noAdminRoute))
	rt.PanicHandler = r.errs.Panicked
	return r.access.Serve(rt.Handler)
}

// guard lets a request with the admin token through to h.
func (r *Registry) guard(h web.Handler) web.Handler {
	return func(ctx *fasthttp.RequestCtx) error {
		if r.o.Admin == "" {
			return web.NewError(fasthttp.StatusNotFound, web.CodeNotFound, "no route for "+string(ctx.Method())+" "+string(ctx.Path()), nil)
		}
		token, ok := identity.BearerToken(string(ctx.Request.Header.Peek("Authorization")))
		if !ok || token == "" {
			return &web.Error{Status: fasthttp.StatusUnauthorized, Code: web.CodeUnauthorized,
				Message: "the admin API needs the admin token as a Bearer token", Challenge: "Bearer"}
		}
		if subtle.ConstantTimeCompare([]byte(token), []byte(r.o.Admin)) != 1 {
			return web.NewError(fasthttp.StatusForbidden, web.CodeForbidden, "not the admin token", nil)
		}
		return h(ctx)
	}
}

func noAdminRoute(ctx *fasthttp.RequestCtx) error {
	return web.NewError(fasthttp.StatusNotFound, web.CodeNotFound, "no admin route for "+string(ctx.Method())+" "+string(ctx.Path()), nil)
}

func (r *Registry) listApps(ctx *fasthttp.RequestCtx) error {
	return web.RespondValue(ctx, fasthttp.StatusOK, map[string]any{"apps": r.describe()})
}

var wasmMagic = []byte("\x00asm")

// upload stores a module, or program source compiled by Options.Source.
func (r *Registry) upload(ctx *fasthttp.RequestCtx) error {
	app := appArg(ctx)
	activate := string(ctx.QueryArgs().Peek("activate"))
	body := ctx.Request.Body()
	if !bytes.HasPrefix(body, wasmMagic) && r.o.Source != nil {
		file := string(ctx.QueryArgs().Peek("file"))
		if file == "" {
			file = "app.jac"
		}
		wasm, err := r.o.Source(file, body)
		if err != nil {
			// The compiler's message is the client's: file:line:col and the problem.
			return web.NewError(fasthttp.StatusUnprocessableEntity, web.CodeValidation, err.Error(), nil)
		}
		body = wasm
	}
	info, err := r.Upload(ctx, app, body, activate == "true" || activate == "1")
	if err != nil {
		return err
	}
	active, _ := activeVersion(r.o.DB, app)
	return web.RespondValue(ctx, fasthttp.StatusCreated, map[string]any{"app": app, "version": info.Version, "size": info.Size,
		"sha256": info.SHA256, "created": info.Created, "active": active})
}

func (r *Registry) listVersions(ctx *fasthttp.RequestCtx) error {
	app := appArg(ctx)
	list, active, err := r.Versions(app)
	if err != nil {
		return err
	}
	if list == nil {
		list = []VersionInfo{}
	}
	return web.RespondValue(ctx, fasthttp.StatusOK, map[string]any{"app": app, "active": active, "versions": list})
}

func (r *Registry) activateVersion(ctx *fasthttp.RequestCtx) error {
	app := appArg(ctx)
	n, err := versionArg(ctx)
	if err != nil {
		return err
	}
	if err := r.Activate(ctx, app, n); err != nil {
		return err
	}
	return web.RespondValue(ctx, fasthttp.StatusOK, map[string]any{"app": app, "active": n})
}

func (r *Registry) rollback(ctx *fasthttp.RequestCtx) error {
	app := appArg(ctx)
	n, err := r.Rollback(ctx, app)
	if err != nil {
		return err
	}
	return web.RespondValue(ctx, fasthttp.StatusOK, map[string]any{"app": app, "active": n})
}

func (r *Registry) deleteVersion(ctx *fasthttp.RequestCtx) error {
	app := appArg(ctx)
	n, err := versionArg(ctx)
	if err != nil {
		return err
	}
	if err := r.Delete(app, n); err != nil {
		return err
	}
	return web.RespondValue(ctx, fasthttp.StatusOK, map[string]any{"app": app, "deleted": n})
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

func appArg(ctx *fasthttp.RequestCtx) string {
	app, _ := ctx.UserValue("app").(string)
	return app
}

// versionArg is the {version} route parameter: a positive integer.
func versionArg(ctx *fasthttp.RequestCtx) (uint64, error) {
	s, _ := ctx.UserValue("version").(string)
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 {
		return 0, web.NewError(fasthttp.StatusBadRequest, web.CodeValidation, "version must be a positive integer, got "+strconv.Quote(s), nil)
	}
	return n, nil
}
