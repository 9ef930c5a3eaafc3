package sdk

import (
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// A small JSON writer for the manifest, so that modules need not link
// encoding/json. It writes the value kinds a manifest holds.

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Control characters, quotes
// and backslashes are escaped, as are U+2028 and U+2029 for JavaScript
// consumers; invalid UTF-8 becomes U+FFFD, as encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b = appendJSONByte(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, `\u202`...)
			b = append(b, hexDigits[r&0xF])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

func appendJSONByte(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\n':
		return append(b, `\n`...)
	case '\r':
		return append(b, `\r`...)
	case '\t':
		return append(b, `\t`...)
	}
	if c < 0x20 {
		return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
	}
	return append(b, c)
}

// appendJSON appends v, one of nil, bool, int, int64, float64, string,
// []any, []string and map[string]any (keys sorted). It reports false for any
// other Go type and for NaN or infinite floats, which JSON cannot carry.
func appendJSON(b []byte, v any) ([]byte, bool) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), true
	case bool:
		return strconv.AppendBool(b, x), true
	case int:
		return strconv.AppendInt(b, int64(x), 10), true
	case int64:
		return strconv.AppendInt(b, x, 10), true
	case float64:
		return appendJSONFloat(b, x)
	case string:
		return appendJSONString(b, x), true
	case []string:
		return appendJSONList(b, len(x), func(b []byte, i int) ([]byte, bool) {
			return appendJSONString(b, x[i]), true
		})
	case []any:
		return appendJSONList(b, len(x), func(b []byte, i int) ([]byte, bool) {
			return appendJSON(b, x[i])
		})
	case map[string]any:
		return appendJSONObject(b, x)
	}
	return b, false
}

// appendJSONFloat writes f so that it reads back as a float: 1 becomes 1.0.
func appendJSONFloat(b []byte, f float64) ([]byte, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, false
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'g', -1, 64)
	for _, c := range b[start:] {
		if c == '.' || c == 'e' {
			return b, true
		}
	}
	return append(b, ".0"...), true
}

func appendJSONList(b []byte, n int, elem func([]byte, int) ([]byte, bool)) ([]byte, bool) {
	b = append(b, '[')
	ok := true
	for i := 0; i < n && ok; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b, ok = elem(b, i)
	}
	return append(b, ']'), ok
}

func appendJSONObject(b []byte, m map[string]any) ([]byte, bool) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	ok := true
	for i := 0; i < len(keys) && ok; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendJSONString(b, keys[i]), ':')
		b, ok = appendJSON(b, m[keys[i]])
	}
	return append(b, '}'), ok
}
