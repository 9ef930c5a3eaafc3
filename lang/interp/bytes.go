package interp

import "strings"

// Bytes is a Python bytes value (immutable); it crosses the Host as []byte.
type Bytes string

func bytesRepr(s Bytes) string {
	q := byte('\'')
	if strings.IndexByte(string(s), '\'') >= 0 && strings.IndexByte(string(s), '"') < 0 {
		q = '"'
	}
	var b strings.Builder
	b.WriteString("b")
	b.WriteByte(q)
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == q || ch == '\\':
			b.WriteByte('\\')
			b.WriteByte(ch)
		case ch == '\n':
			b.WriteString(`\n`)
		case ch == '\r':
			b.WriteString(`\r`)
		case ch == '\t':
			b.WriteString(`\t`)
		case ch < 0x20 || ch >= 0x7f:
			b.WriteString(`\x` + hex2(int(ch)))
		default:
			b.WriteByte(ch)
		}
	}
	b.WriteByte(q)
	return b.String()
}

var bytesMethods = map[string]method{
	"decode": func(c *call, s Value, a []Value, kw *Dict) Value { return string(s.(Bytes)) },
	"hex": func(c *call, s Value, a []Value, kw *Dict) Value {
		var b strings.Builder
		for i := 0; i < len(s.(Bytes)); i++ {
			b.WriteString(hex2(int(s.(Bytes)[i])))
		}
		return b.String()
	},
	"startswith": func(c *call, s Value, a []Value, kw *Dict) Value {
		need(a, 1, "startswith")
		p, _ := a[0].(Bytes)
		return strings.HasPrefix(string(s.(Bytes)), string(p))
	},
	"endswith": func(c *call, s Value, a []Value, kw *Dict) Value {
		need(a, 1, "endswith")
		p, _ := a[0].(Bytes)
		return strings.HasSuffix(string(s.(Bytes)), string(p))
	},
}

// fileBytes reads what store().upload is given: bytes, a str, an
// UploadFile or its file (see uploadFile.source), or a file-like object
// with read().
func (c *call) fileBytes(v Value) Value {
	switch x := v.(type) {
	case Bytes:
		return []byte(x)
	case *uploadFile:
		return x.source()
	case *uploadStream:
		return x.f.source()
	case *Instance:
		if m, ok := x.Class.lookup("read"); ok {
			if f, ok := m.(*Func); ok {
				return c.fileBytes(c.callFunc(f, x, nil, nil))
			}
		}
	}
	return v
}
