package interp

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonDumps is json.dumps with Python's defaults: ", " and ": "
// separators, ASCII-only output, insertion-ordered keys.
func (c *call) jsonDumps(v Value, indent string, hasIndent bool, sortKeys, ascii bool, itemSep, keySep string, def Value) string {
	var b strings.Builder
	var enc func(v Value, level int)
	nl := func(level int) {
		if hasIndent {
			b.WriteByte('\n')
			b.WriteString(strings.Repeat(indent, level))
		}
	}
	enc = func(v Value, level int) {
		if level > 500 {
			throw("ValueError", "Circular reference detected")
		}
		switch x := v.(type) {
		case nil:
			b.WriteString("null")
		case bool:
			if x {
				b.WriteString("true")
			} else {
				b.WriteString("false")
			}
		case int64:
			b.WriteString(strconv.FormatInt(x, 10))
		case *big.Int:
			b.WriteString(x.String())
		case float64:
			switch {
			case math.IsInf(x, 1):
				b.WriteString("Infinity")
			case math.IsInf(x, -1):
				b.WriteString("-Infinity")
			case math.IsNaN(x):
				b.WriteString("NaN")
			default:
				b.WriteString(floatRepr(x))
			}
		case string:
			jsonQuote(&b, x, ascii)
		case *List, Tuple:
			items := c.toSlice(x)
			if len(items) == 0 {
				b.WriteString("[]")
				return
			}
			b.WriteByte('[')
			for i, e := range items {
				if i > 0 {
					b.WriteString(itemSep)
				}
				nl(level + 1)
				enc(e, level+1)
			}
			nl(level)
			b.WriteByte(']')
		case *Dict:
			if x.Len() == 0 {
				b.WriteString("{}")
				return
			}
			idx := make([]int, x.Len())
			for i := range idx {
				idx[i] = i
			}
			if sortKeys {
				keys := c.sorted(x.Keys, nil, false)
				for i, k := range keys {
					idx[i], _ = x.pos(k)
				}
			}
			b.WriteByte('{')
			for n, i := range idx {
				if n > 0 {
					b.WriteString(itemSep)
				}
				nl(level + 1)
				var ks string
				switch k := x.Keys[i].(type) {
				case string:
					ks = k
				case nil:
					ks = "null"
				case bool:
					ks = map[bool]string{true: "true", false: "false"}[k]
				case int64, float64:
					ks = repr(k)
				default:
					throw("TypeError", "keys must be str, int, float, bool or None, not %s", typeName(k))
				}
				jsonQuote(&b, ks, ascii)
				b.WriteString(keySep)
				enc(x.Vals[i], level+1)
			}
			nl(level)
			b.WriteByte('}')
		default:
			if def != nil {
				enc(c.callValue(def, []Value{v}, nil), level)
				return
			}
			throw("TypeError", "Object of type %s is not JSON serializable", typeName(v))
		}
	}
	enc(v, 0)
	return b.String()
}

func jsonQuote(b *strings.Builder, s string, ascii bool) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 || (ascii && r > 0x7e) {
				if r > 0xffff {
					r1, r2 := utf16.EncodeRune(r)
					b.WriteString(`\u` + hex4(int(r1)) + `\u` + hex4(int(r2)))
				} else {
					b.WriteString(`\u` + hex4(int(r)))
				}
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}

func hex4(i int) string { return hex2(i>>8) + hex2(i&0xff) }

// JSONDecodeError is what json.loads raises on bad input.
type jsonParser struct {
	s   string
	i   int
	dep int
}

func (p *jsonParser) fail(msg string) {
	throw("JSONDecodeError", "%s: line 1 column %d (char %d)", msg, p.i+1, p.i)
}

func (p *jsonParser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// jsonLoads is json.loads: objects keep their key order, integers are
// ints and numbers with a fraction or exponent floats.
func jsonLoads(s string) Value {
	p := &jsonParser{s: s}
	p.ws()
	v := p.value()
	p.ws()
	if p.i != len(p.s) {
		p.fail("Extra data")
	}
	return v
}

func (p *jsonParser) value() Value {
	p.ws()
	if p.i >= len(p.s) {
		p.fail("Expecting value")
	}
	p.dep++
	if p.dep > 1000 {
		throw("RecursionError", "maximum recursion depth exceeded while decoding a JSON document")
	}
	defer func() { p.dep-- }()
	switch ch := p.s[p.i]; {
	case ch == '{':
		p.i++
		d := NewDict()
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return d
		}
		for {
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != '"' {
				p.fail("Expecting property name enclosed in double quotes")
			}
			k := p.str()
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				p.fail("Expecting ':' delimiter")
			}
			p.i++
			d.Set(k, p.value())
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return d
			}
			p.fail("Expecting ',' delimiter")
		}
	case ch == '[':
		p.i++
		l := &List{}
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			return l
		}
		for {
			l.Items = append(l.Items, p.value())
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.i++
				return l
			}
			p.fail("Expecting ',' delimiter")
		}
	case ch == '"':
		return p.str()
	case strings.HasPrefix(p.s[p.i:], "true"):
		p.i += 4
		return true
	case strings.HasPrefix(p.s[p.i:], "false"):
		p.i += 5
		return false
	case strings.HasPrefix(p.s[p.i:], "null"):
		p.i += 4
		return nil
	case strings.HasPrefix(p.s[p.i:], "NaN"):
		p.i += 3
		return math.NaN()
	case strings.HasPrefix(p.s[p.i:], "Infinity"):
		p.i += 8
		return math.Inf(1)
	case strings.HasPrefix(p.s[p.i:], "-Infinity"):
		p.i += 9
		return math.Inf(-1)
	case ch == '-' || (ch >= '0' && ch <= '9'):
		return p.number()
	}
	p.fail("Expecting value")
	return nil
}

func (p *jsonParser) number() Value {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.i < len(p.s) && p.s[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		p.i = start
		p.fail("Expecting value")
	}
	isFloat := false
	if p.i < len(p.s) && p.s[p.i] == '.' {
		save := p.i
		p.i++
		if digits() == 0 {
			p.i = save
		} else {
			isFloat = true
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		save := p.i
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			p.i = save
		} else {
			isFloat = true
		}
	}
	text := p.s[start:p.i]
	if !isFloat {
		if i, err := strconv.ParseInt(text, 10, 64); err == nil {
			return i
		}
		b, _ := new(big.Int).SetString(text, 10)
		return b
	}
	f, _ := strconv.ParseFloat(text, 64)
	return f
}

func (p *jsonParser) str() string {
	p.i++ // opening quote
	var b strings.Builder
	for {
		if p.i >= len(p.s) {
			p.fail("Unterminated string starting at")
		}
		ch := p.s[p.i]
		switch {
		case ch == '"':
			p.i++
			return b.String()
		case ch == '\\':
			if p.i+1 >= len(p.s) {
				p.fail("Unterminated string starting at")
			}
			esc := p.s[p.i+1]
			p.i += 2
			switch esc {
			case '"', '\\', '/':
				b.WriteByte(esc)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r := p.hex()
				if utf16.IsSurrogate(r) && strings.HasPrefix(p.s[p.i:], `\u`) {
					save := p.i
					p.i += 2
					r2 := p.hex()
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
					} else {
						p.i = save
					}
				}
				b.WriteRune(r)
			default:
				p.i--
				p.fail("Invalid \\escape")
			}
		case ch < 0x20:
			p.fail("Invalid control character at")
		default:
			b.WriteByte(ch)
			p.i++
		}
	}
}

func (p *jsonParser) hex() rune {
	if p.i+4 > len(p.s) {
		p.fail("Invalid \\uXXXX escape")
	}
	v, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 32)
	if err != nil {
		p.fail("Invalid \\uXXXX escape")
	}
	p.i += 4
	return rune(v)
}
