package sdk

import "errors"

// maxKeep bounds the buffers kept between calls: one huge result or value
// should not pin its memory for the life of the instance.
const maxKeep = 1 << 20

// scratch receives variable-size results; enc holds values on their way to
// the host. Both are reused across calls and requests.
var (
	scratch = make([]byte, 4096)
	enc     []byte
)

// varResult completes a host call with a variable-size result (ABI.md "Host
// imports") that was passed scratch and returned n: the host wrote the
// result into scratch when it fitted, else it keeps it pending and returned
// its length, and result_take fetches it into a scratch grown to that
// length. The result is valid until the next call.
func varResult(op string, n int32) ([]byte, error) {
	if n < 0 {
		return nil, hostErr(op, n)
	}
	if int(n) > len(scratch) {
		scratch = make([]byte, n)
		if n = hostResultTake(scratch); n < 0 {
			return nil, hostErr("result_take", n)
		}
	}
	if int(n) > len(scratch) {
		return nil, errMalformed(op)
	}
	return scratch[:n], nil
}

// takeError is varResult for error_take, whose own failure is not an errno
// of the request (it never replaces the message being taken).
func takeError() ([]byte, bool) {
	n := hostErrorTake(scratch)
	if n < 0 {
		return nil, false
	}
	if int(n) > len(scratch) {
		scratch = make([]byte, n)
		if n = hostResultTake(scratch); n < 0 || int(n) > len(scratch) {
			return nil, false
		}
	}
	return scratch[:n], true
}

// keep returns b emptied for reuse, or nil when it grew too large to keep.
func keep(b []byte) []byte {
	if cap(b) > maxKeep {
		return nil
	}
	return b[:0]
}

// errMalformed reports a result the SDK cannot decode: a host/guest mismatch.
func errMalformed(op string) error { return errors.New(op + ": malformed result from host") }
