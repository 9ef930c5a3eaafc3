package server

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

func getBuf() *[]byte  { return bufs.Get().(*[]byte) }
func putBuf(b *[]byte) { *b = (*b)[:0]; bufs.Put(b) }

// respond writes the success envelope around data, which is raw JSON.
func respond(ctx *fasthttp.RequestCtx, status int, data []byte) {
	b := getBuf()
	out := appendOK(*b, requestID(ctx), status, data)
	finish(ctx, status, out)
	*b = out
	putBuf(b)
}

// appendOK appends the success envelope around data, which is raw JSON.
func appendOK(out []byte, rid string, status int, data []byte) []byte {
	out = append(out, `{"ok":true,"type":"response","data":`...)
	out = append(out, data...)
	out = append(out, `,"error":null,`...)
	return appendMeta(out, rid, status)
}

// respondValue is respond for a Go value marshalled with encoding/json;
// for the cold endpoints (identity, health).
func respondValue(ctx *fasthttp.RequestCtx, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		fail(ctx, fasthttp.StatusInternalServerError, CodeInternal, "response encoding failed", nil)
		return
	}
	respond(ctx, status, data)
}

// fail writes the error envelope. details, when not nil, is marshalled as
// error.details; a list of validation errors is also copied to a top-level
// "detail" key for FastAPI clients.
func fail(ctx *fasthttp.RequestCtx, status int, code, msg string, details any) {
	b := getBuf()
	out := appendFail(*b, requestID(ctx), apiError{status, code, msg, details})
	finish(ctx, status, out)
	*b = out
	putBuf(b)
}

// apiError is an error answer: its status, code, message and details.
type apiError struct {
	status    int
	code, msg string
	details   any
}

func appendFail(out []byte, rid string, e apiError) []byte {
	out = append(out, `{"ok":false,"type":"error","data":null,"error":{"code":"`...)
	out = append(out, e.code...)
	out = append(out, `","message":`...)
	out = wjson.AppendString(out, e.msg)
	var raw []byte
	if e.details != nil {
		raw, _ = json.Marshal(e.details)
		out = append(out, `,"details":`...)
		out = append(out, raw...)
	}
	out = append(out, "},"...)
	if e.code == CodeValidation && raw != nil {
		out = append(out, `"detail":`...)
		out = append(out, raw...)
		out = append(out, ',')
	}
	return appendMeta(out, rid, e.status)
}

func appendMeta(out []byte, rid string, status int) []byte {
	out = append(out, `"meta":{"extra":{"http_status":`...)
	out = strconv.AppendInt(out, int64(status), 10)
	out = append(out, `},"request_id":`...)
	out = wjson.AppendString(out, rid)
	return append(out, "}}"...)
}

func finish(ctx *fasthttp.RequestCtx, status int, body []byte) {
	ctx.SetStatusCode(status)
	ctx.SetContentType("application/json")
	ctx.SetBody(body)
}
