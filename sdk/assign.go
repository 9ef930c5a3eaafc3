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
	case *[]string:
		*p, ok = stringList(v)
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
	case *File:
		*p, ok = fileFrom(v)
		ok = ok || v == nil
	}
	if !ok {
		return b.typeError()
	}
	b.set = b.set || v != nil
	return nil
}

// stringList converts a decoded list of strings (or null) to a []string.
func stringList(v any) ([]string, bool) {
	switch x := v.(type) {
	case nil:
		return nil, true
	case []string:
		return x, true
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

func (b *binding) typeError() error {
	return errors.New("field " + quote(b.name) + " is not of type " + string(b.typ))
}

// decode assigns the value encoded at rec[i:], which was validated, as
// assign would assign its decoded form, but without building that form
// for strings, numbers and bools.
func (b *binding) decode(rec []byte, i int) error {
	tag := rec[i]
	if p, isStr := b.ptr.(*string); isStr && tag == abi.TagString {
		*p = newString(strAt(rec, i+1))
		b.set = true
		return nil
	}
	return b.decodeOther(rec, i)
}

// decodeOther is decode for values other than a string for a string field.
func (b *binding) decodeOther(rec []byte, i int) error {
	tag := rec[i]
	if tag == abi.TagNull {
		return b.assign(nil)
	}
	ok := true
	switch p := b.ptr.(type) {
	case *string:
		ok = false // not a string, nor null
	case *bool:
		ok = tag == abi.TagTrue || tag == abi.TagFalse
		if ok {
			*p = tag == abi.TagTrue
		}
	case *int:
		var n int64
		if n, ok = intAt(rec, i); ok {
			*p = int(n)
		}
	case *int64:
		var n int64
		if n, ok = intAt(rec, i); ok {
			*p = n
		}
	case *float64:
		var f float64
		if f, ok = floatAt(rec, i); ok {
			*p = f
		}
	case **string:
		ok = tag == abi.TagString
		if ok {
			s := newString(strAt(rec, i+1))
			*p = &s
		}
	case **bool:
		ok = tag == abi.TagTrue || tag == abi.TagFalse
		if ok {
			v := tag == abi.TagTrue
			*p = &v
		}
	case **int:
		if n, isInt := intAt(rec, i); isInt {
			v := int(n)
			*p = &v
		} else {
			ok = false
		}
	case **float64:
		if f, isNum := floatAt(rec, i); isNum {
			*p = &f
		} else {
			ok = false
		}
	default: // lists, maps and any: their generic form is what is stored
		rd.Reset(rec[i:])
		return b.assign(rd.Value())
	}
	if !ok {
		return b.typeError()
	}
	b.set = true
	return nil
}

// intAt decodes an integer field's value at rec[i:]: an int, or an integral
// float (see storeInt).
func intAt(rec []byte, i int) (int64, bool) {
	switch rec[i] {
	case abi.TagInt:
		return int64(le64(rec, i+1)), true
	case abi.TagFloat:
		return intFromFloat(math.Float64frombits(le64(rec, i+1)))
	}
	return 0, false
}

// floatAt decodes a float field's value at rec[i:]: a float or an int.
func floatAt(rec []byte, i int) (float64, bool) {
	switch rec[i] {
	case abi.TagFloat:
		return math.Float64frombits(le64(rec, i+1)), true
	case abi.TagInt:
		return float64(int64(le64(rec, i+1))), true
	}
	return 0, false
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
		n, ok := intFromFloat(x)
		if !ok {
			return false
		}
		*p = T(n)
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

// appendBinding appends the current value behind the binding. The
// commonest kinds come first, in a switch short enough to be compiled to
// comparisons in order (see appendDepth).
func appendBinding(b []byte, x *binding) ([]byte, error) {
	switch p := x.ptr.(type) {
	case *string:
		return putString(b, *p), nil
	case *int:
		return abi.AppendInt(b, int64(*p)), nil
	case *bool:
		return abi.AppendBool(b, *p), nil
	}
	return appendOtherBinding(b, x)
}

func appendOtherBinding(b []byte, x *binding) ([]byte, error) {
	switch p := x.ptr.(type) {
	case *int64:
		return abi.AppendInt(b, *p), nil
	case *float64:
		return abi.AppendFloat(b, *p), nil
	case *[]any:
		return appendValue(b, *p)
	case *[]string:
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
	case *File:
		return appendFile(b, p)
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
