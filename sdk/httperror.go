package sdk

import (
	"errors"
	"slices"

	"github.com/walkerhost/walkerhost/abi"
)

// HTTPError is an error a walker or function returns to refuse a request
// with a client error status instead of 500 EXECUTION_ERROR, as FastAPI's
// HTTPException does. Status is one of abi.ClientStatuses (400, 401, 403,
// 404, 409); the host answers with it, the matching code and Message. The
// walker's graph writes are rolled back, as for any failure.
type HTTPError struct {
	Status  int
	Message string
}

// Error returns the message.
func (e *HTTPError) Error() string { return e.Message }

// Fail returns an *HTTPError with status and msg.
func Fail(status int, msg string) error { return &HTTPError{Status: status, Message: msg} }

// NotFound returns an *HTTPError with status 404 and msg.
func NotFound(msg string) error { return Fail(404, msg) }

// failure is what failed passes to output for err: {"status", "message"}
// for an *HTTPError with a client status, else the message.
func failure(err error) any {
	var he *HTTPError
	if errors.As(err, &he) && slices.Contains(abi.ClientStatuses, he.Status) {
		return map[string]any{"status": he.Status, "message": he.Message}
	}
	return err.Error()
}
