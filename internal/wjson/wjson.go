// Package wjson transcodes ABI values (abi/ABI.md "Values") to JSON without
// building Go values in between; it is on the response path of every request.
package wjson

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/walkerhost/walkerhost/abi"
)

// RefFunc appends the JSON for a node or edge handle found in a value.
type RefFunc func(dst []byte, ref abi.Ref) ([]byte, error)

// ErrRef is returned for a node or edge tag when no RefFunc was given.
var ErrRef = errors.New("wjson: node or edge reference not allowed here")

// Append transcodes the next value of r to JSON and appends it to dst.
// Refs are expanded through ref, which may be nil when refs are not allowed.
func Append(dst []byte, r *abi.Reader, ref RefFunc) ([]byte, error) {
	return appendValue(dst, r, ref, 0)
}

func appendValue(dst []byte, r *abi.Reader, ref RefFunc, depth int) ([]byte, error) {
	if depth > abi.MaxDepth {
		return dst, abi.ErrTooDeep
	}
	switch tag := r.Byte(); tag {
	case abi.TagNull:
		dst = append(dst, "null"...)
	case abi.TagFalse:
		dst = append(dst, "false"...)
	case abi.TagTrue:
		dst = append(dst, "true"...)
	case abi.TagInt, abi.TagFloat, abi.TagString, abi.TagNode, abi.TagEdge:
		return appendScalar(dst, r, ref, tag)
	case abi.TagList:
		return appendList(dst, r, ref, depth)
	case abi.TagMap:
		return appendMap(dst, r, ref, depth)
	default:
		if r.Err() != nil {
			return dst, r.Err()
		}
		return dst, abi.ErrBadTag
	}
	return dst, r.Err()
}

func appendScalar(dst []byte, r *abi.Reader, ref RefFunc, tag byte) ([]byte, error) {
	switch tag {
	case abi.TagInt:
		dst = strconv.AppendInt(dst, int64(r.U64()), 10)
	case abi.TagFloat:
		dst = AppendFloat(dst, math.Float64frombits(r.U64()))
	case abi.TagString:
		b := r.StrBytes()
		dst = AppendString(dst, unsafe.String(unsafe.SliceData(b), len(b)))
	default:
		h := r.U32()
		if r.Err() != nil {
			return dst, r.Err()
		}
		if ref == nil {
			return dst, ErrRef
		}
		return ref(dst, abi.Ref{Tag: tag, Handle: h})
	}
	return dst, r.Err()
}

func appendList(dst []byte, r *abi.Reader, ref RefFunc, depth int) ([]byte, error) {
	n := int(r.U32())
	if n > r.Len() {
		return dst, abi.ErrTruncated
	}
	dst = append(dst, '[')
	var err error
	for i := 0; i < n; i++ {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = appendValue(dst, r, ref, depth+1); err != nil {
			return dst, err
		}
	}
	return append(dst, ']'), r.Err()
}

func appendMap(dst []byte, r *abi.Reader, ref RefFunc, depth int) ([]byte, error) {
	n := int(r.U32())
	if n > r.Len()/5 {
		return dst, abi.ErrTruncated
	}
	dst = append(dst, '{')
	var err error
	for i := 0; i < n; i++ {
		if i > 0 {
			dst = append(dst, ',')
		}
		k := r.StrBytes()
		dst = AppendString(dst, unsafe.String(unsafe.SliceData(k), len(k)))
		dst = append(dst, ':')
		if dst, err = appendValue(dst, r, ref, depth+1); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), r.Err()
}

// AppendFloat appends f as a JSON number; NaN and infinities become null.
func AppendFloat(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		return strconv.AppendFloat(dst, f, 'e', -1, 64)
	}
	return strconv.AppendFloat(dst, f, 'f', -1, 64)
}

const hex = "0123456789abcdef"

// AppendString appends s as a quoted JSON string; invalid UTF-8 becomes U+FFFD.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			dst = appendEscape(dst, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func appendEscape(dst []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\n':
		return append(dst, `\n`...)
	case '\r':
		return append(dst, `\r`...)
	case '\t':
		return append(dst, `\t`...)
	}
	return append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
}

// AppendAny appends the JSON for a Go value of the forms abi.DecodeValue
// produces (nil, bool, int64, float64, string, []any, map[string]any, with
// map keys sorted); anything else becomes null.
func AppendAny(dst []byte, v any) []byte {
	switch x := v.(type) {
	case bool:
		return strconv.AppendBool(dst, x)
	case int64:
		return strconv.AppendInt(dst, x, 10)
	case int:
		return strconv.AppendInt(dst, int64(x), 10)
	case float64:
		return AppendFloat(dst, x)
	case string:
		return AppendString(dst, x)
	case []any:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendAny(dst, e)
		}
		return append(dst, ']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendString(dst, k)
			dst = append(dst, ':')
			dst = AppendAny(dst, x[k])
		}
		return append(dst, '}')
	}
	return append(dst, "null"...)
}
