package abi

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
)

// Value tags. A value is one tag byte followed by its payload; integers are
// little-endian. See ABI.md "Values".
const (
	TagNull   byte = 0 // no payload
	TagFalse  byte = 1 // no payload
	TagTrue   byte = 2 // no payload
	TagInt    byte = 3 // i64
	TagFloat  byte = 4 // f64 bits
	TagString byte = 5 // u32 length, UTF-8 bytes
	TagList   byte = 6 // u32 count, count values
	TagMap    byte = 7 // u32 count, count (string key without tag, value) pairs
	TagNode   byte = 8 // u32 handle of a node issued to this request
	TagEdge   byte = 9 // u32 handle of an edge issued to this request
)

// MaxDepth bounds the nesting of lists and maps a decoder accepts.
const MaxDepth = 64

// Ref is a node or edge handle inside a value (TagNode or TagEdge). Refs are
// meaningful only within the request that issued the handle.
type Ref struct {
	Tag    byte
	Handle uint32
}

// Decoding errors.
var (
	ErrTruncated = errors.New("abi: value truncated")
	ErrBadTag    = errors.New("abi: unknown value tag")
	ErrTooDeep   = errors.New("abi: value nested too deeply")
	ErrTrailing  = errors.New("abi: trailing bytes after value")
	ErrGoType    = errors.New("abi: Go type has no value encoding")
)

// AppendNull appends a null value.
func AppendNull(b []byte) []byte { return append(b, TagNull) }

// AppendBool appends a boolean value.
func AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, TagTrue)
	}
	return append(b, TagFalse)
}

// AppendInt appends an integer value.
func AppendInt(b []byte, v int64) []byte {
	return binary.LittleEndian.AppendUint64(append(b, TagInt), uint64(v))
}

// AppendFloat appends a floating-point value.
func AppendFloat(b []byte, v float64) []byte {
	return binary.LittleEndian.AppendUint64(append(b, TagFloat), math.Float64bits(v))
}

// AppendString appends a string value.
func AppendString(b []byte, s string) []byte { return AppendStr(append(b, TagString), s) }

// AppendStr appends an untagged string (u32 length + bytes), the form used
// for map keys and record fields.
func AppendStr(b []byte, s string) []byte {
	return append(binary.LittleEndian.AppendUint32(b, uint32(len(s))), s...)
}

// AppendU32 appends an untagged little-endian u32, the form used in records.
func AppendU32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }

// AppendListHeader starts a list of n values; the caller appends them.
func AppendListHeader(b []byte, n int) []byte { return AppendU32(append(b, TagList), uint32(n)) }

// AppendMapHeader starts a map of n entries; the caller appends each as
// AppendStr(key) followed by a value.
func AppendMapHeader(b []byte, n int) []byte { return AppendU32(append(b, TagMap), uint32(n)) }

// AppendRef appends a node or edge handle.
func AppendRef(b []byte, r Ref) []byte { return AppendU32(append(b, r.Tag), r.Handle) }

// AppendValue appends the encoding of a Go value built from nil, bool, int,
// int32, int64, float32, float64, string, []any, []string, map[string]any and
// Ref. Map keys are written in sorted order so that encodings are stable.
func AppendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return AppendNull(b), nil
	case bool:
		return AppendBool(b, x), nil
	case int:
		return AppendInt(b, int64(x)), nil
	case int32:
		return AppendInt(b, int64(x)), nil
	case int64:
		return AppendInt(b, x), nil
	case float32:
		return AppendFloat(b, float64(x)), nil
	case float64:
		return AppendFloat(b, x), nil
	case string:
		return AppendString(b, x), nil
	case Ref:
		return AppendRef(b, x), nil
	case []string:
		b = AppendListHeader(b, len(x))
		for _, s := range x {
			b = AppendString(b, s)
		}
		return b, nil
	case []any:
		b = AppendListHeader(b, len(x))
		var err error
		for _, e := range x {
			if b, err = AppendValue(b, e); err != nil {
				return b, err
			}
		}
		return b, nil
	case map[string]any:
		return AppendMap(b, x)
	}
	return b, ErrGoType
}

// AppendMap appends a map value with its keys in sorted order.
func AppendMap(b []byte, m map[string]any) ([]byte, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = AppendMapHeader(b, len(keys))
	var err error
	for _, k := range keys {
		b = AppendStr(b, k)
		if b, err = AppendValue(b, m[k]); err != nil {
			return b, err
		}
	}
	return b, nil
}

// Reader decodes values and record fields from a byte slice. The first
// error sticks: later reads return zero values and Err reports it.
type Reader struct {
	buf []byte
	off int
	err error
}

// NewReader returns a Reader over b. It does not copy b; strings it returns
// are copies.
func NewReader(b []byte) *Reader { return &Reader{buf: b} }

// Reset points the reader at b, clearing any error.
func (r *Reader) Reset(b []byte) { *r = Reader{buf: b} }

// Err returns the first error met, if any.
func (r *Reader) Err() error { return r.err }

// Len returns the number of unread bytes.
func (r *Reader) Len() int { return len(r.buf) - r.off }

// Done returns ErrTrailing if bytes remain, else the sticky error.
func (r *Reader) Done() error {
	if r.err == nil && r.off != len(r.buf) {
		r.err = ErrTrailing
	}
	return r.err
}

func (r *Reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.buf)-r.off {
		r.err = ErrTruncated
		return nil
	}
	b := r.buf[r.off : r.off+n]
	r.off += n
	return b
}

// Byte reads one byte.
func (r *Reader) Byte() byte {
	if b := r.take(1); b != nil {
		return b[0]
	}
	return 0
}

// U32 reads an untagged u32.
func (r *Reader) U32() uint32 {
	if b := r.take(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

// U64 reads an untagged u64, the payload of TagInt and TagFloat.
func (r *Reader) U64() uint64 {
	if b := r.take(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

// StrBytes reads an untagged string without copying it.
func (r *Reader) StrBytes() []byte { return r.take(int(r.U32())) }

// Str reads an untagged string.
func (r *Reader) Str() string { return string(r.StrBytes()) }

// count reads a list or map count and rejects counts that cannot fit in the
// remaining bytes, so a hostile count never drives a large allocation.
func (r *Reader) count(minElem int) int {
	n := int(r.U32())
	if r.err == nil && n > r.Len()/minElem {
		r.err = ErrTruncated
		return 0
	}
	return n
}

// Value decodes one value into the Go form AppendValue accepts: nil, bool,
// int64, float64, string, []any, map[string]any or Ref.
func (r *Reader) Value() any { return r.value(0) }

func (r *Reader) value(depth int) any {
	if depth > MaxDepth {
		r.fail(ErrTooDeep)
		return nil
	}
	switch tag := r.Byte(); tag {
	case TagNull:
		return nil
	case TagFalse:
		return false
	case TagTrue:
		return true
	case TagInt:
		return int64(r.U64())
	case TagFloat:
		return math.Float64frombits(r.U64())
	case TagString:
		return r.Str()
	case TagList:
		n := r.count(1)
		l := make([]any, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			l = append(l, r.value(depth+1))
		}
		return l
	case TagMap:
		n := r.count(5)
		m := make(map[string]any, n)
		for i := 0; i < n && r.err == nil; i++ {
			k := r.Str()
			m[k] = r.value(depth + 1)
		}
		return m
	case TagNode, TagEdge:
		return Ref{Tag: tag, Handle: r.U32()}
	default:
		r.fail(ErrBadTag)
		return nil
	}
}

// Skip advances past one value without building it and returns its bytes.
func (r *Reader) Skip() []byte {
	start := r.off
	r.skip(0)
	if r.err != nil {
		return nil
	}
	return r.buf[start:r.off]
}

func (r *Reader) skip(depth int) {
	if depth > MaxDepth {
		r.fail(ErrTooDeep)
		return
	}
	switch r.Byte() {
	case TagNull, TagFalse, TagTrue:
	case TagInt, TagFloat:
		r.take(8)
	case TagString:
		r.StrBytes()
	case TagList:
		n := r.count(1)
		for i := 0; i < n && r.err == nil; i++ {
			r.skip(depth + 1)
		}
	case TagMap:
		n := r.count(5)
		for i := 0; i < n && r.err == nil; i++ {
			r.StrBytes()
			r.skip(depth + 1)
		}
	case TagNode, TagEdge:
		r.take(4)
	default:
		r.fail(ErrBadTag)
	}
}

// Peek returns the tag of the next value without consuming it, or 0xFF at
// the end of input.
func (r *Reader) Peek() byte {
	if r.err != nil || r.off >= len(r.buf) {
		return 0xFF
	}
	return r.buf[r.off]
}

func (r *Reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// DecodeValue decodes exactly one value from b.
func DecodeValue(b []byte) (any, error) {
	r := NewReader(b)
	v := r.Value()
	return v, r.Done()
}

// HasRef reports whether a decoded value holds a Ref anywhere; stored fields
// must not, since handles die with their request.
func HasRef(v any) bool {
	switch x := v.(type) {
	case Ref:
		return true
	case []any:
		return slices.ContainsFunc(x, HasRef)
	case map[string]any:
		for _, e := range x {
			if HasRef(e) {
				return true
			}
		}
	}
	return false
}
