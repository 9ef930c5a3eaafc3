package server

import (
	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/web"
)

// Fail writes the error envelope of docs/API.md, for handlers outside this
// package that answer before a request reaches a Server.
func Fail(ctx *fasthttp.RequestCtx, status int, code, msg string, details any) {
	web.Boundary{}.Answer(ctx, web.NewError(status, code, msg, details))
}

// Respond writes the success envelope around v, marshalled as JSON.
func Respond(ctx *fasthttp.RequestCtx, status int, v any) {
	if err := web.RespondValue(ctx, status, v); err != nil {
		Fail(ctx, fasthttp.StatusInternalServerError, CodeInternal, "response encoding failed", nil)
	}
}
