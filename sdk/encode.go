package sdk

import (
	"encoding/binary"
	"errors"
	"slices"

	"github.com/walkerhost/walkerhost/abi"
)

var (
	errNoEncoding = errors.New("value has no walker ABI encoding (use nil, bool, int, int64, float64, string, []any, map[string]any, Node or Edge)")
	errTooDeep    = errors.New("value nested too deeply")
)

// appendValue appends v's value encoding (ABI.md "Values"). It accepts what
// abi.AppendValue accepts plus the SDK's types: Node and Edge become refs,
// and a walker's *Fields keeps declaration order. Nesting is bounded, so a
// cyclic map fails instead of overflowing the stack.
//
// The encoder never keeps v or anything v points to: escape analysis can
// then keep a value built for Report, such as a map literal, off the heap.
// That is why it does not call abi.AppendValue, whose map encoding keeps
// the keys in a heap slice.
func appendValue(b []byte, v any) ([]byte, error) { return appendDepth(b, v, 0) }

func appendDepth(b []byte, v any, depth int) ([]byte, error) {
	if depth > abi.MaxDepth {
		return b, errTooDeep
	}
	// The commonest kinds come first, in a switch short enough to be
	// compiled to comparisons in order: a longer one becomes a binary
	// search over type hashes, which costs a jump per level, and a jump
	// costs a termination check in wasm (see the package documentation).
	switch x := v.(type) {
	case string:
		return putString(b, x), nil
	case map[string]any:
		return appendMap(b, x, depth)
	case Node:
		return putHead(b, abi.TagNode, x.h), nil
	}
	return appendOther(b, v, depth)
}

// appendOther is appendDepth for the other kinds.
func appendOther(b []byte, v any, depth int) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return abi.AppendNull(b), nil
	case bool:
		return abi.AppendBool(b, x), nil
	case int:
		return abi.AppendInt(b, int64(x)), nil
	case int64:
		return abi.AppendInt(b, x), nil
	case float64:
		return abi.AppendFloat(b, x), nil
	case []any:
		return appendList(b, x, depth)
	case Edge:
		return abi.AppendRef(b, abi.Ref{Tag: abi.TagEdge, Handle: x.h}), nil
	case []Node:
		b = abi.AppendListHeader(b, len(x))
		for _, n := range x {
			b = abi.AppendRef(b, abi.Ref{Tag: abi.TagNode, Handle: n.h})
		}
		return b, nil
	case *Fields:
		return x.appendTo(b)
	case int32:
		return abi.AppendInt(b, int64(x)), nil
	case float32:
		return abi.AppendFloat(b, float64(x)), nil
	case abi.Ref:
		return abi.AppendRef(b, x), nil
	case []string:
		b = abi.AppendListHeader(b, len(x))
		for _, s := range x {
			b = abi.AppendString(b, s)
		}
		return b, nil
	}
	return b, errNoEncoding
}

func appendList(b []byte, l []any, depth int) ([]byte, error) {
	b = abi.AppendListHeader(b, len(l))
	var err error
	for _, e := range l {
		if b, err = appendDepth(b, e, depth+1); err != nil {
			return b, err
		}
	}
	return b, nil
}

// smallMap is the size up to which appendMap sorts a map's entries in
// arrays on the stack.
const smallMap = 8

// appendMap writes keys in sorted order, as abi.AppendMap does, so that
// encodings are stable. Small maps are sorted on the stack; larger ones
// sort copies of their keys' bytes in keyBuf.
func appendMap(b []byte, m map[string]any, depth int) ([]byte, error) {
	n := len(m)
	b = putHead(b, abi.TagMap, uint32(n))
	if n == 0 {
		return b, nil
	}
	if n == 1 {
		for k, v := range m {
			return appendDepth(putKey(b, k), v, depth+1)
		}
	}
	if n > smallMap {
		return appendBigMap(b, m, depth)
	}
	var ks [smallMap]string
	var vs [smallMap]any
	i := 0
	for k, v := range m {
		if i == smallMap {
			break
		}
		ks[i], vs[i] = k, v
		i++
	}
	for j := 1; j < i; j++ {
		for l := j; l > 0 && ks[l] < ks[l-1]; l-- {
			ks[l], ks[l-1] = ks[l-1], ks[l]
			vs[l], vs[l-1] = vs[l-1], vs[l]
		}
	}
	var err error
	for j := 0; j < i; j++ {
		if b, err = appendDepth(putKey(b, ks[j]), vs[j], depth+1); err != nil {
			return b, err
		}
	}
	return b, nil
}

// keyBuf and keySpans hold the keys of the large maps being encoded, as a
// stack: each appendBigMap pushes its keys and pops them when done. Keys
// are copied as bytes, so that the encoder keeps no reference to them.
var (
	keyBuf   []byte
	keySpans [][2]int
)

func appendBigMap(b []byte, m map[string]any, depth int) ([]byte, error) {
	base, bufBase := len(keySpans), len(keyBuf)
	for k := range m {
		start := len(keyBuf)
		keyBuf = append(keyBuf, k...)
		keySpans = append(keySpans, [2]int{start, len(keyBuf)})
	}
	slices.SortFunc(keySpans[base:], func(x, y [2]int) int {
		kx, ky := keyBuf[x[0]:x[1]], keyBuf[y[0]:y[1]]
		switch {
		case string(kx) < string(ky):
			return -1
		case string(kx) > string(ky):
			return 1
		}
		return 0
	})
	var err error
	for j, top := base, len(keySpans); j < top && err == nil; j++ {
		k := keyBuf[keySpans[j][0]:keySpans[j][1]]
		b = append(binary.LittleEndian.AppendUint32(b, uint32(len(k))), k...)
		b, err = appendDepth(b, m[string(k)], depth+1)
	}
	keySpans, keyBuf = keySpans[:base], keyBuf[:bufBase]
	return b, err
}

// resetEncoder empties the key stack, which a panic may have left behind,
// and drops it if it grew too large to keep.
func resetEncoder() {
	keyBuf = keep(keyBuf)
	if cap(keySpans) > maxKeep/16 {
		keySpans = nil
	}
	keySpans = keySpans[:0]
}
