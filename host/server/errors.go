package server

import (
	"errors"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/host/fields"
	"github.com/walkerhost/walkerhost/host/graph"
	"github.com/walkerhost/walkerhost/host/identity"
	"github.com/walkerhost/walkerhost/host/sandbox"
)

// limitStatus maps each limit to the status docs/ERRORS.md gives it.
var limitStatus = map[string]int{
	"time":        fasthttp.StatusGatewayTimeout,
	"concurrency": fasthttp.StatusTooManyRequests,
}

// identityLimitStatus maps each identity limit to its status: a throttle
// or a count cap is the client's to wait out or fix (429), a full bcrypt
// queue is the host's (503).
var identityLimitStatus = map[string]int{
	identity.LimitLoginUser: fasthttp.StatusTooManyRequests,
	identity.LimitLoginIP:   fasthttp.StatusTooManyRequests,
	identity.LimitHashing:   fasthttp.StatusServiceUnavailable,
	identity.LimitAPIKeys:   fasthttp.StatusTooManyRequests,
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

// failErr writes the envelope for err.
func (s *Server) failErr(ctx *fasthttp.RequestCtx, err error) {
	e, ok := s.errorFor(err)
	if !ok {
		s.internal(ctx, err)
		return
	}
	var lim *identity.LimitError
	if errors.As(err, &lim) && lim.RetryAfter > 0 {
		ctx.Response.Header.Set("Retry-After", strconv.FormatInt(int64((lim.RetryAfter+time.Second-1)/time.Second), 10))
	}
	fail(ctx, e.status, e.code, e.msg, e.details)
}

// errorFor is the one mapping from errors to status and code. It returns
// false for an error that is not the client's to see: an internal error.
func (s *Server) errorFor(err error) (apiError, bool) {
	var lim *sandbox.LimitError
	var refused *sandbox.ClientError
	var schema *sandbox.SchemaError
	var idLim *identity.LimitError
	switch {
	case errors.As(err, &idLim):
		return apiError{identityLimitStatus[idLim.Limit], CodeLimit, idLim.Error(), map[string]string{"limit": idLim.Limit, "value": idLim.Value}}, true
	case errors.As(err, &refused):
		return apiError{refused.Status, clientCodes[refused.Status], refused.Message, nil}, true
	case errors.As(err, &lim):
		status, ok := limitStatus[lim.Limit]
		if !ok {
			status = fasthttp.StatusInsufficientStorage
		}
		return apiError{status, CodeLimit, lim.Error(), map[string]string{"limit": lim.Limit, "value": lim.Value}}, true
	case errors.As(err, &schema):
		return apiError{fasthttp.StatusUnprocessableEntity, CodeValidation, schema.Error(),
			[]fields.Error{{Loc: []any{schema.Kind, schema.Type, schema.Field}, Type: schema.Reason, Msg: schema.Error()}}}, true
	case errors.Is(err, sandbox.ErrExecution):
		return apiError{fasthttp.StatusInternalServerError, CodeExecution, err.Error(), nil}, true
	case errors.Is(err, sandbox.ErrUnknown), errors.Is(err, graph.ErrNotFound), errors.Is(err, graph.ErrBadID):
		return apiError{fasthttp.StatusNotFound, CodeNotFound, err.Error(), nil}, true
	case errors.Is(err, graph.ErrDenied):
		return apiError{fasthttp.StatusForbidden, CodeForbidden, err.Error(), nil}, true
	case errors.Is(err, identity.ErrUserExists):
		return apiError{fasthttp.StatusBadRequest, CodeUserExists, "user already exists", nil}, true
	case errors.Is(err, identity.ErrInvalidCredentials):
		return apiError{fasthttp.StatusUnauthorized, CodeUnauthorized, "Invalid credentials", nil}, true
	case errors.Is(err, identity.ErrValidation):
		return apiError{fasthttp.StatusBadRequest, CodeValidation, err.Error(), nil}, true
	case errors.Is(err, identity.ErrInvalidToken):
		return apiError{fasthttp.StatusUnauthorized, CodeUnauthorized, "Invalid or expired token", nil}, true
	case errors.Is(err, identity.ErrForbidden):
		return apiError{fasthttp.StatusForbidden, CodeForbidden, "you may only change your own account and keys", nil}, true
	case errors.Is(err, identity.ErrKeyNotFound):
		return apiError{fasthttp.StatusNotFound, CodeNotFound, "API key not found", nil}, true
	case errors.Is(err, identity.ErrMissingAPIKey):
		return apiError{fasthttp.StatusUnauthorized, CodeUnauthorized, "the X-API-Key header is required", nil}, true
	case errors.Is(err, identity.ErrInvalidAPIKey):
		return apiError{fasthttp.StatusUnauthorized, CodeUnauthorized, "Invalid or expired API key", nil}, true
	case errors.Is(err, identity.ErrMissingSignature):
		return apiError{fasthttp.StatusUnauthorized, CodeUnauthorized, "the " + s.hook.SignatureHeader + " header is required", nil}, true
	case errors.Is(err, identity.ErrBadSignature):
		return apiError{fasthttp.StatusUnauthorized, CodeUnauthorized, "Invalid webhook signature", nil}, true
	case errors.Is(err, identity.ErrMissingTimestamp):
		return apiError{fasthttp.StatusUnauthorized, CodeUnauthorized, "the X-Webhook-Timestamp header is required: Unix seconds, signed with the body as \"{timestamp}.{body}\"", nil}, true
	case errors.Is(err, identity.ErrReplay):
		return apiError{fasthttp.StatusConflict, CodeConflict, "this signed webhook request was already received; sign each delivery with a fresh X-Webhook-Timestamp", nil}, true
	case errors.Is(err, identity.ErrStaleTimestamp):
		return apiError{fasthttp.StatusUnauthorized, CodeUnauthorized, "X-Webhook-Timestamp is not Unix seconds within the replay window", nil}, true
	}
	return apiError{}, false
}

// internal logs err with the request id and answers 500 without details.
func (s *Server) internal(ctx *fasthttp.RequestCtx, err error) {
	e := s.internalError(requestID(ctx), string(ctx.Path()), err)
	fail(ctx, e.status, e.code, e.msg, e.details)
}

// internalError logs err and returns the 500 answer that points to the log.
func (s *Server) internalError(rid, path string, err error) apiError {
	s.log.Error("internal error", "request_id", rid, "path", path, "err", err)
	return apiError{fasthttp.StatusInternalServerError, CodeInternal, "internal error; see the host log for request " + rid, nil}
}
