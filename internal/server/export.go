package server

import "github.com/valyala/fasthttp"

// Fail writes the error envelope of docs/API.md, for handlers outside this
// package that answer before a request reaches a Server (internal/apps).
func Fail(ctx *fasthttp.RequestCtx, status int, code, msg string, details any) {
	requestID(ctx)
	fail(ctx, status, code, msg, details)
}

// Respond writes the success envelope around v, marshalled as JSON.
func Respond(ctx *fasthttp.RequestCtx, status int, v any) {
	requestID(ctx)
	respondValue(ctx, status, v)
}
