package server

import (
	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/web"
)

// ClientText is err's message as a client sees it: one sentence without
// the package prefixes ("graph: ", "identity: invalid input: ", ...), and a
// module refusal as `module "x" refused: why` (web.ClientText).
func ClientText(err error) string { return web.ClientText(err) }

// errBearer answers a request that needs a valid Bearer token.
var errBearer = &web.Error{Status: fasthttp.StatusUnauthorized, Code: CodeUnauthorized,
	Message: "a valid Bearer token is required", Challenge: "Bearer"}

// invalid is a 400 VALIDATION_ERROR with msg.
func invalid(msg string) *web.Error {
	return web.NewError(fasthttp.StatusBadRequest, CodeValidation, msg, nil)
}

// clientErr is an error whose message is the client's sentence as is; it
// wraps the sentinel that picks its status.
type clientErr struct {
	sentinel error
	msg      string
}

func (e *clientErr) Error() string { return e.msg }
func (e *clientErr) Unwrap() error { return e.sentinel }

// internalErr is an error answered as internal whatever it wraps: a step
// whose failure is the host's, never the client's (issuing a token,
// committing a run), even when the cause is an error the mapping knows.
type internalErr struct{ err error }

func (e internalErr) Error() string { return e.err.Error() }
