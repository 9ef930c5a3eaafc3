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

// clientCodes are the codes of the statuses a walker may refuse a request
// with (abi.ClientStatuses).
var clientCodes = map[int]string{
	fasthttp.StatusBadRequest:   CodeValidation,
	fasthttp.StatusUnauthorized: CodeUnauthorized,
	fasthttp.StatusForbidden:    CodeForbidden,
	fasthttp.StatusNotFound:     CodeNotFound,
	fasthttp.StatusConflict:     CodeConflict,
}

// failErr writes the envelope for err: the one mapping from errors to
// status and code.
func (s *Server) failErr(ctx *fasthttp.RequestCtx, err error) {
	var lim *sandbox.LimitError
	var refused *sandbox.ClientError
	switch {
	case errors.As(err, &refused):
		fail(ctx, refused.Status, clientCodes[refused.Status], refused.Message, nil)
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
	case errors.Is(err, identity.ErrInvalidToken):
		fail(ctx, fasthttp.StatusUnauthorized, CodeUnauthorized, "Invalid or expired token", nil)
	case errors.Is(err, identity.ErrForbidden):
		fail(ctx, fasthttp.StatusForbidden, CodeForbidden, "you may only change your own account and keys", nil)
	case errors.Is(err, identity.ErrKeyNotFound):
		fail(ctx, fasthttp.StatusNotFound, CodeNotFound, "API key not found", nil)
	case errors.Is(err, identity.ErrMissingAPIKey):
		fail(ctx, fasthttp.StatusUnauthorized, CodeUnauthorized, "the X-API-Key header is required", nil)
	case errors.Is(err, identity.ErrInvalidAPIKey):
		fail(ctx, fasthttp.StatusUnauthorized, CodeUnauthorized, "Invalid or expired API key", nil)
	case errors.Is(err, identity.ErrMissingSignature):
		fail(ctx, fasthttp.StatusUnauthorized, CodeUnauthorized, "the "+s.hook.SignatureHeader+" header is required", nil)
	case errors.Is(err, identity.ErrBadSignature):
		fail(ctx, fasthttp.StatusUnauthorized, CodeUnauthorized, "Invalid webhook signature", nil)
	case errors.Is(err, identity.ErrStaleTimestamp):
		fail(ctx, fasthttp.StatusUnauthorized, CodeUnauthorized, "X-Webhook-Timestamp is not Unix seconds within the replay window", nil)
	default:
		s.internal(ctx, err)
	}
}

// internal logs err with the request id and answers 500 without details.
func (s *Server) internal(ctx *fasthttp.RequestCtx, err error) {
	s.log.Error("internal error", "request_id", requestID(ctx), "path", string(ctx.Path()), "err", err)
	fail(ctx, fasthttp.StatusInternalServerError, CodeInternal, "internal error; see the host log for request "+requestID(ctx), nil)
}
