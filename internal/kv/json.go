package kv

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
)

// Redis keeps values as JSON text (abi/ABI.md "Key-value stores"): other
// tools can read them, INCR works on a number, and each value reads back
// with its kind because floats are written with a decimal point.

// encodeJSON appends the JSON text of a decoded value.
func encodeJSON(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return b, fmt.Errorf("%w: %v has no JSON form", ErrInvalid, x)
		}
		n := len(b)
		b = strconv.AppendFloat(b, x, 'g', -1, 64)
		if bytes.IndexAny(b[n:], ".e") < 0 {
			b = append(b, ".0"...)
		}
		return b, nil
	case string:
		s, _ := json.Marshal(x)
		return append(b, s...), nil
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = encodeJSON(b, e); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case map[string]any:
		b = append(b, '{')
		for i, k := range sortedKeys(x) {
			if i > 0 {
				b = append(b, ',')
			}
			s, _ := json.Marshal(k)
			b = append(append(b, s...), ':')
			var err error
			if b, err = encodeJSON(b, x[k]); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	}
	_, err := literal(v) // the same refusal as for MongoDB
	return b, err
}

// decodeJSON reads a stored value back. A string that is not JSON (set by
// another program) comes back as it is.
func decodeJSON(s string) any {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return s
	}
	if _, err := dec.Token(); err != io.EOF {
		return s
	}
	return numbers(v)
}

// numbers turns json.Number into int64 when it is written as an integer
// that fits, else float64.
func numbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i, e := range x {
			x[i] = numbers(e)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = numbers(e)
		}
	}
	return v
}
