package interp

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// format is format(v, spec) with Python's format mini-language.
func (c *call) format(v Value, spec string) string {
	if spec == "" {
		return str(v)
	}
	if inst, ok := v.(*Instance); ok {
		if m, ok := inst.Class.lookup("__format__"); ok {
			return str(c.callFunc(m.(*Func), inst, []Value{spec}, nil))
		}
	}
	if t, ok := v.(*timeVal); ok {
		return t.strftime(spec)
	}
	fill, align, sign, alt, zero, width, group, prec, typ := parseSpec(spec)
	var body string
	neg := false
	if b, ok := v.(*big.Int); ok {
		switch typ {
		case 0, 'd', 'n':
			body := new(big.Int).Abs(b).String()
			if group != 0 {
				body = groupDigits(body, group)
			}
			if b.Sign() < 0 {
				body = "-" + body
			} else if sign == '+' {
				body = "+" + body
			}
			if width == 0 {
				return body
			}
			if align == 0 || align == '=' {
				align = '>'
			}
			return c.format(body, string(fill)+string(align)+strconv.Itoa(width))
		default:
			return c.format(bigFloat(b), spec)
		}
	}
	switch x := v.(type) {
	case bool:
		if typ == 0 || typ == 's' {
			body = str(x)
		} else {
			return c.format(b2i(x), spec)
		}
	case int64:
		switch typ {
		case 0, 'd', 'n':
			neg = x < 0
			body = strconv.FormatUint(uint64(abs64(x)), 10)
			if group != 0 {
				body = groupDigits(body, group)
			}
		case 'x', 'X', 'o', 'b':
			neg = x < 0
			base := map[byte]int{'x': 16, 'X': 16, 'o': 8, 'b': 2}[typ]
			body = strconv.FormatUint(uint64(abs64(x)), base)
			if typ == 'X' {
				body = strings.ToUpper(body)
			}
			if alt {
				body = "0" + string(typ) + body
			}
		case 'c':
			body = string(rune(x))
		case 'e', 'E', 'f', 'F', 'g', 'G', '%':
			return c.format(float64(x), spec)
		case 's':
			throw("ValueError", "Unknown format code 's' for object of type 'int'")
		}
	case float64:
		neg = x < 0 || (x == 0 && math.Signbit(x))
		a := math.Abs(x)
		switch typ {
		case 0:
			if prec >= 0 {
				body = strconv.FormatFloat(a, 'g', max(prec, 1), 64)
				body = pyExp(body)
				if !strings.ContainsAny(body, ".e") && !math.IsInf(a, 0) {
					// 'g' with precision drops the trailing .0 only when the
					// result has an exponent; plain numbers keep it
				}
			} else {
				body = floatRepr(a)
			}
		case 'f', 'F':
			if prec < 0 {
				prec = 6
			}
			body = strconv.FormatFloat(a, 'f', prec, 64)
		case 'e', 'E':
			if prec < 0 {
				prec = 6
			}
			body = pyExp(strconv.FormatFloat(a, 'e', prec, 64))
		case 'g', 'G':
			if prec < 0 {
				prec = 6
			}
			if prec == 0 {
				prec = 1
			}
			body = pyExp(strconv.FormatFloat(a, 'g', prec, 64))
		case '%':
			if prec < 0 {
				prec = 6
			}
			body = strconv.FormatFloat(a*100, 'f', prec, 64) + "%"
		case 'd':
			throw("ValueError", "Unknown format code 'd' for object of type 'float'")
		}
		if math.IsInf(a, 0) {
			body = "inf"
		} else if math.IsNaN(a) {
			body = "nan"
		}
		if typ == 'E' || typ == 'G' || typ == 'F' {
			body = strings.ToUpper(body)
		}
		if group != 0 {
			ip, fp, _ := strings.Cut(body, ".")
			if fp != "" {
				body = groupDigits(ip, group) + "." + fp
			} else {
				body = groupDigits(ip, group)
			}
		}
	default:
		body = str(v)
		if prec >= 0 && len([]rune(body)) > prec {
			body = string([]rune(body)[:prec])
		}
		if align == 0 {
			align = '<'
		}
	}
	signStr := ""
	if neg {
		signStr = "-"
	} else if sign == '+' {
		signStr = "+"
	} else if sign == ' ' {
		signStr = " "
	}
	if zero && align == 0 {
		fill, align = '0', '='
	}
	if align == 0 {
		align = '>'
	}
	n := len([]rune(body)) + len(signStr)
	if n >= width {
		return signStr + body
	}
	padding := strings.Repeat(string(fill), width-n)
	switch align {
	case '<':
		return signStr + body + padding
	case '=':
		return signStr + padding + body
	case '^':
		l := (width - n) / 2
		return strings.Repeat(string(fill), l) + signStr + body + strings.Repeat(string(fill), width-n-l)
	}
	return padding + signStr + body
}

func parseSpec(s string) (fill rune, align byte, sign byte, alt, zero bool, width int, group byte, prec int, typ byte) {
	fill, prec = ' ', -1
	rs := []rune(s)
	i := 0
	isAlign := func(r rune) bool { return r == '<' || r == '>' || r == '^' || r == '=' }
	if len(rs) >= 2 && isAlign(rs[1]) {
		fill, align, i = rs[0], byte(rs[1]), 2
	} else if len(rs) >= 1 && isAlign(rs[0]) {
		align, i = byte(rs[0]), 1
	}
	if i < len(rs) && (rs[i] == '+' || rs[i] == '-' || rs[i] == ' ') {
		sign = byte(rs[i])
		i++
	}
	if i < len(rs) && rs[i] == '#' {
		alt = true
		i++
	}
	if i < len(rs) && rs[i] == '0' {
		zero = true
		i++
	}
	for i < len(rs) && rs[i] >= '0' && rs[i] <= '9' {
		width = width*10 + int(rs[i]-'0')
		i++
	}
	if i < len(rs) && (rs[i] == ',' || rs[i] == '_') {
		group = byte(rs[i])
		i++
	}
	if i < len(rs) && rs[i] == '.' {
		i++
		prec = 0
		for i < len(rs) && rs[i] >= '0' && rs[i] <= '9' {
			prec = prec*10 + int(rs[i]-'0')
			i++
		}
	}
	if i < len(rs) {
		typ = byte(rs[i])
		i++
	}
	if i != len(rs) {
		throw("ValueError", "Invalid format specifier '%s'", s)
	}
	return
}

func groupDigits(s string, sep byte) string {
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	first := len(s) % 3
	if first > 0 {
		b.WriteString(s[:first])
	}
	for i := first; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(sep)
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// pyExp turns Go's exponent (e+06 is already 2 digits) into Python's.
func pyExp(s string) string { return s }

// strFormat is str.format.
func (c *call) strFormat(s string, args []Value, kw *Dict) string {
	var b strings.Builder
	auto := 0
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch == '{' {
			if i+1 < len(s) && s[i+1] == '{' {
				b.WriteByte('{')
				i++
				continue
			}
			j := strings.IndexByte(s[i:], '}')
			if j < 0 {
				throw("ValueError", "Single '{' encountered in format string")
			}
			field := s[i+1 : i+j]
			i += j
			name, spec, _ := strings.Cut(field, ":")
			conv := byte(0)
			if k := strings.IndexByte(name, '!'); k >= 0 {
				conv = name[k+1]
				name = name[:k]
			}
			var v Value
			attr := ""
			if k := strings.IndexAny(name, ".["); k >= 0 {
				name, attr = name[:k], name[k:]
			}
			if name == "" {
				if auto >= len(args) {
					throw("IndexError", "Replacement index %d out of range for positional args tuple", auto)
				}
				v = args[auto]
				auto++
			} else if n, err := strconv.Atoi(name); err == nil {
				if n >= len(args) {
					throw("IndexError", "Replacement index %d out of range for positional args tuple", n)
				}
				v = args[n]
			} else {
				var ok bool
				if kw != nil {
					v, ok = kw.Get(name)
				}
				if !ok {
					panic(&Exc{Val: newExc(builtinClasses["KeyError"], name)})
				}
			}
			for attr != "" {
				if attr[0] == '.' {
					k := strings.IndexAny(attr[1:], ".[")
					if k < 0 {
						k = len(attr) - 1
					}
					v = c.getAttr(v, attr[1:k+1])
					attr = attr[k+1:]
				} else {
					k := strings.IndexByte(attr, ']')
					key := attr[1:k]
					if n, err := strconv.Atoi(key); err == nil {
						v = c.index(v, int64(n))
					} else {
						v = c.index(v, key)
					}
					attr = attr[k+1:]
				}
			}
			if conv == 'r' {
				v = repr(v)
			} else if conv == 's' {
				v = str(v)
			}
			b.WriteString(c.format(v, spec))
			continue
		}
		if ch == '}' && i+1 < len(s) && s[i+1] == '}' {
			i++
		}
		b.WriteByte(ch)
	}
	return b.String()
}

// percent is printf-style `fmt % args` for %s %d %r %f %%.
func (c *call) percent(f string, a Value) string {
	args, ok := a.(Tuple)
	if !ok {
		args = Tuple{a}
	}
	var b strings.Builder
	ai := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			b.WriteByte(f[i])
			continue
		}
		j := i + 1
		for j < len(f) && strings.IndexByte("-+ #0123456789.", f[j]) >= 0 {
			j++
		}
		if j >= len(f) {
			throw("ValueError", "incomplete format")
		}
		spec, conv := f[i+1:j], f[j]
		i = j
		if conv == '%' {
			b.WriteByte('%')
			continue
		}
		if ai >= len(args) {
			throw("TypeError", "not enough arguments for format string")
		}
		v := args[ai]
		ai++
		align := ">" // printf-style fields are right-aligned unless '-'
		if strings.HasPrefix(spec, "-") {
			align, spec = "<", spec[1:]
		}
		if strings.HasPrefix(spec, "0") {
			align = ""
		}
		if spec == "" || spec[0] == '.' {
			align = ""
		}
		switch conv {
		case 's':
			b.WriteString(c.format(str(v), align+spec))
		case 'r':
			b.WriteString(c.format(repr(v), align+spec))
		case 'd', 'i':
			if fv, ok := v.(float64); ok {
				v = int64(fv)
			}
			b.WriteString(c.format(v, align+spec+"d"))
		default:
			b.WriteString(c.format(v, align+spec+string(conv)))
		}
	}
	if ai < len(args) {
		throw("TypeError", "not all arguments converted during string formatting")
	}
	return b.String()
}
