// Package web is the HTTP plumbing the host's servers share: the response
// envelope of docs/API.md, request ids, the one mapping from errors to
// status and code (docs/ERRORS.md), and the access log and metrics of each
// request. internal/server (an app's routes) and internal/apps (the admin API and
// the routing of apps) answer through it, so that every route answers,
// logs and counts the same way.
package web

import (
	"encoding/json"
	"strconv"
	"sync"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/wjson"
)

// Error codes of docs/ERRORS.md.
const (
	CodeValidation       = "VALIDATION_ERROR"
	CodeUnauthorized     = "UNAUTHORIZED"
	CodeForbidden        = "FORBIDDEN"
	CodeNotFound         = "NOT_FOUND"
	CodeUserExists       = "USER_EXISTS"
	CodeExecution        = "EXECUTION_ERROR"
	CodeLimit            = "LIMIT_EXCEEDED"
	CodeInternal         = "INTERNAL_ERROR"
	CodeMethodNotAllowed = "METHOD_NOT_ALLOWED"
	CodeConflict         = "CONFLICT" // a walker's own refusal with 409
)

var bufs = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// GetBuf returns a pooled buffer for an answer; PutBuf returns it.
func GetBuf() *[]byte { return bufs.Get().(*[]byte) }

// PutBuf returns b, emptied, to the pool.
func PutBuf(b *[]byte) { *b = (*b)[:0]; bufs.Put(b) }

// Respond writes the success envelope around data, which is raw JSON.
func Respond(ctx *fasthttp.RequestCtx, status int, data []byte) {
	b := GetBuf()
	out := AppendOK(*b, RequestID(ctx), status, data)
	Finish(ctx, status, out)
	*b = out
	PutBuf(b)
}

// RespondValue is Respond for a Go value marshalled with encoding/json;
// for the cold endpoints (identity, health, admin). A value that does not
// encode is the handler's error to return.
func RespondValue(ctx *fasthttp.RequestCtx, status int, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	Respond(ctx, status, data)
	return nil
}

// AppendOK appends the success envelope around data, which is raw JSON.
func AppendOK(out []byte, rid string, status int, data []byte) []byte {
	out = append(out, `{"ok":true,"type":"response","data":`...)
	out = append(out, data...)
	out = append(out, `,"error":null,`...)
	return appendMeta(out, rid, status)
}

// AppendFail appends the error envelope of e. Details, when not nil, are
// marshalled as error.details; a list of validation errors is also copied
// to a top-level "detail" key for FastAPI clients.
func AppendFail(out []byte, rid string, e *Error) []byte {
	out = append(out, `{"ok":false,"type":"error","data":null,"error":{"code":"`...)
	out = append(out, e.Code...)
	out = append(out, `","message":`...)
	out = wjson.AppendString(out, e.Message)
	var raw []byte
	if e.Details != nil {
		raw, _ = json.Marshal(e.Details)
		out = append(out, `,"details":`...)
		out = append(out, raw...)
	}
	out = append(out, "},"...)
	if e.Code == CodeValidation && raw != nil {
		out = append(out, `"detail":`...)
		out = append(out, raw...)
		out = append(out, ',')
	}
	return appendMeta(out, rid, e.Status)
}

func appendMeta(out []byte, rid string, status int) []byte {
	out = append(out, `"meta":{"extra":{"http_status":`...)
	out = strconv.AppendInt(out, int64(status), 10)
	out = append(out, `},"request_id":`...)
	out = wjson.AppendString(out, rid)
	return append(out, "}}"...)
}

// Finish sets the status and a JSON body.
func Finish(ctx *fasthttp.RequestCtx, status int, body []byte) {
	ctx.SetStatusCode(status)
	ctx.SetContentType("application/json")
	ctx.SetBody(body)
}
