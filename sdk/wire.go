package sdk

import (
	"encoding/binary"
	"math"

	"github.com/walkerhost/walkerhost/abi"
)

// Direct readers of encoded values (ABI.md "Values") for the per-request
// path. They index the bytes instead of going through abi.Reader, so that
// validating a record or a query result costs no allocation and few calls,
// which matters in wasm. They accept exactly what abi.Reader accepts.

func le32(b []byte, i int) uint32 { return binary.LittleEndian.Uint32(b[i : i+4]) }

func le64(b []byte, i int) uint64 { return binary.LittleEndian.Uint64(b[i : i+8]) }

// skipStr returns the offset after the untagged string at b[i:], or -1 when
// it is truncated.
func skipStr(b []byte, i int) int {
	if i < 0 || len(b)-i < 4 {
		return -1
	}
	n := int(le32(b, i))
	i += 4
	if n > len(b)-i {
		return -1
	}
	return i + n
}

// strAt returns the bytes of the untagged string at b[i:], which must have
// been validated.
func strAt(b []byte, i int) []byte {
	n := int(le32(b, i))
	return b[i+4 : i+4+n]
}

// countAt reads a list or map count at b[i:] and rejects one that cannot
// fit in the bytes after it, as abi.Reader does: minElem is the least size
// of one element. It returns the count and the offset after it, or -1.
func countAt(b []byte, i, minElem int) (int, int) {
	if len(b)-i < 4 {
		return 0, -1
	}
	n := int(le32(b, i))
	i += 4
	if n > (len(b)-i)/minElem {
		return 0, -1
	}
	return n, i
}

// skipValue validates the value at b[i:], nested depth levels deep, and
// returns the offset after it, or -1 when abi.Reader would fail on it: an
// unknown tag, a truncation, a count larger than the bytes allow, or
// nesting deeper than abi.MaxDepth.
func skipValue(b []byte, i, depth int) int {
	if depth > abi.MaxDepth || i < 0 || i >= len(b) {
		return -1
	}
	tag := b[i]
	i++
	switch tag {
	case abi.TagNull, abi.TagFalse, abi.TagTrue:
		return i
	case abi.TagInt, abi.TagFloat:
		if len(b)-i < 8 {
			return -1
		}
		return i + 8
	case abi.TagString:
		return skipStr(b, i)
	case abi.TagList:
		n, i := countAt(b, i, 1)
		for ; n > 0; n-- {
			if i < 0 || i >= len(b) {
				return -1
			}
			i = skipElem(b, i, depth+1)
		}
		return inside(b, i)
	case abi.TagMap:
		n, i := countAt(b, i, 5)
		return skipEntries(b, i, n, depth+1)
	case abi.TagNode, abi.TagEdge:
		if len(b)-i < 4 {
			return -1
		}
		return i + 4
	}
	return -1
}

// skipMap validates a map value at b[i:] as abi.Reader reads one at the top
// of a record or a result (depth 0) and returns the offset after it, or -1.
func skipMap(b []byte, i int) int {
	if i < 0 || i >= len(b) || b[i] != abi.TagMap {
		return -1
	}
	n, i := countAt(b, i+1, 5)
	return skipEntries(b, i, n, 1)
}

// skipEntries validates n map entries at b[i:], whose values are depth
// levels deep, and returns the offset after them, or -1. Field maps are
// what the SDK validates most, so it skips their scalar values without a
// call (skipElem inlined).
func skipEntries(b []byte, i, n, depth int) int {
	for ; n > 0; n-- {
		if i < 0 || len(b)-i < 4 {
			return -1
		}
		if i += 4 + int(le32(b, i)); i >= len(b) {
			return -1 // the key runs past the end, or no value follows it
		}
		switch t := b[i]; {
		case t < abi.TagString && depth <= abi.MaxDepth:
			i += int(scalarSize[t])
		case t == abi.TagString && depth <= abi.MaxDepth && len(b)-i >= 5:
			i += 5 + int(le32(b, i+1))
		default:
			i = skipValue(b, i, depth)
		}
	}
	return inside(b, i)
}

// skipElem skips the value at b[i:], i within b, nested depth levels deep:
// scalars directly, others through skipValue. It returns -1 or an offset
// past len(b) when the value is malformed.
func skipElem(b []byte, i, depth int) int {
	switch t := b[i]; {
	case t < abi.TagString && depth <= abi.MaxDepth:
		return i + int(scalarSize[t])
	case t == abi.TagString && depth <= abi.MaxDepth && len(b)-i >= 5:
		return i + 5 + int(le32(b, i+1))
	}
	return skipValue(b, i, depth)
}

// scalarSize is the encoded size of a null, false, true, int and float.
var scalarSize = [abi.TagString]uint8{1, 1, 1, 9, 9}

// inside returns i, or -1 when it is past the end of b.
func inside(b []byte, i int) int {
	if i > len(b) {
		return -1
	}
	return i
}

// intFromFloat converts an integral float as a field of type int accepts
// it: a JSON number the host did not narrow.
func intFromFloat(x float64) (int64, bool) {
	if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
		return 0, false
	}
	return int64(x), true
}

// scalarAt decodes the scalar value (null, bool, int, float or string) at
// b[i:], which must have been validated; ok is false for other kinds.
func scalarAt(b []byte, i int) (v any, ok bool) {
	switch b[i] {
	case abi.TagNull:
		return nil, true
	case abi.TagFalse:
		return false, true
	case abi.TagTrue:
		return true, true
	case abi.TagInt:
		return int64(le64(b, i+1)), true
	case abi.TagFloat:
		return math.Float64frombits(le64(b, i+1)), true
	case abi.TagString:
		return string(strAt(b, i+1)), true
	}
	return nil, false
}

// The encoders below write a value with one capacity check, where the abi
// package's appends check once per part: in wasm each check that skips a
// growth costs a jump, and a jump costs a termination check (see the
// package documentation, "Performance").

// grow returns b with room for n more bytes.
func grow(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		return growSlow(b, n)
	}
	return b
}

func growSlow(b []byte, n int) []byte {
	c := make([]byte, len(b), 2*cap(b)+n)
	copy(c, b)
	return c
}

// putString appends a string value.
func putString(b []byte, s string) []byte {
	n := len(b)
	b = grow(b, 5+len(s))[:n+5+len(s)]
	b[n] = abi.TagString
	binary.LittleEndian.PutUint32(b[n+1:], uint32(len(s)))
	copy(b[n+5:], s)
	return b
}

// putKey appends an untagged string, a map key.
func putKey(b []byte, s string) []byte {
	n := len(b)
	b = grow(b, 4+len(s))[:n+4+len(s)]
	binary.LittleEndian.PutUint32(b[n:], uint32(len(s)))
	copy(b[n+4:], s)
	return b
}

// putHead appends a tag and a u32: a list or map header, or a ref.
func putHead(b []byte, tag byte, v uint32) []byte {
	n := len(b)
	b = grow(b, 5)[:n+5]
	b[n] = tag
	binary.LittleEndian.PutUint32(b[n+1:], v)
	return b
}
