package interp

import (
	"sort"
	"strings"
	"unicode"
)

type method func(c *call, self Value, args []Value, kw *Dict) Value

// builtinMethod finds a method of a built-in type, nil if none.
func builtinMethod(obj Value, name string) method {
	switch obj.(type) {
	case string:
		return strMethods[name]
	case Bytes:
		return bytesMethods[name]
	case *List:
		return listMethods[name]
	case *Dict:
		return dictMethods[name]
	case *Set:
		return setMethods[name]
	case Tuple:
		return tupleMethods[name]
	case *Generator, *Iterator:
		if name == "__next__" {
			return func(c *call, self Value, args []Value, kw *Dict) Value { return c.next(self, nil, false) }
		}
	}
	return nil
}

func arg(args []Value, i int, kw *Dict, name string, def Value) Value {
	if i < len(args) {
		return args[i]
	}
	if kw != nil {
		if v, ok := kw.Get(name); ok {
			return v
		}
	}
	return def
}

func argStr(args []Value, i int, kw *Dict, name, def string) string {
	v := arg(args, i, kw, name, def)
	s, ok := v.(string)
	if !ok {
		throw("TypeError", "%s must be str, not %s", name, typeName(v))
	}
	return s
}

func need(args []Value, n int, name string) {
	if len(args) < n {
		throw("TypeError", "%s() takes at least %d arguments (%d given)", name, n, len(args))
	}
}

var strMethods map[string]method
var listMethods map[string]method
var dictMethods map[string]method
var setMethods map[string]method
var tupleMethods map[string]method

// dictView is d.keys(), d.values() or d.items().
type dictView struct {
	d    *Dict
	kind string
}

func (v *dictView) items() []Value {
	switch v.kind {
	case "keys":
		return append([]Value(nil), v.d.Keys...)
	case "values":
		return append([]Value(nil), v.d.Vals...)
	}
	out := make([]Value, len(v.d.Keys))
	for i, k := range v.d.Keys {
		out[i] = Tuple{k, v.d.Vals[i]}
	}
	return out
}

func strArgs(c *call, self Value, args []Value) (string, []Value) { return self.(string), args }

func init() {
	strip := func(f func(string, string) string, g func(string, func(rune) bool) string) method {
		return func(c *call, self Value, args []Value, kw *Dict) Value {
			s := self.(string)
			if len(args) > 0 && args[0] != nil {
				return f(s, args[0].(string))
			}
			return g(s, unicode.IsSpace)
		}
	}
	pred := func(p func(rune) bool, nonEmpty bool) method {
		return func(c *call, self Value, args []Value, kw *Dict) Value {
			s := self.(string)
			if s == "" {
				return false
			}
			for _, r := range s {
				if !p(r) {
					return false
				}
			}
			return true
		}
	}
	strMethods = map[string]method{
		"upper":     func(c *call, s Value, a []Value, kw *Dict) Value { return strings.ToUpper(s.(string)) },
		"lower":     func(c *call, s Value, a []Value, kw *Dict) Value { return strings.ToLower(s.(string)) },
		"casefold":  func(c *call, s Value, a []Value, kw *Dict) Value { return strings.ToLower(s.(string)) },
		"strip":     strip(strings.Trim, strings.TrimFunc),
		"lstrip":    strip(strings.TrimLeft, strings.TrimLeftFunc),
		"rstrip":    strip(strings.TrimRight, strings.TrimRightFunc),
		"isdigit":   pred(unicode.IsDigit, true),
		"isnumeric": pred(unicode.IsNumber, true),
		"isdecimal": pred(unicode.IsDigit, true),
		"isalpha":   pred(unicode.IsLetter, true),
		"isalnum":   pred(func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }, true),
		"isspace":   pred(unicode.IsSpace, true),
		"swapcase": func(c *call, s Value, a []Value, kw *Dict) Value {
			return strings.Map(func(r rune) rune {
				if unicode.IsUpper(r) {
					return unicode.ToLower(r)
				}
				return unicode.ToUpper(r)
			}, s.(string))
		},
		"isupper": func(c *call, s Value, a []Value, kw *Dict) Value {
			x := s.(string)
			return x != strings.ToLower(x) && x == strings.ToUpper(x)
		},
		"islower": func(c *call, s Value, a []Value, kw *Dict) Value {
			x := s.(string)
			return x != strings.ToUpper(x) && x == strings.ToLower(x)
		},
		"title": func(c *call, s Value, a []Value, kw *Dict) Value {
			prev := false
			return strings.Map(func(r rune) rune {
				out := r
				if prev {
					out = unicode.ToLower(r)
				} else {
					out = unicode.ToUpper(r)
				}
				prev = unicode.IsLetter(r)
				return out
			}, s.(string))
		},
		"capitalize": func(c *call, s Value, a []Value, kw *Dict) Value {
			x := []rune(s.(string))
			if len(x) == 0 {
				return ""
			}
			return strings.ToUpper(string(x[0])) + strings.ToLower(string(x[1:]))
		},
		"split": func(c *call, s Value, a []Value, kw *Dict) Value {
			return splitStr(s.(string), arg(a, 0, kw, "sep", nil), toIntDef(arg(a, 1, kw, "maxsplit", int64(-1))), false)
		},
		"rsplit": func(c *call, s Value, a []Value, kw *Dict) Value {
			return splitStr(s.(string), arg(a, 0, kw, "sep", nil), toIntDef(arg(a, 1, kw, "maxsplit", int64(-1))), true)
		},
		"splitlines": func(c *call, s Value, a []Value, kw *Dict) Value {
			x := s.(string)
			x = strings.ReplaceAll(x, "\r\n", "\n")
			lines := strings.Split(x, "\n")
			if len(lines) > 0 && lines[len(lines)-1] == "" {
				lines = lines[:len(lines)-1]
			}
			return strList(lines)
		},
		"join": func(c *call, s Value, a []Value, kw *Dict) Value {
			need(a, 1, "join")
			var parts []string
			c.iterate(a[0], func(v Value) bool {
				ps, ok := v.(string)
				if !ok {
					throw("TypeError", "sequence item %d: expected str instance, %s found", len(parts), typeName(v))
				}
				parts = append(parts, ps)
				return true
			})
			return strings.Join(parts, s.(string))
		},
		"replace": func(c *call, s Value, a []Value, kw *Dict) Value {
			need(a, 2, "replace")
			n := -1
			if len(a) > 2 {
				n = int(c.toInt(a[2]))
			}
			return strings.Replace(s.(string), argStr(a, 0, kw, "old", ""), argStr(a, 1, kw, "new", ""), n)
		},
		"startswith": func(c *call, s Value, a []Value, kw *Dict) Value {
			need(a, 1, "startswith")
			if t, ok := a[0].(Tuple); ok {
				for _, p := range t {
					if strings.HasPrefix(s.(string), p.(string)) {
						return true
					}
				}
				return false
			}
			return strings.HasPrefix(s.(string), argStr(a, 0, kw, "prefix", ""))
		},
		"endswith": func(c *call, s Value, a []Value, kw *Dict) Value {
			need(a, 1, "endswith")
			if t, ok := a[0].(Tuple); ok {
				for _, p := range t {
					if strings.HasSuffix(s.(string), p.(string)) {
						return true
					}
				}
				return false
			}
			return strings.HasSuffix(s.(string), argStr(a, 0, kw, "suffix", ""))
		},
		"find": func(c *call, s Value, a []Value, kw *Dict) Value {
			return runeIndex(s.(string), strings.Index(s.(string), argStr(a, 0, kw, "sub", "")))
		},
		"rfind": func(c *call, s Value, a []Value, kw *Dict) Value {
			return runeIndex(s.(string), strings.LastIndex(s.(string), argStr(a, 0, kw, "sub", "")))
		},
		"index": func(c *call, s Value, a []Value, kw *Dict) Value {
			i := strings.Index(s.(string), argStr(a, 0, kw, "sub", ""))
			if i < 0 {
				throw("ValueError", "substring not found")
			}
			return runeIndex(s.(string), i)
		},
		"count": func(c *call, s Value, a []Value, kw *Dict) Value {
			sub := argStr(a, 0, kw, "sub", "")
			if sub == "" {
				return int64(len([]rune(s.(string))) + 1)
			}
			return int64(strings.Count(s.(string), sub))
		},
		"removeprefix": func(c *call, s Value, a []Value, kw *Dict) Value {
			return strings.TrimPrefix(s.(string), argStr(a, 0, kw, "prefix", ""))
		},
		"removesuffix": func(c *call, s Value, a []Value, kw *Dict) Value {
			return strings.TrimSuffix(s.(string), argStr(a, 0, kw, "suffix", ""))
		},
		"center": func(c *call, s Value, a []Value, kw *Dict) Value {
			return pad(s.(string), int(c.toInt(arg(a, 0, kw, "width", int64(0)))), argStr(a, 1, kw, "fillchar", " "), '^')
		},
		"ljust": func(c *call, s Value, a []Value, kw *Dict) Value {
			return pad(s.(string), int(c.toInt(arg(a, 0, kw, "width", int64(0)))), argStr(a, 1, kw, "fillchar", " "), '<')
		},
		"rjust": func(c *call, s Value, a []Value, kw *Dict) Value {
			return pad(s.(string), int(c.toInt(arg(a, 0, kw, "width", int64(0)))), argStr(a, 1, kw, "fillchar", " "), '>')
		},
		"zfill": func(c *call, s Value, a []Value, kw *Dict) Value {
			x := s.(string)
			w := int(c.toInt(arg(a, 0, kw, "width", int64(0))))
			sign := ""
			if strings.HasPrefix(x, "-") || strings.HasPrefix(x, "+") {
				sign, x = x[:1], x[1:]
			}
			if n := w - len([]rune(x)) - len(sign); n > 0 {
				x = strings.Repeat("0", n) + x
			}
			return sign + x
		},
		"partition": func(c *call, s Value, a []Value, kw *Dict) Value {
			sep := argStr(a, 0, kw, "sep", "")
			before, after, ok := strings.Cut(s.(string), sep)
			if !ok {
				return Tuple{s, "", ""}
			}
			return Tuple{before, sep, after}
		},
		"rpartition": func(c *call, s Value, a []Value, kw *Dict) Value {
			x := s.(string)
			sep := argStr(a, 0, kw, "sep", "")
			i := strings.LastIndex(x, sep)
			if i < 0 {
				return Tuple{"", "", x}
			}
			return Tuple{x[:i], sep, x[i+len(sep):]}
		},
		"format": func(c *call, s Value, a []Value, kw *Dict) Value { return c.strFormat(s.(string), a, kw) },
		"encode": func(c *call, s Value, a []Value, kw *Dict) Value { return Bytes(s.(string)) },
	}
	listMethods = map[string]method{
		"append": func(c *call, s Value, a []Value, kw *Dict) Value {
			need(a, 1, "append")
			l := s.(*List)
			l.Items = append(l.Items, a[0])
			return nil
		},
		"extend": func(c *call, s Value, a []Value, kw *Dict) Value {
			need(a, 1, "extend")
			l := s.(*List)
			l.Items = append(l.Items, append([]Value(nil), c.toSlice(a[0])...)...)
			return nil
		},
		"insert": func(c *call, s Value, a []Value, kw *Dict) Value {
			need(a, 2, "insert")
			l := s.(*List)
			i := c.toInt(a[0])
			n := int64(len(l.Items))
			if i < 0 {
				i += n
				if i < 0 {
					i = 0
				}
			}
			if i > n {
				i = n
			}
			l.Items = append(l.Items, nil)
			copy(l.Items[i+1:], l.Items[i:])
			l.Items[i] = a[1]
			return nil
		},
		"pop": func(c *call, s Value, a []Value, kw *Dict) Value {
			l := s.(*List)
			if len(l.Items) == 0 {
				throw("IndexError", "pop from empty list")
			}
			i := int64(len(l.Items) - 1)
			if len(a) > 0 {
				i = int64(normIndex(c.toInt(a[0]), len(l.Items), "pop"))
			}
			v := l.Items[i]
			l.Items = append(l.Items[:i], l.Items[i+1:]...)
			return v
		},
		"remove": func(c *call, s Value, a []Value, kw *Dict) Value {
			need(a, 1, "remove")
			l := s.(*List)
			for i, v := range l.Items {
				if c.equal(v, a[0]) {
					l.Items = append(l.Items[:i], l.Items[i+1:]...)
					return nil
				}
			}
			throw("ValueError", "list.remove(x): x not in list")
			return nil
		},
		"index": func(c *call, s Value, a []Value, kw *Dict) Value {
			need(a, 1, "index")
			for i, v := range s.(*List).Items {
				if c.equal(v, a[0]) {
					return int64(i)
				}
			}
			throw("ValueError", "%s is not in list", repr(a[0]))
			return nil
		},
		"count": func(c *call, s Value, a []Value, kw *Dict) Value {
			need(a, 1, "count")
			n := int64(0)
			for _, v := range s.(*List).Items {
				if c.equal(v, a[0]) {
					n++
				}
			}
			return n
		},
		"sort": func(c *call, s Value, a []Value, kw *Dict) Value {
			l := s.(*List)
			l.Items = c.sorted(l.Items, arg(nil, 0, kw, "key", nil), truthy(arg(nil, 0, kw, "reverse", false)))
			return nil
		},
		"reverse": func(c *call, s Value, a []Value, kw *Dict) Value {
			l := s.(*List)
			for i, j := 0, len(l.Items)-1; i < j; i, j = i+1, j-1 {
				l.Items[i], l.Items[j] = l.Items[j], l.Items[i]
			}
			return nil
		},
		"copy": func(c *call, s Value, a []Value, kw *Dict) Value {
			return &List{Items: append([]Value(nil), s.(*List).Items...)}
		},
		"clear": func(c *call, s Value, a []Value, kw *Dict) Value { s.(*List).Items = nil; return nil },
	}
	tupleMethods = map[string]method{
		"index": func(c *call, s Value, a []Value, kw *Dict) Value {
			need(a, 1, "index")
			for i, v := range s.(Tuple) {
				if c.equal(v, a[0]) {
					return int64(i)
				}
			}
			throw("ValueError", "tuple.index(x): x not in tuple")
			return nil
		},
		"count": func(c *call, s Value, a []Value, kw *Dict) Value {
			n := int64(0)
			for _, v := range s.(Tuple) {
				if c.equal(v, a[0]) {
					n++
				}
			}
			return n
		},
	}
	dictMethods = map[string]method{
		"get": func(c *call, s Value, a []Value, kw *Dict) Value {
			need(a, 1, "get")
			if v, ok := s.(*Dict).Get(a[0]); ok {
				return v
			}
			return arg(a, 1, nil, "", nil)
		},
		"keys":   func(c *call, s Value, a []Value, kw *Dict) Value { return &dictView{s.(*Dict), "keys"} },
		"values": func(c *call, s Value, a []Value, kw *Dict) Value { return &dictView{s.(*Dict), "values"} },
		"items":  func(c *call, s Value, a []Value, kw *Dict) Value { return &dictView{s.(*Dict), "items"} },
		"pop": func(c *call, s Value, a []Value, kw *Dict) Value {
			need(a, 1, "pop")
			d := s.(*Dict)
			if v, ok := d.Get(a[0]); ok {
				d.Delete(a[0])
				return v
			}
			if len(a) > 1 {
				return a[1]
			}
			panic(&Exc{Val: newExc(builtinClasses["KeyError"], a[0])})
		},
		"popitem": func(c *call, s Value, a []Value, kw *Dict) Value {
			d := s.(*Dict)
			if d.Len() == 0 {
				throw("KeyError", "popitem(): dictionary is empty")
			}
			k, v := d.Keys[d.Len()-1], d.Vals[d.Len()-1]
			d.Delete(k)
			return Tuple{k, v}
		},
		"setdefault": func(c *call, s Value, a []Value, kw *Dict) Value {
			need(a, 1, "setdefault")
			d := s.(*Dict)
			if v, ok := d.Get(a[0]); ok {
				return v
			}
			v := arg(a, 1, nil, "", nil)
			d.Set(a[0], v)
			return v
		},
		"update": func(c *call, s Value, a []Value, kw *Dict) Value {
			d := s.(*Dict)
			if len(a) > 0 {
				c.dictUpdate(d, a[0])
			}
			if kw != nil {
				for i, k := range kw.Keys {
					d.Set(k, kw.Vals[i])
				}
			}
			return nil
		},
		"copy":  func(c *call, s Value, a []Value, kw *Dict) Value { return s.(*Dict).Copy() },
		"clear": func(c *call, s Value, a []Value, kw *Dict) Value { *s.(*Dict) = *NewDict(); return nil },
	}
	setOp := func(op string) method {
		return func(c *call, s Value, a []Value, kw *Dict) Value {
			out := s.(*Set).Copy()
			for _, o := range a {
				other := NewSet()
				c.iterate(o, func(v Value) bool { other.Add(v); return true })
				out = c.binary(op, out, other).(*Set)
			}
			return out
		}
	}
	setInplace := func(op string) method {
		return func(c *call, s Value, a []Value, kw *Dict) Value {
			r := setOp(op)(c, s, a, kw).(*Set)
			*s.(*Set) = *r
			return nil
		}
	}
	setMethods = map[string]method{
		"add": func(c *call, s Value, a []Value, kw *Dict) Value { need(a, 1, "add"); s.(*Set).Add(a[0]); return nil },
		"remove": func(c *call, s Value, a []Value, kw *Dict) Value {
			need(a, 1, "remove")
			if !s.(*Set).Remove(a[0]) {
				panic(&Exc{Val: newExc(builtinClasses["KeyError"], a[0])})
			}
			return nil
		},
		"discard": func(c *call, s Value, a []Value, kw *Dict) Value {
			need(a, 1, "discard")
			s.(*Set).Remove(a[0])
			return nil
		},
		"pop": func(c *call, s Value, a []Value, kw *Dict) Value {
			st := s.(*Set)
			if st.Len() == 0 {
				throw("KeyError", "pop from an empty set")
			}
			v := setOrder(st)[0]
			st.Remove(v)
			return v
		},
		"union":                       setOp("|"),
		"intersection":                setOp("&"),
		"difference":                  setOp("-"),
		"symmetric_difference":        setOp("^"),
		"update":                      setInplace("|"),
		"intersection_update":         setInplace("&"),
		"difference_update":           setInplace("-"),
		"symmetric_difference_update": setInplace("^"),
		"issubset": func(c *call, s Value, a []Value, kw *Dict) Value {
			other := c.toSet(a[0])
			for _, v := range s.(*Set).Items() {
				if !other.Has(v) {
					return false
				}
			}
			return true
		},
		"issuperset": func(c *call, s Value, a []Value, kw *Dict) Value {
			for _, v := range c.toSet(a[0]).Items() {
				if !s.(*Set).Has(v) {
					return false
				}
			}
			return true
		},
		"isdisjoint": func(c *call, s Value, a []Value, kw *Dict) Value {
			for _, v := range c.toSet(a[0]).Items() {
				if s.(*Set).Has(v) {
					return false
				}
			}
			return true
		},
		"copy":  func(c *call, s Value, a []Value, kw *Dict) Value { return s.(*Set).Copy() },
		"clear": func(c *call, s Value, a []Value, kw *Dict) Value { *s.(*Set) = *NewSet(); return nil },
	}
}

func (c *call) toSet(v Value) *Set {
	s := NewSet()
	c.iterate(v, func(e Value) bool { s.Add(e); return true })
	return s
}

func (c *call) dictUpdate(d *Dict, src Value) {
	if o, ok := src.(*Dict); ok {
		for i, k := range o.Keys {
			d.Set(k, o.Vals[i])
		}
		return
	}
	c.iterate(src, func(p Value) bool {
		kv := c.toSlice(p)
		if len(kv) != 2 {
			throw("ValueError", "dictionary update sequence element has length %d; 2 is required", len(kv))
		}
		d.Set(kv[0], kv[1])
		return true
	})
}

func toIntDef(v Value) int {
	if i, ok := v.(int64); ok {
		return int(i)
	}
	return -1
}

func strList(ss []string) *List {
	out := make([]Value, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return &List{Items: out}
}

func runeIndex(s string, byteIdx int) Value {
	if byteIdx < 0 {
		return int64(-1)
	}
	return int64(len([]rune(s[:byteIdx])))
}

func splitStr(s string, sep Value, max int, right bool) *List {
	if sep == nil {
		f := strings.Fields(s)
		if max >= 0 && len(f) > max+1 {
			if right {
				// keep the head joined: find the split point from the right
				tail := f[len(f)-max:]
				head := strings.TrimRightFunc(s, unicode.IsSpace)
				for i := len(tail) - 1; i >= 0; i-- {
					head = strings.TrimRightFunc(strings.TrimSuffix(head, tail[i]), unicode.IsSpace)
				}
				return strList(append([]string{strings.TrimLeftFunc(head, unicode.IsSpace)}, tail...))
			}
			rest := strings.TrimLeftFunc(s, unicode.IsSpace)
			var out []string
			for i := 0; i < max; i++ {
				idx := strings.IndexFunc(rest, unicode.IsSpace)
				out = append(out, rest[:idx])
				rest = strings.TrimLeftFunc(rest[idx:], unicode.IsSpace)
			}
			return strList(append(out, rest))
		}
		return strList(f)
	}
	sp := sep.(string)
	if sp == "" {
		throw("ValueError", "empty separator")
	}
	if max < 0 {
		return strList(strings.Split(s, sp))
	}
	if !right {
		return strList(strings.SplitN(s, sp, max+1))
	}
	var out []string
	for i := 0; i < max; i++ {
		j := strings.LastIndex(s, sp)
		if j < 0 {
			break
		}
		out = append([]string{s[j+len(sp):]}, out...)
		s = s[:j]
	}
	return strList(append([]string{s}, out...))
}

func pad(s string, w int, fill string, align byte) string {
	n := len([]rune(s))
	if n >= w {
		return s
	}
	total := w - n
	switch align {
	case '<':
		return s + strings.Repeat(fill, total)
	case '>':
		return strings.Repeat(fill, total) + s
	}
	left := total / 2
	if total%2 == 1 && w%2 == 1 {
		left++
	}
	return strings.Repeat(fill, left) + s + strings.Repeat(fill, total-left)
}

// sorted sorts stably with an optional key function, as Python does.
func (c *call) sorted(items []Value, key Value, reverse bool) []Value {
	out := append([]Value(nil), items...)
	keys := out
	if key != nil {
		keys = make([]Value, len(out))
		for i, v := range out {
			keys[i] = c.callValue(key, []Value{v}, nil)
		}
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool {
		if reverse {
			return c.less(keys[idx[j]], keys[idx[i]])
		}
		return c.less(keys[idx[i]], keys[idx[j]])
	})
	res := make([]Value, len(out))
	for i, k := range idx {
		res[i] = out[k]
	}
	return res
}
