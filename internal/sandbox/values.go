package sandbox

import (
	"errors"
	"strconv"

	"github.com/walkerhost/walkerhost/abi"
)

var (
	errBadValue = errors.New("sandbox: malformed value (abi/ABI.md \"Values\")")
	errNotMap   = errors.New("sandbox: fields must be a map value")
)

// value returns the bytes of exactly one well-formed value read from guest
// memory, or nil.
func (s *session) value(fn string, ptr, n uint32) []byte {
	var r abi.Reader
	r.Reset(s.read(fn, ptr, n))
	v := r.Skip()
	if r.Done() != nil {
		return nil
	}
	return v
}

// fields decodes a map value from guest memory for storing in an object.
func (s *session) fields(fn string, ptr, n uint32) (map[string]any, error) {
	if n == 0 {
		return nil, nil
	}
	v, err := abi.DecodeValue(s.read(fn, ptr, n))
	if err != nil {
		return nil, errBadValue
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errNotMap
	}
	return m, nil // the graph refuses handles (abi.Ref) inside fields
}

// charge counts n bytes of reports or output against the limit.
func (s *session) charge(n int) {
	s.outBytes += n
	if max := s.limits().MaxReportBytes; s.outBytes > max {
		s.stop(&LimitError{Limit: "report_bytes", Value: strconv.Itoa(max) + " bytes"})
	}
}

// chargeExpansion counts n bytes a node or edge handle expanded to in a
// report against the limit. It runs after the guest returned (or inside a
// host call for streamed reports), so it returns the error instead of
// stopping the guest.
func (s *session) chargeExpansion(n int) error {
	s.outBytes += n
	if max := s.limits().MaxReportBytes; s.outBytes > max {
		return &LimitError{Limit: "report_bytes", Value: strconv.Itoa(max) + " bytes"}
	}
	return nil
}
