package sdk

import (
	"github.com/walkerhost/walkerhost/abi"
)

// A service call (store_call, kv_call; ABI.md "Storage", "Key-value
// stores") passes its arguments as one list value and gets one value back.

// args collects the arguments of a service call in enc.
type args struct {
	b   []byte
	err error
}

// newArgs starts an argument list of n values.
func newArgs(n int) *args { return &args{b: putHead(enc[:0], abi.TagList, uint32(n))} }

func (a *args) str(s string) *args {
	a.b = putString(a.b, s)
	return a
}

// bytes appends b as a string value, without converting it to a string.
func (a *args) bytes(b []byte) *args {
	a.b = append(putHead(a.b, abi.TagString, uint32(len(b))), b...)
	return a
}

func (a *args) val(v any) *args {
	if a.err == nil {
		a.b, a.err = appendValue(a.b, v)
	}
	return a
}

// call makes the call and returns the result value's bytes, valid until
// the next host call. op names the method in errors, e.g. "kv find_one".
func (a *args) call(host func(int32, []byte, []byte) int32, code int32, op string) ([]byte, error) {
	if a.err != nil {
		enc = keep(a.b)
		return nil, errorf(op, a.err)
	}
	n := host(code, a.b, scratch)
	enc = keep(a.b)
	return varResult(op, n)
}

// decoded makes the call and decodes its result.
func (a *args) decoded(host func(int32, []byte, []byte) int32, code int32, op string) (any, error) {
	b, err := a.call(host, code, op)
	if err != nil {
		return nil, err
	}
	rd.Reset(b)
	v := rd.Value()
	if rd.Done() != nil {
		return nil, errMalformed(op)
	}
	return v, nil
}

// opError is an argument the SDK cannot encode, named by its method.
type opError struct {
	op  string
	err error
}

func (e *opError) Error() string { return e.op + ": " + e.err.Error() }
func (e *opError) Unwrap() error { return e.err }

func errorf(op string, err error) error { return &opError{op, err} }

// The kinds of results, converted with a check: a result of another kind
// is a host/guest mismatch.

func asBool(op string, v any, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, errMalformed(op)
	}
	return b, nil
}

func asInt(op string, v any, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	n, ok := v.(int64)
	if !ok {
		return 0, errMalformed(op)
	}
	return n, nil
}

func asString(op string, v any, err error) (string, error) {
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", errMalformed(op)
	}
	return s, nil
}

func asStrings(op string, v any, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	l, ok := v.([]any)
	if !ok {
		return nil, errMalformed(op)
	}
	out := make([]string, len(l))
	for i, e := range l {
		if out[i], ok = e.(string); !ok {
			return nil, errMalformed(op)
		}
	}
	return out, nil
}

// asDoc accepts a map, or null for none.
func asDoc(op string, v any, err error) (map[string]any, error) {
	if err != nil || v == nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errMalformed(op)
	}
	return m, nil
}
