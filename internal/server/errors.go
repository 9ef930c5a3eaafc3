package server

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/fields"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/identity"
	"github.com/walkerhost/walkerhost/internal/sandbox"
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
		return apiError{fasthttp.StatusInternalServerError, CodeExecution, ClientText(err), nil}, true
	case errors.Is(err, sandbox.ErrUnknown), errors.Is(err, graph.ErrNotFound), errors.Is(err, graph.ErrBadID):
		return apiError{fasthttp.StatusNotFound, CodeNotFound, ClientText(err), nil}, true
	case errors.Is(err, graph.ErrDenied):
		return apiError{fasthttp.StatusForbidden, CodeForbidden, ClientText(err), nil}, true
	case errors.Is(err, identity.ErrUserExists):
		return apiError{fasthttp.StatusBadRequest, CodeUserExists, "user already exists", nil}, true
	case errors.Is(err, identity.ErrInvalidCredentials):
		return apiError{fasthttp.StatusUnauthorized, CodeUnauthorized, "Invalid credentials", nil}, true
	case errors.Is(err, identity.ErrValidation):
		return apiError{fasthttp.StatusBadRequest, CodeValidation, ClientText(err), nil}, true
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

// clientErr is an error whose message is the client's sentence as is; it
// wraps the sentinel that picks its status.
type clientErr struct {
	sentinel error
	msg      string
}

func (e *clientErr) Error() string { return e.msg }
func (e *clientErr) Unwrap() error { return e.sentinel }

// packagePrefixes start the messages of the host's packages: the log keeps
// them, a client sees the sentence after them.
var packagePrefixes = []string{
	"apps: module refused: ", "sandbox: module refused: ", "sandbox: execution failed: ",
	identity.ErrValidation.Error() + ": ", "apps: ", "sandbox: ", "graph: ", "identity: ",
}

// ClientText is err's message as a client sees it: one sentence without
// the package prefixes ("graph: ", "identity: invalid input: ", ...), and a
// module refusal as `module "x" refused: why`. A message of several lines
// (errors.Join) keeps its last, the most specific.
func ClientText(err error) string {
	msg := err.Error()
	if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
		msg = msg[i+1:]
	}
	refused := errors.Is(err, sandbox.ErrModule)
	for trimmed := true; trimmed; {
		trimmed = false
		for _, p := range packagePrefixes {
			if strings.HasPrefix(msg, p) {
				msg, trimmed = msg[len(p):], true
			}
		}
	}
	if refused && strings.HasPrefix(msg, "module ") {
		if name, rest, ok := strings.Cut(msg, ": "); ok {
			return name + " refused: " + rest
		}
	}
	return msg
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
