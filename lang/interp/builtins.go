package interp

import (
	"hash/fnv"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

var builtins = map[string]Value{}
var typeObjs = map[string]*TypeObj{}

func bi(name string, fn func(c *call, a []Value, kw *Dict) Value) {
	builtins[name] = &Builtin{Name: name, Fn: fn}
}

func ty(name string, fn func(c *call, a []Value, kw *Dict) Value) {
	t := &TypeObj{Name: name, Fn: fn}
	typeObjs[name] = t
	builtins[name] = t
}

// makeIter returns a pull function over any iterable.
func (c *call) makeIter(v Value) func() (Value, bool) {
	switch x := v.(type) {
	case *Generator:
		return x.resume
	case *Iterator:
		return x.next
	case *List:
		i := 0
		return func() (Value, bool) {
			if i >= len(x.Items) {
				return nil, false
			}
			i++
			return x.Items[i-1], true
		}
	case *Range:
		i, n, k := x.Start, x.Len(), int64(0)
		return func() (Value, bool) {
			if k >= n {
				return nil, false
			}
			v := i
			i += x.Step
			k++
			return v, true
		}
	}
	return sliceIter(c.toSlice(v)).next
}

func (c *call) next(it Value, def Value, hasDef bool) Value {
	var v Value
	var ok bool
	switch x := it.(type) {
	case *Generator:
		v, ok = x.resume()
	case *Iterator:
		v, ok = x.next()
	default:
		throw("TypeError", "'%s' object is not an iterator", typeName(it))
	}
	if !ok {
		if hasDef {
			return def
		}
		panic(&Exc{Val: newExc(builtinClasses["StopIteration"])})
	}
	return v
}

func (c *call) length(v Value) int64 {
	switch x := v.(type) {
	case string:
		if isASCII(x) {
			return int64(len(x))
		}
		return int64(utf8.RuneCountInString(x))
	case Bytes:
		return int64(len(x))
	case *List:
		return int64(len(x.Items))
	case Tuple:
		return int64(len(x))
	case *Dict:
		return int64(x.Len())
	case *Set:
		return int64(x.Len())
	case *Range:
		return x.Len()
	case *dictView:
		return int64(x.d.Len())
	case *Instance:
		if m, ok := x.Class.lookup("__len__"); ok {
			return c.toInt(c.callFunc(m.(*Func), x, nil, nil))
		}
	case *Class:
		if x.Kind == "enum" {
			return int64(len(x.EnumOrder))
		}
	}
	throw("TypeError", "object of type '%s' has no len()", typeName(v))
	return 0
}

func (c *call) isInstance(v Value, t Value) bool {
	switch t := t.(type) {
	case Tuple:
		for _, x := range t {
			if c.isInstance(v, x) {
				return true
			}
		}
		return false
	case *Class:
		switch x := v.(type) {
		case *Instance:
			return x.Class.isSub(t)
		case *EnumMember:
			return x.Class == t
		}
		return false
	case *TypeObj:
		n := typeName(v)
		switch t.Name {
		case "object":
			return true
		case "int":
			return n == "int" || n == "bool"
		case "float":
			return n == "float"
		case "type":
			_, ok1 := v.(*Class)
			_, ok2 := v.(*TypeObj)
			return ok1 || ok2
		}
		return n == t.Name
	}
	throw("TypeError", "isinstance() arg 2 must be a type, a tuple of types, or a union")
	return false
}

func (c *call) minMax(a []Value, kw *Dict, wantMax bool, name string) Value {
	items := a
	if len(a) == 1 {
		items = c.toSlice(a[0])
	}
	key := arg(nil, 0, kw, "key", nil)
	if len(items) == 0 {
		if kw != nil {
			if d, ok := kw.Get("default"); ok {
				return d
			}
		}
		throw("ValueError", "%s() iterable argument is empty", name)
	}
	best := items[0]
	var bestKey Value = best
	if key != nil {
		bestKey = c.callValue(key, []Value{best}, nil)
	}
	for _, v := range items[1:] {
		k := v
		if key != nil {
			k = c.callValue(key, []Value{v}, nil)
		}
		if (wantMax && c.less(bestKey, k)) || (!wantMax && c.less(k, bestKey)) {
			best, bestKey = v, k
		}
	}
	return best
}

func parseIntStr(s string, base int) Value {
	t := strings.TrimSpace(strings.ReplaceAll(s, "_", ""))
	neg := strings.HasPrefix(t, "-")
	u := strings.TrimLeft(t, "+-")
	if len(u) > 2 && u[0] == '0' {
		p := strings.ToLower(u[:2])
		if (base == 16 && p == "0x") || (base == 8 && p == "0o") || (base == 2 && p == "0b") {
			u = u[2:]
			t = u
			if neg {
				t = "-" + u
			}
		}
	}
	i, err := strconv.ParseInt(t, base, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			if b, ok := new(big.Int).SetString(t, base); ok {
				return b
			}
		}
		throw("ValueError", "invalid literal for int() with base %d: %s", base, strRepr(s))
	}
	return i
}

func parseFloatStr(s string) float64 {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "inf", "+inf", "infinity", "+infinity":
		return math.Inf(1)
	case "-inf", "-infinity":
		return math.Inf(-1)
	case "nan", "+nan", "-nan":
		return math.NaN()
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(t, "_", ""), 64)
	if err != nil && !math.IsInf(f, 0) {
		throw("ValueError", "could not convert string to float: %s", strRepr(s))
	}
	return f
}

func toFloat(v Value) float64 {
	switch x := v.(type) {
	case *big.Int:
		return bigFloat(x)
	case int64:
		return float64(x)
	case float64:
		return x
	case bool:
		return float64(b2i(x))
	}
	throw("TypeError", "must be real number, not %s", typeName(v))
	return 0
}

func ptrID(v Value) uintptr {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func:
		return rv.Pointer()
	}
	return 0
}

func init() {
	bi("print", func(c *call, a []Value, kw *Dict) Value {
		sep, end := " ", "\n"
		if kw != nil {
			if v, ok := kw.Get("sep"); ok && v != nil {
				sep = v.(string)
			}
			if v, ok := kw.Get("end"); ok && v != nil {
				end = v.(string)
			}
		}
		var b strings.Builder
		for i, v := range a {
			if i > 0 {
				b.WriteString(sep)
			}
			b.WriteString(str(v))
		}
		b.WriteString(end)
		c.host.Print(b.String())
		return nil
	})
	bi("len", func(c *call, a []Value, kw *Dict) Value { need(a, 1, "len"); return c.length(a[0]) })
	ty("range", func(c *call, a []Value, kw *Dict) Value {
		r := &Range{Step: 1}
		switch len(a) {
		case 1:
			r.Stop = c.toInt(a[0])
		case 2:
			r.Start, r.Stop = c.toInt(a[0]), c.toInt(a[1])
		case 3:
			r.Start, r.Stop, r.Step = c.toInt(a[0]), c.toInt(a[1]), c.toInt(a[2])
			if r.Step == 0 {
				throw("ValueError", "range() arg 3 must not be zero")
			}
		default:
			throw("TypeError", "range expected at most 3 arguments, got %d", len(a))
		}
		return r
	})
	bi("enumerate", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "enumerate")
		it := c.makeIter(a[0])
		i := c.toInt(arg(a, 1, kw, "start", int64(0)))
		return &Iterator{next: func() (Value, bool) {
			v, ok := it()
			if !ok {
				return nil, false
			}
			i++
			return Tuple{i - 1, v}, true
		}}
	})
	bi("zip", func(c *call, a []Value, kw *Dict) Value {
		its := make([]func() (Value, bool), len(a))
		for i, x := range a {
			its[i] = c.makeIter(x)
		}
		return &Iterator{next: func() (Value, bool) {
			if len(its) == 0 {
				return nil, false
			}
			t := make(Tuple, len(its))
			for i, it := range its {
				v, ok := it()
				if !ok {
					return nil, false
				}
				t[i] = v
			}
			return t, true
		}}
	})
	bi("map", func(c *call, a []Value, kw *Dict) Value {
		need(a, 2, "map")
		fn := a[0]
		its := make([]func() (Value, bool), len(a)-1)
		for i, x := range a[1:] {
			its[i] = c.makeIter(x)
		}
		return &Iterator{next: func() (Value, bool) {
			args := make([]Value, len(its))
			for i, it := range its {
				v, ok := it()
				if !ok {
					return nil, false
				}
				args[i] = v
			}
			return c.callValue(fn, args, nil), true
		}}
	})
	bi("filter", func(c *call, a []Value, kw *Dict) Value {
		need(a, 2, "filter")
		fn, it := a[0], c.makeIter(a[1])
		return &Iterator{next: func() (Value, bool) {
			for {
				v, ok := it()
				if !ok {
					return nil, false
				}
				if (fn == nil && truthy(v)) || (fn != nil && truthy(c.callValue(fn, []Value{v}, nil))) {
					return v, true
				}
			}
		}}
	})
	bi("sorted", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "sorted")
		return &List{Items: c.sorted(c.toSlice(a[0]), arg(nil, 0, kw, "key", nil), truthy(arg(nil, 0, kw, "reverse", false)))}
	})
	bi("reversed", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "reversed")
		items := append([]Value(nil), c.toSlice(a[0])...)
		for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
			items[i], items[j] = items[j], items[i]
		}
		return sliceIter(items)
	})
	bi("min", func(c *call, a []Value, kw *Dict) Value { return c.minMax(a, kw, false, "min") })
	bi("max", func(c *call, a []Value, kw *Dict) Value { return c.minMax(a, kw, true, "max") })
	bi("sum", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "sum")
		acc := arg(a, 1, kw, "start", int64(0))
		// floats add with Neumaier compensation, as CPython 3.12 does
		var fsum, comp float64
		floats := false
		c.iterate(a[0], func(v Value) bool {
			f, isF := v.(float64)
			if !isF {
				if floats {
					acc, floats = c.binary("+", acc, fsum+comp), false
				}
				acc = c.binary("+", acc, v)
				return true
			}
			if !floats {
				floats, fsum, comp = true, 0, 0
				if af, ok := acc.(float64); ok {
					fsum, acc = af, int64(0)
				} else if ai, ok := acc.(int64); ok {
					fsum, acc = float64(ai), int64(0)
				} else {
					acc = c.binary("+", acc, 0.0)
					fsum, acc = acc.(float64), int64(0)
				}
			}
			t := fsum + f
			if math.Abs(fsum) >= math.Abs(f) {
				comp += (fsum - t) + f
			} else {
				comp += (f - t) + fsum
			}
			fsum = t
			return true
		})
		if floats {
			r := fsum + comp
			if comp != 0 && (math.IsInf(comp, 0) || math.IsNaN(comp)) {
				r = fsum
			}
			return r
		}
		return acc
	})
	bi("any", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "any")
		r := false
		c.iterate(a[0], func(v Value) bool { r = truthy(v); return !r })
		return r
	})
	bi("all", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "all")
		r := true
		c.iterate(a[0], func(v Value) bool { r = truthy(v); return r })
		return r
	})
	bi("isinstance", func(c *call, a []Value, kw *Dict) Value { need(a, 2, "isinstance"); return c.isInstance(a[0], a[1]) })
	bi("issubclass", func(c *call, a []Value, kw *Dict) Value {
		need(a, 2, "issubclass")
		x, ok1 := a[0].(*Class)
		y, ok2 := a[1].(*Class)
		return ok1 && ok2 && x.isSub(y)
	})
	ty("str", func(c *call, a []Value, kw *Dict) Value {
		if len(a) == 0 {
			return ""
		}
		if inst, ok := a[0].(*Instance); ok {
			if m, ok := inst.Class.lookup("__str__"); ok {
				return c.callFunc(m.(*Func), inst, nil, nil)
			}
		}
		return str(a[0])
	})
	ty("int", func(c *call, a []Value, kw *Dict) Value {
		if len(a) == 0 {
			return int64(0)
		}
		switch x := a[0].(type) {
		case int64:
			return x
		case bool:
			return b2i(x)
		case float64:
			if math.IsInf(x, 0) || math.IsNaN(x) {
				throw("ValueError", "cannot convert float %s to integer", floatRepr(x))
			}
			if math.Abs(x) >= 9.2e18 {
				b, _ := new(big.Float).SetFloat64(math.Trunc(x)).Int(nil)
				return normBig(b)
			}
			return int64(x)
		case *big.Int:
			return x
		case string:
			base := 10
			if len(a) > 1 {
				base = int(c.toInt(a[1]))
			}
			return parseIntStr(x, base)
		}
		throw("TypeError", "int() argument must be a string, a bytes-like object or a real number, not '%s'", typeName(a[0]))
		return nil
	})
	ty("float", func(c *call, a []Value, kw *Dict) Value {
		if len(a) == 0 {
			return 0.0
		}
		if s, ok := a[0].(string); ok {
			return parseFloatStr(s)
		}
		return toFloat(a[0])
	})
	ty("bool", func(c *call, a []Value, kw *Dict) Value { return len(a) > 0 && truthy(a[0]) })
	ty("list", func(c *call, a []Value, kw *Dict) Value {
		if len(a) == 0 {
			return &List{}
		}
		return &List{Items: append([]Value(nil), c.toSlice(a[0])...)}
	})
	ty("tuple", func(c *call, a []Value, kw *Dict) Value {
		if len(a) == 0 {
			return Tuple{}
		}
		return Tuple(append([]Value(nil), c.toSlice(a[0])...))
	})
	ty("set", func(c *call, a []Value, kw *Dict) Value {
		if len(a) == 0 {
			return NewSet()
		}
		return c.toSet(a[0])
	})
	ty("frozenset", func(c *call, a []Value, kw *Dict) Value {
		if len(a) == 0 {
			return NewSet()
		}
		return c.toSet(a[0])
	})
	ty("dict", func(c *call, a []Value, kw *Dict) Value {
		d := NewDict()
		if len(a) > 0 {
			c.dictUpdate(d, a[0])
		}
		if kw != nil {
			for i, k := range kw.Keys {
				d.Set(k, kw.Vals[i])
			}
		}
		return d
	})
	ty("object", func(c *call, a []Value, kw *Dict) Value {
		return &Instance{Class: objectClass, Attrs: map[string]Value{}}
	})
	ty("type", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "type")
		switch x := a[0].(type) {
		case *Instance:
			return x.Class
		case *EnumMember:
			return x.Class
		}
		if t, ok := typeObjs[typeName(a[0])]; ok {
			return t
		}
		return &TypeObj{Name: typeName(a[0])}
	})
	ty("bytes", func(c *call, a []Value, kw *Dict) Value {
		if len(a) == 0 {
			return Bytes("")
		}
		switch x := a[0].(type) {
		case string:
			return Bytes(x)
		case Bytes:
			return x
		case int64:
			return Bytes(make([]byte, x))
		}
		var b []byte
		c.iterate(a[0], func(v Value) bool { b = append(b, byte(c.toInt(v))); return true })
		return Bytes(b)
	})
	bi("repr", func(c *call, a []Value, kw *Dict) Value { need(a, 1, "repr"); return repr(a[0]) })
	bi("ascii", func(c *call, a []Value, kw *Dict) Value { need(a, 1, "ascii"); return repr(a[0]) })
	bi("abs", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "abs")
		switch x := a[0].(type) {
		case int64:
			if x == math.MinInt64 {
				return new(big.Int).Abs(big.NewInt(x))
			}
			return abs64(x)
		case bool:
			return b2i(x)
		case float64:
			return math.Abs(x)
		case *big.Int:
			return normBig(new(big.Int).Abs(x))
		}
		throw("TypeError", "bad operand type for abs(): '%s'", typeName(a[0]))
		return nil
	})
	bi("round", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "round")
		nd := arg(a, 1, kw, "ndigits", nil)
		switch x := a[0].(type) {
		case *big.Int:
			return x
		case int64:
			if nd == nil || c.toInt(nd) >= 0 {
				return x
			}
			p := int64(math.Pow10(int(-c.toInt(nd))))
			f := math.RoundToEven(float64(x)/float64(p)) * float64(p)
			return int64(f)
		case bool:
			return b2i(x)
		case float64:
			if nd == nil {
				if math.IsInf(x, 0) || math.IsNaN(x) {
					throw("OverflowError", "cannot convert float infinity to integer")
				}
				return int64(math.RoundToEven(x))
			}
			n := c.toInt(nd)
			if n < 0 {
				p := math.Pow10(int(-n))
				return math.RoundToEven(x/p) * p
			}
			f, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', int(n), 64), 64)
			return f
		}
		throw("TypeError", "type %s doesn't define __round__ method", typeName(a[0]))
		return nil
	})
	bi("hasattr", func(c *call, a []Value, kw *Dict) Value { need(a, 2, "hasattr"); return c.hasAttr(a[0], a[1].(string)) })
	bi("getattr", func(c *call, a []Value, kw *Dict) Value {
		need(a, 2, "getattr")
		name, _ := a[1].(string)
		if len(a) > 2 && !c.hasAttr(a[0], name) {
			return a[2]
		}
		return c.getAttr(a[0], name)
	})
	bi("setattr", func(c *call, a []Value, kw *Dict) Value {
		need(a, 3, "setattr")
		c.setAttr(a[0], a[1].(string), a[2])
		return nil
	})
	bi("iter", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "iter")
		switch x := a[0].(type) {
		case *Generator, *Iterator:
			return x
		}
		return &Iterator{next: c.makeIter(a[0])}
	})
	bi("next", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "next")
		return c.next(a[0], arg(a, 1, nil, "", nil), len(a) > 1)
	})
	bi("ord", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "ord")
		s, _ := a[0].(string)
		if utf8.RuneCountInString(s) != 1 {
			throw("TypeError", "ord() expected a character, but string of length %d found", utf8.RuneCountInString(s))
		}
		r, _ := utf8.DecodeRuneInString(s)
		return int64(r)
	})
	bi("chr", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "chr")
		i := c.toInt(a[0])
		if i < 0 || i > 0x10ffff {
			throw("ValueError", "chr() arg not in range(0x110000)")
		}
		return string(rune(i))
	})
	base := func(name, prefix string, b int) {
		bi(name, func(c *call, a []Value, kw *Dict) Value {
			need(a, 1, name)
			i := c.toInt(a[0])
			if i < 0 {
				return "-" + prefix + strconv.FormatUint(uint64(-i), b)
			}
			return prefix + strconv.FormatInt(i, b)
		})
	}
	base("hex", "0x", 16)
	base("oct", "0o", 8)
	base("bin", "0b", 2)
	bi("divmod", func(c *call, a []Value, kw *Dict) Value {
		need(a, 2, "divmod")
		return Tuple{c.binary("//", a[0], a[1]), c.binary("%", a[0], a[1])}
	})
	bi("pow", func(c *call, a []Value, kw *Dict) Value {
		need(a, 2, "pow")
		if len(a) > 2 {
			b, e, m := c.toInt(a[0]), c.toInt(a[1]), c.toInt(a[2])
			r := int64(1) % m
			b %= m
			for ; e > 0; e >>= 1 {
				if e&1 == 1 {
					r = mulmod(r, b, m)
				}
				b = mulmod(b, b, m)
			}
			if r < 0 {
				r += m
			}
			return r
		}
		return c.binary("**", a[0], a[1])
	})
	bi("format", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "format")
		spec, _ := arg(a, 1, kw, "format_spec", "").(string)
		return c.format(a[0], spec)
	})
	bi("callable", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "callable")
		switch a[0].(type) {
		case *Func, *Builtin, *Bound, *Class, *TypeObj:
			return true
		}
		return false
	})
	bi("id", func(c *call, a []Value, kw *Dict) Value { need(a, 1, "id"); return int64(ptrID(a[0]) & math.MaxInt64) })
	bi("hash", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "hash")
		k := hashKey(a[0])
		switch x := k.(type) {
		case int64:
			return x
		case string:
			h := fnv.New64a()
			h.Write([]byte(x))
			return int64(h.Sum64() >> 1)
		}
		return int64(ptrID(a[0]) & math.MaxInt64)
	})
	bi("vars", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "vars")
		inst, ok := a[0].(*Instance)
		if !ok {
			throw("TypeError", "vars() argument must have __dict__ attribute")
		}
		d := NewDict()
		for _, f := range inst.Class.Fields {
			d.Set(f.name, inst.Attrs[f.name])
		}
		return d
	})
	bi("input", func(c *call, a []Value, kw *Dict) Value { return "" })
	bi("staticmethod", func(c *call, a []Value, kw *Dict) Value { return a[0] })
	bi("classmethod", func(c *call, a []Value, kw *Dict) Value { return a[0] })
	bi("property", func(c *call, a []Value, kw *Dict) Value { return a[0] })
	builtins["NotImplemented"] = nil
	builtins["Ellipsis"] = ellipsis{}
	for _, n := range []string{"Any", "Optional", "Union", "List", "Dict", "Set", "Tuple", "Callable"} {
		ty(n, func(c *call, a []Value, kw *Dict) Value { return nil })
	}
}

var objectClass = &Class{Name: "object", Kind: "class", Methods: map[string]*Func{}, Statics: map[string]Value{}}

func init() { objectClass.mro = []*Class{objectClass} }

func mulmod(a, b, m int64) int64 {
	hi, lo := mulU(uint64(abs64(a)), uint64(abs64(b)))
	_ = hi
	if hi == 0 && lo <= math.MaxInt64 {
		r := int64(lo) % m
		if (a < 0) != (b < 0) {
			r = -r
		}
		return r
	}
	return int64(math.Mod(float64(a)*float64(b), float64(m)))
}

func mulU(a, b uint64) (uint64, uint64) {
	const mask = 1<<32 - 1
	a0, a1 := a&mask, a>>32
	b0, b1 := b&mask, b>>32
	w0 := a0 * b0
	t := a1*b0 + w0>>32
	w1, w2 := t&mask, t>>32
	w1 += a0 * b1
	return a1*b1 + w2 + w1>>32, a * b
}

// typeStatic is a class-level function of a built-in type: str.join,
// dict.fromkeys, int.from_bytes…
func typeStatic(typ, name string) Value {
	if typ == "datetime" || typ == "date" {
		switch name {
		case "strptime":
			return &Builtin{Name: name, Fn: func(c *call, a []Value, kw *Dict) Value {
				need(a, 2, name)
				return strptime(str(a[0]), str(a[1]))
			}}
		case "now", "utcnow", "today":
			return &Builtin{Name: name, Fn: func(c *call, a []Value, kw *Dict) Value {
				t := c.now()
				if name == "utcnow" || len(a) > 0 {
					t = t.UTC()
				}
				if typ == "date" {
					y, m, d := t.Date()
					return &timeVal{date: true, t: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
				}
				return &timeVal{t: t}
			}}
		case "fromisoformat":
			return &Builtin{Name: name, Fn: func(c *call, a []Value, kw *Dict) Value {
				need(a, 1, name)
				s := str(a[0])
				for _, l := range []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", "2006-01-02"} {
					if t, err := time.Parse(l, s); err == nil {
						return &timeVal{t: t, date: typ == "date"}
					}
				}
				throw("ValueError", "Invalid isoformat string: %s", strRepr(s))
				return nil
			}}
		}
	}
	if typ == "dict" && name == "fromkeys" {
		return &Builtin{Name: name, Fn: func(c *call, a []Value, kw *Dict) Value {
			d := NewDict()
			v := arg(a, 1, kw, "value", nil)
			c.iterate(a[0], func(k Value) bool { d.Set(k, v); return true })
			return d
		}}
	}
	var m method
	switch typ {
	case "str":
		m = strMethods[name]
	case "list":
		m = listMethods[name]
	case "dict":
		m = dictMethods[name]
	case "set":
		m = setMethods[name]
	}
	if m == nil {
		return nil
	}
	return &Builtin{Name: name, Fn: func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, name)
		return m(c, a[0], a[1:], kw)
	}}
}
