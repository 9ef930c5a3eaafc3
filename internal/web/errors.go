package web

import (
	"errors"
	"log/slog"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/fields"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/identity"
	"github.com/walkerhost/walkerhost/internal/sandbox"
)

// Error is an answer of the error envelope: what a handler returns when it
// knows the status, code and sentence the client gets. Err, when set, is
// the cause, kept for errors.Is and the log.
type Error struct {
	Status     int
	Code       string
	Message    string        // one sentence for the client
	Details    any           // error.details, when not nil
	RetryAfter time.Duration // sets Retry-After, rounded up to seconds, when positive
	Challenge  string        // sets WWW-Authenticate, when not empty
	Err        error
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.Err }

// NewError is an Error without a cause.
func NewError(status int, code, msg string, details any) *Error {
	return &Error{Status: status, Code: code, Message: msg, Details: details}
}

// Kind is a sentinel error that carries the status and code of every error
// wrapping it, so that a package's own sentinels (internal/apps) map to their
// answers without this package knowing them. The client reads the wrapping
// error's ClientText.
type Kind struct {
	status int
	code   string
	text   string
}

// NewKind returns a sentinel answered with status and code.
func NewKind(status int, code, text string) *Kind { return &Kind{status, code, text} }

func (k *Kind) Error() string { return k.text }

// limitStatus maps each run-time limit to the status docs/ERRORS.md gives
// it; the others are 507.
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

// fixed are the errors answered with a sentence of their own.
var fixed = []struct {
	err error
	ans Error
}{
	{identity.ErrUserExists, Error{Status: fasthttp.StatusBadRequest, Code: CodeUserExists, Message: "user already exists"}},
	{identity.ErrInvalidCredentials, Error{Status: fasthttp.StatusUnauthorized, Code: CodeUnauthorized, Message: "Invalid credentials"}},
	{identity.ErrInvalidToken, Error{Status: fasthttp.StatusUnauthorized, Code: CodeUnauthorized, Message: "Invalid or expired token"}},
	{identity.ErrForbidden, Error{Status: fasthttp.StatusForbidden, Code: CodeForbidden, Message: "you may only change your own account and keys"}},
	{identity.ErrKeyNotFound, Error{Status: fasthttp.StatusNotFound, Code: CodeNotFound, Message: "API key not found"}},
	{identity.ErrMissingAPIKey, Error{Status: fasthttp.StatusUnauthorized, Code: CodeUnauthorized, Message: "the X-API-Key header is required"}},
	{identity.ErrInvalidAPIKey, Error{Status: fasthttp.StatusUnauthorized, Code: CodeUnauthorized, Message: "Invalid or expired API key"}},
	{identity.ErrMissingSignature, Error{Status: fasthttp.StatusUnauthorized, Code: CodeUnauthorized, Message: "the webhook signature header is required"}},
	{identity.ErrBadSignature, Error{Status: fasthttp.StatusUnauthorized, Code: CodeUnauthorized, Message: "Invalid webhook signature"}},
	{identity.ErrMissingTimestamp, Error{Status: fasthttp.StatusUnauthorized, Code: CodeUnauthorized,
		Message: "the X-Webhook-Timestamp header is required: Unix seconds, signed with the body as \"{timestamp}.{body}\""}},
	{identity.ErrReplay, Error{Status: fasthttp.StatusConflict, Code: CodeConflict,
		Message: "this signed webhook request was already received; sign each delivery with a fresh X-Webhook-Timestamp"}},
	{identity.ErrStaleTimestamp, Error{Status: fasthttp.StatusUnauthorized, Code: CodeUnauthorized,
		Message: "X-Webhook-Timestamp is not Unix seconds within the replay window"}},
}

// ErrorFor is the one mapping from errors to answers, for every route. It
// returns false for an error that is not the client's to see: an internal
// error, which Boundary logs and answers 500.
func ErrorFor(err error) (*Error, bool) {
	var (
		ans     *Error
		idLim   *identity.LimitError
		refused *sandbox.ClientError
		lim     *sandbox.LimitError
		schema  *sandbox.SchemaError
		kind    *Kind
	)
	switch {
	case errors.As(err, &ans):
		return ans, true
	case errors.As(err, &idLim):
		return &Error{Status: identityLimitStatus[idLim.Limit], Code: CodeLimit, Message: idLim.Error(),
			Details: map[string]string{"limit": idLim.Limit, "value": idLim.Value}, RetryAfter: idLim.RetryAfter}, true
	case errors.As(err, &refused):
		return &Error{Status: refused.Status, Code: clientCodes[refused.Status], Message: refused.Message}, true
	case errors.As(err, &lim) && (lim.Limit == "compiles" || errors.Is(err, sandbox.ErrModule)):
		// A module refused at load: over a load-time bound (413), or every
		// compilation slot and the queue taken (429, worth retrying).
		e := &Error{Status: fasthttp.StatusRequestEntityTooLarge, Code: CodeLimit, Message: err.Error(),
			Details: map[string]string{"limit": lim.Limit, "value": lim.Value}}
		if lim.Limit == "compiles" {
			e.Status, e.RetryAfter = fasthttp.StatusTooManyRequests, time.Second
		}
		return e, true
	case errors.As(err, &lim):
		status, ok := limitStatus[lim.Limit]
		if !ok {
			status = fasthttp.StatusInsufficientStorage
		}
		return &Error{Status: status, Code: CodeLimit, Message: lim.Error(), Details: map[string]string{"limit": lim.Limit, "value": lim.Value}}, true
	case errors.As(err, &schema):
		return &Error{Status: fasthttp.StatusUnprocessableEntity, Code: CodeValidation, Message: schema.Error(),
			Details: []fields.Error{{Loc: []any{schema.Kind, schema.Type, schema.Field}, Type: schema.Reason, Msg: schema.Error()}}}, true
	case errors.Is(err, sandbox.ErrExecution):
		return &Error{Status: fasthttp.StatusInternalServerError, Code: CodeExecution, Message: ClientText(err)}, true
	case errors.Is(err, sandbox.ErrUnknown), errors.Is(err, graph.ErrNotFound), errors.Is(err, graph.ErrBadID):
		return &Error{Status: fasthttp.StatusNotFound, Code: CodeNotFound, Message: ClientText(err)}, true
	case errors.Is(err, graph.ErrDenied):
		return &Error{Status: fasthttp.StatusForbidden, Code: CodeForbidden, Message: ClientText(err)}, true
	case errors.Is(err, identity.ErrValidation):
		return &Error{Status: fasthttp.StatusBadRequest, Code: CodeValidation, Message: ClientText(err)}, true
	case errors.As(err, &kind):
		return &Error{Status: kind.status, Code: kind.code, Message: ClientText(err)}, true
	case errors.Is(err, sandbox.ErrModule):
		return &Error{Status: fasthttp.StatusUnprocessableEntity, Code: CodeValidation, Message: ClientText(err)}, true
	}
	for i := range fixed {
		if errors.Is(err, fixed[i].err) {
			e := fixed[i].ans
			return &e, true
		}
	}
	return nil, false
}

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

// Handler is a route's handler: it writes the answer of a success, and
// returns the error of a failure for Boundary to answer.
type Handler func(ctx *fasthttp.RequestCtx) error

// Boundary is where errors become answers: the one place that writes the
// error envelope of a request.
type Boundary struct {
	Log *slog.Logger
}

// Handle makes h a fasthttp handler whose errors the boundary answers.
func (b Boundary) Handle(h Handler) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		if err := h(ctx); err != nil {
			b.Answer(ctx, err)
		}
	}
}

// Answer writes the error envelope for err: its mapped answer, or for an
// internal error a 500 pointing to the log line it writes.
func (b Boundary) Answer(ctx *fasthttp.RequestCtx, err error) {
	rid := RequestID(ctx)
	e, ok := ErrorFor(err)
	if !ok {
		e = b.Internal(rid, string(ctx.Path()), err)
	}
	if e.RetryAfter > 0 {
		ctx.Response.Header.Set("Retry-After", strconv.FormatInt(int64((e.RetryAfter+time.Second-1)/time.Second), 10))
	}
	if e.Challenge != "" {
		ctx.Response.Header.Set("WWW-Authenticate", e.Challenge)
	}
	buf := GetBuf()
	out := AppendFail(*buf, rid, e)
	Finish(ctx, e.Status, out)
	*buf = out
	PutBuf(buf)
}

// Internal logs err and returns the 500 answer that points to the log.
func (b Boundary) Internal(rid, path string, err error) *Error {
	b.Log.Error("internal error", "request_id", rid, "path", path, "err", err)
	return &Error{Status: fasthttp.StatusInternalServerError, Code: CodeInternal, Message: "internal error; see the host log for request " + rid}
}

// Panicked answers a handler's panic, a defect of the host: it is logged
// with its stack, the answer so far is dropped, and the process serves on.
// It is a router's PanicHandler.
func (b Boundary) Panicked(ctx *fasthttp.RequestCtx, v any) {
	rid := RequestID(ctx)
	b.Log.Error("handler panic", "request_id", rid, "path", string(ctx.Path()), "panic", v, "stack", string(debug.Stack()))
	ctx.Response.ResetBody()
	b.Answer(ctx, NewError(fasthttp.StatusInternalServerError, CodeInternal, "internal error", nil))
}
