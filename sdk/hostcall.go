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

// callVar runs a host function with a variable-size result (ABI.md "Host
// imports"): the host writes the result into scratch when it fits, else it
// keeps it pending and returns its length, and result_take fetches it into a
// scratch grown to that length. The result is valid until the next call.
func callVar(op string, call func(buf []byte) int32) ([]byte, error) {
	n := call(scratch)
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

// takeVar is callVar for error_take, whose own failure is not an errno of
// the request (it never replaces the message being taken).
func takeVar(call func(buf []byte) int32) ([]byte, bool) {
	n := call(scratch)
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

// send encodes v into enc and passes the bytes to a host function.
func send(op string, v any, call func(b []byte) int32) (int32, error) {
	b, err := appendValue(enc[:0], v)
	if err != nil {
		return 0, err
	}
	n := call(b)
	enc = keep(b)
	if n < 0 {
		return n, hostErr(op, n)
	}
	return n, nil
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
