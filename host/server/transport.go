package server

import (
	"bytes"
	"errors"
	"time"

	"github.com/valyala/fasthttp"
)

// TransportError answers requests fasthttp rejects before routing: an
// oversized body (413 LIMIT_EXCEEDED; on the admin API, a module over
// every module size limit) or a malformed request (400). It is
// the fasthttp.Server's ErrorHandler; the request is logged and counted as
// unmatched.
func (s *Server) TransportError(ctx *fasthttp.RequestCtx, err error) {
	start := time.Now()
	transportError(ctx, err)
	s.record(s.requestLine(ctx, start), ctx.Response.StatusCode(), len(ctx.Response.Body()))
}

func transportError(ctx *fasthttp.RequestCtx, err error) {
	requestID(ctx)
	if errors.Is(err, fasthttp.ErrBodyTooLarge) && bytes.HasPrefix(ctx.Path(), []byte("/admin/")) {
		fail(ctx, fasthttp.StatusRequestEntityTooLarge, CodeLimit,
			"module exceeds the largest module size limit (limits.max_module_bytes, JAC_MAX_MODULE_BYTES)",
			map[string]string{"limit": "module_bytes"})
		return
	}
	if errors.Is(err, fasthttp.ErrBodyTooLarge) {
		fail(ctx, fasthttp.StatusRequestEntityTooLarge, CodeLimit,
			"request body exceeds the size limit (limits.max_body_bytes, JAC_MAX_BODY_BYTES)",
			map[string]string{"limit": "request_body"})
		return
	}
	fail(ctx, fasthttp.StatusBadRequest, CodeValidation, "malformed HTTP request: "+err.Error(), nil)
}
