package sdk

import (
	"errors"
	"slices"

	"github.com/walkerhost/walkerhost/abi"
)

var (
	errNoEncoding = errors.New("value has no walker ABI encoding (use nil, bool, int, int64, float64, string, []any, map[string]any, Node or Edge)")
	errTooDeep    = errors.New("value nested too deeply")
)

// appendValue appends v's value encoding (ABI.md "Values"). It extends
// abi.AppendValue with the SDK's types: Node and Edge become refs, and a
// walker's *Fields keeps declaration order. Nesting is bounded, so a cyclic
// map fails instead of overflowing the stack.
func appendValue(b []byte, v any) ([]byte, error) { return appendDepth(b, v, 0) }

func appendDepth(b []byte, v any, depth int) ([]byte, error) {
	if depth > abi.MaxDepth {
		return b, errTooDeep
	}
	switch x := v.(type) {
	case Node:
		return abi.AppendRef(b, abi.Ref{Tag: abi.TagNode, Handle: x.h}), nil
	case Edge:
		return abi.AppendRef(b, abi.Ref{Tag: abi.TagEdge, Handle: x.h}), nil
	case []Node:
		b = abi.AppendListHeader(b, len(x))
		for _, n := range x {
			b = abi.AppendRef(b, abi.Ref{Tag: abi.TagNode, Handle: n.h})
		}
		return b, nil
	case []any:
		return appendList(b, x, depth)
	case map[string]any:
		return appendMap(b, x, depth)
	case *Fields:
		return x.appendTo(b)
	}
	b, err := abi.AppendValue(b, v)
	if err != nil {
		return b, errNoEncoding
	}
	return b, nil
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

// appendMap writes keys in sorted order, as abi.AppendMap does, so that
// encodings are stable.
func appendMap(b []byte, m map[string]any, depth int) ([]byte, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = abi.AppendMapHeader(b, len(keys))
	var err error
	for _, k := range keys {
		b = abi.AppendStr(b, k)
		if b, err = appendDepth(b, m[k], depth+1); err != nil {
			return b, err
		}
	}
	return b, nil
}
