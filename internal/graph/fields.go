package graph

import (
	"fmt"

	"github.com/walkerhost/walkerhost/abi"
)

// copyFields returns the canonical deep copy of caller-given fields, so that
// a Tx never shares a map or list with its caller. A nil value is kept (it
// means "remove" in Update).
func copyFields(in map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(in))
	for k, v := range in {
		c, err := canonical(v, 1)
		if err != nil {
			return nil, fmt.Errorf("%w: [%s]: %v", ErrBadField, k, err)
		}
		out[k] = c
	}
	return out, nil
}

// canonical converts v to the Go form a stored value decodes to, copying
// lists and maps. depth counts like abi's decoder: field values are at 1.
func canonical(v any, depth int) (any, error) {
	if depth > abi.MaxDepth {
		return nil, fmt.Errorf("nested more than %d deep", abi.MaxDepth)
	}
	switch x := v.(type) {
	case nil, bool, int64, float64, string:
		return x, nil
	case int:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case float32:
		return float64(x), nil
	case []string:
		l := make([]any, len(x))
		for i, s := range x {
			l[i] = s
		}
		return l, nil
	case []any:
		return canonicalList(x, depth)
	case map[string]any:
		return canonicalMap(x, depth)
	}
	return nil, fmt.Errorf("Go type %T cannot be stored", v)
}

func canonicalList(x []any, depth int) (any, error) {
	l := make([]any, len(x))
	for i, e := range x {
		c, err := canonical(e, depth+1)
		if err != nil {
			return nil, err
		}
		l[i] = c
	}
	return l, nil
}

func canonicalMap(x map[string]any, depth int) (any, error) {
	m := make(map[string]any, len(x))
	for k, e := range x {
		c, err := canonical(e, depth+1)
		if err != nil {
			return nil, err
		}
		m[k] = c
	}
	return m, nil
}

// cloneFields deep-copies canonical fields.
func cloneFields(in map[string]any) map[string]any {
	if in == nil {
		return nil
	}
	out := make(map[string]any, len(in))
	for k, v := range in {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch x := v.(type) {
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = cloneValue(e)
		}
		return l
	case map[string]any:
		return cloneFields(x)
	}
	return v
}

// mergeFields applies patch to fields in place: a nil value removes the key.
func mergeFields(fields, patch map[string]any) {
	for k, v := range patch {
		if v == nil {
			delete(fields, k)
		} else {
			fields[k] = v
		}
	}
}

// dropNils removes nil values, which mean nothing in a new object.
func dropNils(fields map[string]any) map[string]any {
	for k, v := range fields {
		if v == nil {
			delete(fields, k)
		}
	}
	return fields
}
