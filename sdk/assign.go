package sdk

import (
	"errors"
	"math"

	"github.com/walkerhost/walkerhost/abi"
)

// assign stores a decoded value through the binding's pointer. A null
// leaves a scalar field as it is (its default) and clears the others.
func (b *binding) assign(v any) error {
	ok := true
	switch p := b.ptr.(type) {
	case *string:
		ok = v == nil || store(p, v)
	case *bool:
		ok = v == nil || store(p, v)
	case *int:
		ok = v == nil || storeInt(p, v)
	case *int64:
		ok = v == nil || storeInt(p, v)
	case *float64:
		ok = v == nil || storeFloat(p, v)
	case *[]any:
		*p, ok = v.([]any)
		ok = ok || v == nil
	case *map[string]any:
		*p, ok = v.(map[string]any)
		ok = ok || v == nil
	case *any:
		*p = v
	case **string:
		ok = storeOpt(p, v, store[string])
	case **bool:
		ok = storeOpt(p, v, store[bool])
	case **int:
		ok = storeOpt(p, v, storeInt[int])
	case **float64:
		ok = storeOpt(p, v, storeFloat)
	}
	if !ok {
		return errors.New("field " + quote(b.name) + " is not of type " + string(b.typ))
	}
	b.set = b.set || v != nil
	return nil
}

func store[T any](p *T, v any) bool {
	x, ok := v.(T)
	if ok {
		*p = x
	}
	return ok
}

// storeInt accepts int64 values, Go ints (defaults, spawn) and integral
// floats (a JSON number the host did not narrow).
func storeInt[T int | int64](p *T, v any) bool {
	switch x := v.(type) {
	case int64:
		*p = T(x)
	case int:
		*p = T(x)
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			return false
		}
		*p = T(x)
	default:
		return false
	}
	return true
}

func storeFloat(p *float64, v any) bool {
	switch x := v.(type) {
	case float64:
		*p = x
	case int64:
		*p = float64(x)
	case int:
		*p = float64(x)
	default:
		return false
	}
	return true
}

func storeOpt[T any](p **T, v any, st func(*T, any) bool) bool {
	if v == nil {
		*p = nil
		return true
	}
	x := new(T)
	if !st(x, v) {
		return false
	}
	*p = x
	return true
}

// appendBinding appends the current value behind the binding.
func appendBinding(b []byte, x *binding) ([]byte, error) {
	switch p := x.ptr.(type) {
	case *string:
		return abi.AppendString(b, *p), nil
	case *bool:
		return abi.AppendBool(b, *p), nil
	case *int:
		return abi.AppendInt(b, int64(*p)), nil
	case *int64:
		return abi.AppendInt(b, *p), nil
	case *float64:
		return abi.AppendFloat(b, *p), nil
	case *[]any:
		return appendValue(b, *p)
	case *map[string]any:
		return appendValue(b, *p)
	case *any:
		return appendValue(b, *p)
	case **string:
		return appendOpt(b, *p)
	case **bool:
		return appendOpt(b, *p)
	case **int:
		return appendOpt(b, *p)
	case **float64:
		return appendOpt(b, *p)
	}
	return b, errNoEncoding
}

func appendOpt[T any](b []byte, p *T) ([]byte, error) {
	if p == nil {
		return abi.AppendNull(b), nil
	}
	return appendValue(b, *p)
}

// clone deep-copies lists and maps, so that a default shared by every
// request is never changed by one of them.
func clone(v any) any {
	switch x := v.(type) {
	case []any:
		c := make([]any, len(x))
		for i, e := range x {
			c[i] = clone(e)
		}
		return c
	case map[string]any:
		c := make(map[string]any, len(x))
		for k, e := range x {
			c[k] = clone(e)
		}
		return c
	}
	return v
}
