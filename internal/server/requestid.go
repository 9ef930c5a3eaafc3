package server

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"sync/atomic"

	"github.com/valyala/fasthttp"
)

const requestIDHeader = "X-Request-ID"

var (
	idPrefix = func() string { b := make([]byte, 6); _, _ = rand.Read(b); return hex.EncodeToString(b) }()
	idSeq    atomic.Uint64
)

type requestIDKey struct{}

// requestID returns the request's id: the client's X-Request-ID when it is
// sane, else a new process-unique one. It also sets the response header.
func requestID(ctx *fasthttp.RequestCtx) string {
	if id, ok := ctx.UserValue(requestIDKey{}).(string); ok {
		return id
	}
	id := string(ctx.Request.Header.Peek(requestIDHeader))
	if !saneID(id) {
		id = idPrefix + "-" + strconv.FormatUint(idSeq.Add(1), 36)
	}
	ctx.SetUserValue(requestIDKey{}, id)
	ctx.Response.Header.Set(requestIDHeader, id)
	return id
}

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
