package server

import (
	"errors"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/host/graph"
	"github.com/walkerhost/walkerhost/host/identity"
	"github.com/walkerhost/walkerhost/host/sandbox"
)

// limitStatus maps each limit to the status docs/ERRORS.md gives it.
var limitStatus = map[string]int{
	"time":        fasthttp.StatusGatewayTimeout,
	"concurrency": fasthttp.StatusTooManyRequests,
}

// failErr writes the envelope for err: the one mapping from errors to
// status and code.
func (s *Server) failErr(ctx *fasthttp.RequestCtx, err error) {
	var lim *sandbox.LimitError
	switch {
	case errors.As(err, &lim):
		status, ok := limitStatus[lim.Limit]
		if !ok {
			status = fasthttp.StatusInsufficientStorage
		}
		fail(ctx, status, CodeLimit, lim.Error(), map[string]string{"limit": lim.Limit, "value": lim.Value})
	case errors.Is(err, sandbox.ErrExecution):
		fail(ctx, fasthttp.StatusInternalServerError, CodeExecution, err.Error(), nil)
	case errors.Is(err, sandbox.ErrUnknown), errors.Is(err, graph.ErrNotFound), errors.Is(err, graph.ErrBadID):
		fail(ctx, fasthttp.StatusNotFound, CodeNotFound, err.Error(), nil)
	case errors.Is(err, graph.ErrDenied):
		fail(ctx, fasthttp.StatusForbidden, CodeForbidden, err.Error(), nil)
	case errors.Is(err, identity.ErrUserExists):
		fail(ctx, fasthttp.StatusBadRequest, CodeUserExists, "user already exists", nil)
	case errors.Is(err, identity.ErrInvalidCredentials):
		fail(ctx, fasthttp.StatusUnauthorized, CodeUnauthorized, "Invalid credentials", nil)
	case errors.Is(err, identity.ErrValidation):
		fail(ctx, fasthttp.StatusBadRequest, CodeValidation, err.Error(), nil)
	default:
		s.internal(ctx, err)
	}
}

// internal logs err with the request id and answers 500 without details.
func (s *Server) internal(ctx *fasthttp.RequestCtx, err error) {
	s.log.Error("internal error", "request_id", requestID(ctx), "path", string(ctx.Path()), "err", err)
	fail(ctx, fasthttp.StatusInternalServerError, CodeInternal, "internal error; see the host log for request "+requestID(ctx), nil)
}
