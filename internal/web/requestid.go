package web

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"sync/atomic"

	"github.com/valyala/fasthttp"
)

// RequestIDHeader carries a request's id both ways.
const RequestIDHeader = "X-Request-ID"

var (
	idPrefix = func() string { b := make([]byte, 6); _, _ = rand.Read(b); return hex.EncodeToString(b) }()
	idSeq    atomic.Uint64
)

type requestIDKey struct{}

// RequestID returns the request's id: the client's X-Request-ID when it is
// sane, else a new process-unique one. It also sets the response header.
func RequestID(ctx *fasthttp.RequestCtx) string {
	if id, ok := ctx.UserValue(requestIDKey{}).(string); ok {
		return id
	}
	id := string(ctx.Request.Header.Peek(RequestIDHeader))
	if !saneID(id) {
		id = NewRequestID()
	}
	ctx.SetUserValue(requestIDKey{}, id)
	ctx.Response.Header.Set(RequestIDHeader, id)
	return id
}

// NewRequestID is a new process-unique id, for an answer given before any
// request is read.
func NewRequestID() string { return idPrefix + "-" + strconv.FormatUint(idSeq.Add(1), 36) }

func saneID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c < 0x21 || c > 0x7e {
			return false
		}
	}
	return true
}
