package server

import (
	"errors"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/web"
)

// BodyLimitError is a request body over the limit of its route, known
// from its Content-Length or found while it is read.
type BodyLimitError struct {
	Limit int    // bytes
	Key   string // the setting that sets it
	// Module marks the admin upload route, whose body is a module: its
	// limit is the largest module size limit of any app.
	Module bool
}

func (e *BodyLimitError) Error() string {
	if e.Module {
		return "module exceeds the largest module size limit (" + e.Key + ") of " + strconv.Itoa(e.Limit) + " bytes"
	}
	return "request body exceeds the size limit of " + strconv.Itoa(e.Limit) + " bytes (" + e.Key + ")"
}

// name is the limit's name in the answer's details.
func (e *BodyLimitError) name() string {
	if e.Module {
		return "module_bytes"
	}
	return "request_body"
}

// TransportError answers requests fasthttp rejects before routing: an
// oversized body (413 LIMIT_EXCEEDED; on the admin API, a module over
// every module size limit) or a malformed request (400). It is
// the fasthttp.Server's ErrorHandler; the request is logged and counted as
// unmatched.
func (s *Server) TransportError(ctx *fasthttp.RequestCtx, err error) {
	start := time.Now()
	s.errs.Answer(ctx, transportError(err))
	s.access.Record(s.access.Line(ctx, start), ctx.Response.StatusCode(), len(ctx.Response.Body()))
}

// transportError is the answer to a request fasthttp could not read.
func transportError(err error) *web.Error {
	var lim *BodyLimitError
	switch {
	case errors.As(err, &lim):
		return web.NewError(fasthttp.StatusRequestEntityTooLarge, CodeLimit, lim.Error(),
			map[string]string{"limit": lim.name(), "value": strconv.Itoa(lim.Limit)})
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		return web.NewError(fasthttp.StatusRequestEntityTooLarge, CodeLimit,
			"request body exceeds the size limit (limits.max_body_bytes, JAC_MAX_BODY_BYTES)",
			map[string]string{"limit": "request_body"})
	case isTimeout(err):
		return web.NewError(fasthttp.StatusRequestTimeout, CodeLimit,
			"the request was not received in time (serve.header_timeout, serve.body_timeout)",
			map[string]string{"limit": "read_timeout"})
	}
	return web.NewError(fasthttp.StatusBadRequest, CodeValidation, "malformed HTTP request: "+err.Error(), nil)
}

// isTimeout reports whether err is a read deadline passing.
func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// Refusal is a complete HTTP response, closing the connection, with the
// error envelope of a limit: what a connection refused before any request
// is read gets (host.Serve's connection caps).
func Refusal(status int, msg, limit, value string) []byte {
	rid := web.NewRequestID()
	body := web.AppendFail(nil, rid, web.NewError(status, CodeLimit, msg, map[string]string{"limit": limit, "value": value}))
	out := append([]byte("HTTP/1.1 "), strconv.Itoa(status)...)
	out = append(out, ' ')
	out = append(out, fasthttp.StatusMessage(status)...)
	out = append(out, "\r\nContent-Type: application/json\r\nConnection: close\r\nX-Request-ID: "...)
	out = append(out, rid...)
	out = append(out, "\r\nContent-Length: "...)
	out = strconv.AppendInt(out, int64(len(body)), 10)
	out = append(out, "\r\n\r\n"...)
	return append(out, body...)
}
