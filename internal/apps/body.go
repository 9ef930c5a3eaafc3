package apps

import (
	"bytes"
	"crypto/subtle"
	"io"
	"strings"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/identity"
	"github.com/walkerhost/walkerhost/internal/server"
	"github.com/walkerhost/walkerhost/internal/web"
)

// BodyLimit is the largest body the request with header h may send, and
// the setting behind it: the module size on the admin upload route when the
// request carries the admin token (the largest of the apps' module size
// limits: the load checks the app's own), else the max_body_bytes of the app the
// request goes to. It needs only the header, so the transport applies it
// before reading (or allocating) any of the body.
func (r *Registry) BodyLimit(h *fasthttp.RequestHeader) *server.BodyLimitError {
	path, _, _ := bytes.Cut(h.RequestURI(), []byte("?"))
	if r.isUpload(h, path) {
		return &server.BodyLimitError{Limit: r.o.MaxModule, Key: "limits.max_module_bytes, JAC_MAX_MODULE_BYTES", Module: true}
	}
	a := r.def
	if rest, ok := bytes.CutPrefix(path, []byte(Prefix)); ok {
		name, _, _ := bytes.Cut(rest, []byte("/"))
		if named, ok := r.App(string(name)); ok {
			a = named
		}
	} else if len(r.hosts) > 0 {
		host, _, _ := strings.Cut(strings.ToLower(string(h.Host())), ":")
		r.mu.RLock()
		if hosted := r.hosts[host]; hosted != nil {
			a = hosted
		}
		r.mu.RUnlock()
	}
	key := "limits.max_body_bytes, JAC_MAX_BODY_BYTES"
	limit := r.o.MaxBody
	if a != nil && a.MaxBody > 0 {
		limit = a.MaxBody
		if a != r.def {
			key = "apps." + a.Name + ".limits.max_body_bytes"
		}
	}
	if limit <= 0 {
		limit = fasthttp.DefaultMaxRequestBodySize
	}
	return &server.BodyLimitError{Limit: limit, Key: key}
}

// isUpload reports whether h is POST /admin/apps/NAME/modules with the
// admin token: only that request may send a module-sized body.
func (r *Registry) isUpload(h *fasthttp.RequestHeader, path []byte) bool {
	if r.o.Admin == "" || !h.IsPost() {
		return false
	}
	parts := strings.Split(strings.Trim(string(path), "/"), "/")
	if len(parts) != 4 || parts[0] != "admin" || parts[1] != "apps" || parts[3] != "modules" {
		return false
	}
	token, ok := identity.BearerToken(string(h.Peek("Authorization")))
	return ok && subtle.ConstantTimeCompare([]byte(token), []byte(r.o.Admin)) == 1
}

// readBody reads a streamed request body whole, under the route's limit,
// in chunks as it arrives: memory follows the bytes received, never the
// size the client announced. It answers the request and returns false
// when the body is over the limit or does not arrive in time.
func (r *Registry) readBody(ctx *fasthttp.RequestCtx) bool {
	lim := r.BodyLimit(&ctx.Request.Header)
	if ctx.Request.Header.ContentLength() > lim.Limit {
		r.transportError(ctx, lim)
		return false
	}
	body, err := io.ReadAll(io.LimitReader(ctx.RequestBodyStream(), int64(lim.Limit)+1))
	switch {
	case err != nil:
		r.transportError(ctx, err)
		return false
	case len(body) > lim.Limit:
		r.transportError(ctx, lim)
		return false
	}
	ctx.Request.SetBodyRaw(body)
	return true
}

// ExpectContinue answers an Expect: 100-continue request: it may send its
// body when the body's announced size is within its route's limit; else
// the answer is 413 with the limit, before any of the body is sent. It is
// the fasthttp.Server's ExpectHandler.
func (r *Registry) ExpectContinue(ctx *fasthttp.RequestCtx) int {
	lim := r.BodyLimit(&ctx.Request.Header)
	if ctx.Request.Header.ContentLength() <= lim.Limit {
		return fasthttp.StatusContinue
	}
	r.transportError(ctx, lim)
	return fasthttp.StatusRequestEntityTooLarge
}

// transportError answers through the default app's server, which logs and
// counts the request as unmatched.
func (r *Registry) transportError(ctx *fasthttp.RequestCtx, err error) {
	if r.def != nil && r.def.Server() != nil {
		r.def.Server().TransportError(ctx, err)
		return
	}
	r.errs.Answer(ctx, web.NewError(fasthttp.StatusBadRequest, web.CodeValidation, err.Error(), nil))
}
