package fakehost

import (
	"errors"

	"github.com/walkerhost/walkerhost/abi"
)

// The fake storage and key-value stores keep their data in memory and
// follow ABI.md "Storage" and "Key-value stores" closely enough for unit
// tests of guests; the real host runs against a filesystem, Redis and
// MongoDB, and its black-box tests are the reference.

// Upload is a file sent with the request, for a field of type file. Its
// upload id is its position in Host.Uploads plus one.
type Upload struct {
	Name, ContentType string
	Data              []byte
}

// errArgs is an argument list of the wrong shape.
var errArgs = errors.New("malformed arguments")

// callArgs decodes the list value of a service call.
func callArgs(b []byte) ([]any, error) {
	v, err := abi.DecodeValue(b)
	l, ok := v.([]any)
	if err != nil || !ok {
		return nil, errArgs
	}
	return l, nil
}

// reply delivers a service call's result value.
func (h *Host) reply(v any, buf []byte) int32 {
	b, err := abi.AppendValue(h.out[:0], v)
	if err != nil {
		return h.fail(abi.ErrBadArgument, "result: "+err.Error())
	}
	h.out = b
	return h.result(b, buf)
}

// UploadRead is upload_read.
func (h *Host) UploadRead(id uint32, offset int64, buf []byte) int32 {
	if id == 0 || int(id) > len(h.Uploads) {
		return h.fail(abi.ErrNotFound, "no upload with this id in this request")
	}
	if offset < 0 {
		return h.fail(abi.ErrBadArgument, "negative offset")
	}
	data := h.Uploads[id-1].Data
	if offset >= int64(len(data)) {
		return 0
	}
	return int32(copy(buf, data[offset:]))
}

// argument accessors: each returns ok false for the wrong kind.

func str(l []any, i int) (string, bool) {
	if i >= len(l) {
		return "", false
	}
	s, ok := l[i].(string)
	return s, ok
}

func integer(l []any, i int) (int64, bool) {
	if i >= len(l) {
		return 0, false
	}
	n, ok := l[i].(int64)
	return n, ok
}
