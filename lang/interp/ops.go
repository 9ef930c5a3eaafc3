package interp

import (
	"math"
	"math/big"
	"math/bits"
	"reflect"
	"strings"
	"unicode/utf8"
)

func (c *call) unary(op string, v Value) Value {
	switch op {
	case "not":
		return !truthy(v)
	case "-":
		switch x := v.(type) {
		case int64:
			if x == math.MinInt64 {
				return new(big.Int).Neg(big.NewInt(x))
			}
			return -x
		case *big.Int:
			return normBig(new(big.Int).Neg(x))
		case bool:
			return -b2i(x)
		case float64:
			return -x
		}
	case "+":
		switch x := v.(type) {
		case int64, float64, *big.Int:
			return x
		case bool:
			return b2i(x)
		}
	case "~":
		switch x := v.(type) {
		case int64:
			return ^x
		case bool:
			return ^b2i(x)
		case *big.Int:
			return normBig(new(big.Int).Not(x))
		}
	}
	throw("TypeError", "bad operand type for unary %s: '%s'", op, typeName(v))
	return nil
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// numbers converts a pair to int64s (ok=1) or float64s (ok=2).
func numbers(a, b Value) (ia, ib int64, fa, fb float64, kind int) {
	switch x := a.(type) {
	case int64:
		ia = x
	case bool:
		ia = b2i(x)
	case float64:
		fa = x
		kind = 2
	default:
		return 0, 0, 0, 0, 0
	}
	switch y := b.(type) {
	case int64:
		ib = y
	case bool:
		ib = b2i(y)
	case float64:
		fb = y
		if kind != 2 {
			fa = float64(ia)
		}
		return ia, ib, fa, fb, 2
	default:
		return 0, 0, 0, 0, 0
	}
	if kind == 2 {
		fb = float64(ib)
		return ia, ib, fa, fb, 2
	}
	return ia, ib, 0, 0, 1
}

func overflow() { throw("OverflowError", "integer overflow (ints are 64-bit)") }

func (c *call) binary(op string, a, b Value) Value {
	ia, ib, fa, fb, kind := numbers(a, b)
	if kind == 0 {
		if x, y, f1, f2, k := bigOperands(a, b); k == 1 {
			if r, ok := c.bigBinary(op, x, y); ok {
				return r
			}
		} else if k == 2 {
			fa, fb, kind = f1, f2, 2
		}
	}
	if kind == 1 {
		switch op {
		case "+":
			r := ia + ib
			if (r > ia) != (ib > 0) {
				v, _ := c.bigBinary(op, big.NewInt(ia), big.NewInt(ib))
				return v
			}
			return r
		case "-":
			r := ia - ib
			if (r < ia) != (ib > 0) {
				v, _ := c.bigBinary(op, big.NewInt(ia), big.NewInt(ib))
				return v
			}
			return r
		case "*":
			if ia == 0 || ib == 0 {
				return int64(0)
			}
			hi, lo := bits.Mul64(uint64(abs64(ia)), uint64(abs64(ib)))
			if hi != 0 || lo > math.MaxInt64 || ia == math.MinInt64 || ib == math.MinInt64 {
				v, _ := c.bigBinary(op, big.NewInt(ia), big.NewInt(ib))
				return v
			}
			if (ia < 0) != (ib < 0) {
				return -int64(lo)
			}
			return int64(lo)
		case "/":
			if ib == 0 {
				throw("ZeroDivisionError", "division by zero")
			}
			return float64(ia) / float64(ib)
		case "//":
			if ib == 0 {
				throw("ZeroDivisionError", "integer division or modulo by zero")
			}
			q := ia / ib
			if (ia%ib != 0) && ((ia < 0) != (ib < 0)) {
				q--
			}
			return q
		case "%":
			if ib == 0 {
				throw("ZeroDivisionError", "integer modulo by zero")
			}
			m := ia % ib
			if m != 0 && ((m < 0) != (ib < 0)) {
				m += ib
			}
			return m
		case "**":
			if ib < 0 {
				if ia == 0 {
					throw("ZeroDivisionError", "0.0 cannot be raised to a negative power")
				}
				return math.Pow(float64(ia), float64(ib))
			}
			switch ia {
			case 0:
				if ib == 0 {
					return int64(1)
				}
				return int64(0)
			case 1:
				return int64(1)
			case -1:
				if ib%2 == 0 {
					return int64(1)
				}
				return int64(-1)
			}
			if ib > 62 { // |ia| >= 2: beyond int64 for sure
				v, _ := c.bigBinary(op, big.NewInt(ia), big.NewInt(ib))
				return v
			}
			r := Value(int64(1))
			for e := ib; e > 0; e-- {
				r = c.binary("*", r, ia)
				if _, isBig := r.(*big.Int); isBig {
					v, _ := c.bigBinary(op, big.NewInt(ia), big.NewInt(ib))
					return v
				}
			}
			return r
		case "&":
			return ia & ib
		case "|":
			if _, ok := a.(bool); ok {
				if _, ok := b.(bool); ok {
					return ia|ib != 0
				}
			}
			return ia | ib
		case "^":
			return ia ^ ib
		case "<<":
			if ib < 0 {
				throw("ValueError", "negative shift count")
			}
			if ib >= 63 || (ia != 0 && bits.Len64(uint64(abs64(ia)))+int(ib) > 62) {
				v, _ := c.bigBinary(op, big.NewInt(ia), big.NewInt(ib))
				return v
			}
			return ia << uint(ib)
		case ">>":
			if ib < 0 {
				throw("ValueError", "negative shift count")
			}
			if ib > 63 {
				ib = 63
			}
			return ia >> uint(ib)
		}
	} else if kind == 2 {
		switch op {
		case "+":
			return fa + fb
		case "-":
			return fa - fb
		case "*":
			return fa * fb
		case "/":
			if fb == 0 {
				throw("ZeroDivisionError", "float division by zero")
			}
			return fa / fb
		case "//":
			if fb == 0 {
				throw("ZeroDivisionError", "float floor division by zero")
			}
			return math.Floor(fa / fb)
		case "%":
			if fb == 0 {
				throw("ZeroDivisionError", "float modulo")
			}
			m := math.Mod(fa, fb)
			if m != 0 && ((m < 0) != (fb < 0)) {
				m += fb
			}
			return m
		case "**":
			if fa == 0 && fb < 0 {
				throw("ZeroDivisionError", "0.0 cannot be raised to a negative power")
			}
			return math.Pow(fa, fb)
		}
	}
	switch x := a.(type) {
	case string:
		switch op {
		case "+":
			if y, ok := b.(string); ok {
				return x + y
			}
			throw("TypeError", "can only concatenate str (not \"%s\") to str", typeName(b))
		case "*":
			if n, ok := b.(int64); ok {
				if n <= 0 {
					return ""
				}
				return strings.Repeat(x, int(n))
			}
		case "%":
			return c.percent(x, b)
		}
	case Bytes:
		if y, ok := b.(Bytes); ok && op == "+" {
			return x + y
		}
	case *List:
		switch op {
		case "+":
			if y, ok := b.(*List); ok {
				out := make([]Value, 0, len(x.Items)+len(y.Items))
				return &List{Items: append(append(out, x.Items...), y.Items...)}
			}
			throw("TypeError", "can only concatenate list (not \"%s\") to list", typeName(b))
		case "*":
			if n, ok := b.(int64); ok {
				var out []Value
				for i := int64(0); i < n; i++ {
					out = append(out, x.Items...)
				}
				return &List{Items: out}
			}
		}
	case Tuple:
		switch op {
		case "+":
			if y, ok := b.(Tuple); ok {
				return append(append(Tuple(nil), x...), y...)
			}
		case "*":
			if n, ok := b.(int64); ok {
				var out Tuple
				for i := int64(0); i < n; i++ {
					out = append(out, x...)
				}
				return out
			}
		}
	case int64:
		if op == "*" {
			switch b.(type) {
			case string, *List, Tuple:
				return c.binary("*", b, a)
			}
		}
	case *Set:
		if y, ok := b.(*Set); ok {
			out := NewSet()
			switch op {
			case "|":
				for _, v := range x.Items() {
					out.Add(v)
				}
				for _, v := range y.Items() {
					out.Add(v)
				}
				return out
			case "&":
				for _, v := range x.Items() {
					if y.Has(v) {
						out.Add(v)
					}
				}
				return out
			case "-":
				for _, v := range x.Items() {
					if !y.Has(v) {
						out.Add(v)
					}
				}
				return out
			case "^":
				for _, v := range x.Items() {
					if !y.Has(v) {
						out.Add(v)
					}
				}
				for _, v := range y.Items() {
					if !x.Has(v) {
						out.Add(v)
					}
				}
				return out
			}
		}
	case *Dict:
		if y, ok := b.(*Dict); ok && op == "|" {
			out := x.Copy()
			for i, k := range y.Keys {
				out.Set(k, y.Vals[i])
			}
			return out
		}
	case *Instance:
		if m, ok := x.Class.lookup(dunder[op]); ok {
			return c.callFunc(m.(*Func), x, []Value{b}, nil)
		}
	}
	if ta, ok := a.(*timeVal); ok {
		return c.timeOp(op, ta, b)
	}
	throw("TypeError", "unsupported operand type(s) for %s: '%s' and '%s'", op, typeName(a), typeName(b))
	return nil
}

var dunder = map[string]string{"+": "__add__", "-": "__sub__", "*": "__mul__", "/": "__truediv__",
	"//": "__floordiv__", "%": "__mod__", "**": "__pow__", "==": "__eq__", "<": "__lt__"}

func abs64(i int64) int64 {
	if i < 0 {
		return -i
	}
	return i
}

func (c *call) compare(op string, a, b Value) bool {
	if x, ok := a.(*Set); ok {
		if y, ok := b.(*Set); ok {
			switch op {
			case "<=":
				return c.subset(x, y)
			case ">=":
				return c.subset(y, x)
			case ">":
				return c.less(b, a)
			}
		}
	}
	switch op {
	case "==":
		return c.equal(a, b)
	case "!=":
		return !c.equal(a, b)
	case "<":
		return c.less(a, b)
	case ">":
		return c.less(b, a)
	case "<=":
		return !c.less(b, a)
	case ">=":
		return !c.less(a, b)
	case "in":
		return c.contains(b, a)
	case "not in":
		return !c.contains(b, a)
	case "is":
		return identical(a, b)
	case "is not":
		return !identical(a, b)
	}
	throw("SyntaxError", "unknown comparison %s", op)
	return false
}

func identical(a, b Value) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool, int64, float64, string:
		return a == b
	case Tuple:
		y, ok := b.(Tuple)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	}
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	if ta != tb || !ta.Comparable() {
		return false
	}
	return a == b
}

func (c *call) equal(a, b Value) bool {
	if x, y, f1, f2, k := bigOperands(a, b); k == 1 {
		return x.Cmp(y) == 0
	} else if k == 2 {
		return f1 == f2
	}
	ia, ib, fa, fb, kind := numbers(a, b)
	if kind == 1 {
		return ia == ib
	}
	if kind == 2 {
		return fa == fb
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case Bytes:
		y, ok := b.(Bytes)
		return ok && x == y
	case *List:
		y, ok := b.(*List)
		return ok && c.equalSlices(x.Items, y.Items)
	case Tuple:
		y, ok := b.(Tuple)
		return ok && c.equalSlices(x, y)
	case *Dict:
		y, ok := b.(*Dict)
		if !ok || x.Len() != y.Len() {
			return false
		}
		c.enter()
		defer func() { c.nest-- }()
		for i, k := range x.Keys {
			v, ok := y.Get(k)
			if !ok || !c.equal(x.Vals[i], v) {
				return false
			}
		}
		return true
	case *Set:
		y, ok := b.(*Set)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, v := range x.Items() {
			if !y.Has(v) {
				return false
			}
		}
		return true
	case *Range:
		y, ok := b.(*Range)
		return ok && *x == *y
	case *Instance:
		y, ok := b.(*Instance)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		if m, ok := x.Class.lookup("__eq__"); ok {
			return truthy(c.callFunc(m.(*Func), x, []Value{b}, nil))
		}
		return false // archetype instances compare by identity, as in jaclang
	case *timeVal:
		y, ok := b.(*timeVal)
		return ok && x.equal(y)
	case *uuidVal:
		y, ok := b.(*uuidVal)
		return ok && x.b == y.b
	}
	return identical(a, b)
}

// enter counts the nesting of a comparison of containers; past MaxDepth
// it raises RecursionError, as CPython does, instead of overflowing.
func (c *call) enter() {
	c.nest++
	if c.nest > MaxDepth {
		c.nest = 0
		throw("RecursionError", "maximum recursion depth exceeded in comparison")
	}
}

func (c *call) equalSlices(a, b []Value) bool {
	if len(a) != len(b) {
		return false
	}
	c.enter()
	defer func() { c.nest-- }()
	for i := range a {
		if !identical(a[i], b[i]) && !c.equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

func (c *call) less(a, b Value) bool {
	if x, y, f1, f2, k := bigOperands(a, b); k == 1 {
		return x.Cmp(y) < 0
	} else if k == 2 {
		return f1 < f2
	}
	ia, ib, fa, fb, kind := numbers(a, b)
	if kind == 1 {
		return ia < ib
	}
	if kind == 2 {
		return fa < fb
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return x < y
		}
	case Bytes:
		if y, ok := b.(Bytes); ok {
			return x < y
		}
	case *List:
		if y, ok := b.(*List); ok {
			return c.lessSlices(x.Items, y.Items)
		}
	case Tuple:
		if y, ok := b.(Tuple); ok {
			return c.lessSlices(x, y)
		}
	case *Set:
		if y, ok := b.(*Set); ok {
			if x.Len() >= y.Len() {
				return false
			}
			for _, v := range x.Items() {
				if !y.Has(v) {
					return false
				}
			}
			return true
		}
	case *Instance:
		if m, ok := x.Class.lookup("__lt__"); ok {
			return truthy(c.callFunc(m.(*Func), x, []Value{b}, nil))
		}
	case *timeVal:
		if y, ok := b.(*timeVal); ok {
			return x.less(y)
		}
	}
	throw("TypeError", "'<' not supported between instances of '%s' and '%s'", typeName(a), typeName(b))
	return false
}

func (c *call) subset(x, y *Set) bool {
	for _, v := range x.Items() {
		if !y.Has(v) {
			return false
		}
	}
	return true
}

func (c *call) lessSlices(a, b []Value) bool {
	c.enter()
	defer func() { c.nest-- }()
	for i := 0; i < len(a) && i < len(b); i++ {
		if !c.equal(a[i], b[i]) {
			return c.less(a[i], b[i])
		}
	}
	return len(a) < len(b)
}

func (c *call) contains(container, v Value) bool {
	switch x := container.(type) {
	case Bytes:
		if y, ok := v.(Bytes); ok {
			return strings.Contains(string(x), string(y))
		}
	case string:
		s, ok := v.(string)
		if !ok {
			throw("TypeError", "'in <string>' requires string as left operand, not %s", typeName(v))
		}
		return strings.Contains(x, s)
	case *List:
		for _, e := range x.Items {
			if c.equal(e, v) {
				return true
			}
		}
		return false
	case Tuple:
		for _, e := range x {
			if c.equal(e, v) {
				return true
			}
		}
		return false
	case *Dict:
		_, ok := x.Get(v)
		return ok
	case *Set:
		return x.Has(v)
	case *dictView:
		if x.kind == "keys" {
			_, ok := x.d.Get(v)
			return ok
		}
	case *Range:
		i, ok := v.(int64)
		if !ok {
			return false
		}
		if x.Step > 0 {
			return i >= x.Start && i < x.Stop && (i-x.Start)%x.Step == 0
		}
		return i <= x.Start && i > x.Stop && (x.Start-i)%(-x.Step) == 0
	}
	found := false
	c.iterate(container, func(e Value) bool {
		if c.equal(e, v) {
			found = true
			return false
		}
		return true
	})
	return found
}

// ---- indexing ----

type sliceVal struct{ lo, hi, step Value }

// indices resolves a slice against a length as Python's slice.indices.
func (s *sliceVal) indices(n int64) (start, stop, step, count int64) {
	step = 1
	if s.step != nil {
		step = toIntV(s.step)
		if step == 0 {
			throw("ValueError", "slice step cannot be zero")
		}
	}
	clamp := func(v Value, def int64) int64 {
		if v == nil {
			return def
		}
		i := toIntV(v)
		if i < 0 {
			i += n
			if i < 0 {
				if step < 0 {
					return -1
				}
				return 0
			}
		}
		if i >= n {
			if step < 0 {
				return n - 1
			}
			return n
		}
		return i
	}
	if step > 0 {
		start, stop = clamp(s.lo, 0), clamp(s.hi, n)
		if stop > start {
			count = (stop - start + step - 1) / step
		}
	} else {
		start, stop = clamp(s.lo, n-1), clamp(s.hi, -1)
		if s.hi == nil {
			stop = -1
		}
		if start > stop {
			count = (start - stop - step - 1) / (-step)
		}
	}
	return
}

func toIntV(v Value) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case bool:
		return b2i(x)
	case nil:
		return 0
	}
	throw("TypeError", "slice indices must be integers or None or have an __index__ method")
	return 0
}

func normIndex(i int64, n int, what string) int {
	if i < 0 {
		i += int64(n)
	}
	if i < 0 || i >= int64(n) {
		throw("IndexError", "%s index out of range", what)
	}
	return int(i)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func (c *call) index(obj, idx Value) Value {
	switch x := obj.(type) {
	case *List:
		if s, ok := idx.(*sliceVal); ok {
			return &List{Items: sliceOf(x.Items, s)}
		}
		return x.Items[normIndex(c.toInt(idx), len(x.Items), "list")]
	case Tuple:
		if s, ok := idx.(*sliceVal); ok {
			return Tuple(sliceOf(x, s))
		}
		return x[normIndex(c.toInt(idx), len(x), "tuple")]
	case string:
		if isASCII(x) {
			if s, ok := idx.(*sliceVal); ok {
				start, _, step, n := s.indices(int64(len(x)))
				if step == 1 {
					return x[start : start+n]
				}
				b := make([]byte, 0, n)
				for i, k := start, int64(0); k < n; i, k = i+step, k+1 {
					b = append(b, x[i])
				}
				return string(b)
			}
			i := normIndex(c.toInt(idx), len(x), "string")
			return x[i : i+1]
		}
		rs := []rune(x)
		if s, ok := idx.(*sliceVal); ok {
			start, _, step, n := s.indices(int64(len(rs)))
			out := make([]rune, 0, n)
			for i, k := start, int64(0); k < n; i, k = i+step, k+1 {
				out = append(out, rs[i])
			}
			return string(out)
		}
		return string(rs[normIndex(c.toInt(idx), len(rs), "string")])
	case *Dict:
		v, ok := x.Get(idx)
		if !ok {
			panic(&Exc{Val: newExc(builtinClasses["KeyError"], idx)})
		}
		return v
	case Bytes:
		if s, ok := idx.(*sliceVal); ok {
			return Bytes(c.index(string(x), s).(string))
		}
		return int64(x[normIndex(c.toInt(idx), len(x), "index")])
	case *Range:
		if s, ok := idx.(*sliceVal); ok {
			start, _, step, n := s.indices(x.Len())
			return &Range{Start: x.Start + start*x.Step, Stop: x.Start + (start+n*step)*x.Step, Step: step * x.Step}
		}
		i := normIndex(c.toInt(idx), int(x.Len()), "range object")
		return x.Start + int64(i)*x.Step
	case *Instance:
		if m, ok := x.Class.lookup("__getitem__"); ok {
			return c.callFunc(m.(*Func), x, []Value{idx}, nil)
		}
	case *Class:
		if name, ok := idx.(string); ok && x.Kind == "enum" {
			if m, ok := x.Statics[name].(*EnumMember); ok {
				return m
			}
			panic(&Exc{Val: newExc(builtinClasses["KeyError"], idx)})
		}
		return x // list[str]-style annotations used as values
	case *TypeObj:
		return x
	}
	throw("TypeError", "'%s' object is not subscriptable", typeName(obj))
	return nil
}

func sliceOf(items []Value, s *sliceVal) []Value {
	start, _, step, n := s.indices(int64(len(items)))
	out := make([]Value, 0, n)
	for i, k := start, int64(0); k < n; i, k = i+step, k+1 {
		out = append(out, items[i])
	}
	return out
}

func (c *call) setIndex(obj, idx, v Value) {
	switch x := obj.(type) {
	case *List:
		if s, ok := idx.(*sliceVal); ok {
			start, _, step, n := s.indices(int64(len(x.Items)))
			vals := c.toSlice(v)
			if step == 1 {
				out := append([]Value(nil), x.Items[:start]...)
				out = append(out, vals...)
				x.Items = append(out, x.Items[start+n:]...)
				return
			}
			if int64(len(vals)) != n {
				throw("ValueError", "attempt to assign sequence of size %d to extended slice of size %d", len(vals), n)
			}
			for i, k := start, int64(0); k < n; i, k = i+step, k+1 {
				x.Items[i] = vals[k]
			}
			return
		}
		x.Items[normIndex(c.toInt(idx), len(x.Items), "list assignment")] = v
		return
	case *Dict:
		x.Set(idx, v)
		return
	case *Instance:
		if m, ok := x.Class.lookup("__setitem__"); ok {
			c.callFunc(m.(*Func), x, []Value{idx, v}, nil)
			return
		}
	}
	throw("TypeError", "'%s' object does not support item assignment", typeName(obj))
}

func (c *call) toInt(v Value) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case bool:
		return b2i(x)
	}
	throw("TypeError", "indices must be integers, not %s", typeName(v))
	return 0
}

// ---- iteration ----

// iterate calls fn for each element of v until fn returns false.
func (c *call) iterate(v Value, fn func(Value) bool) {
	switch x := v.(type) {
	case *List:
		for i := 0; i < len(x.Items); i++ {
			if !fn(x.Items[i]) {
				return
			}
		}
	case Tuple:
		for _, e := range x {
			if !fn(e) {
				return
			}
		}
	case string:
		for _, r := range x {
			if !fn(string(r)) {
				return
			}
		}
	case Bytes:
		for i := 0; i < len(x); i++ {
			if !fn(int64(x[i])) {
				return
			}
		}
	case *Dict:
		keys := append([]Value(nil), x.Keys...)
		for _, k := range keys {
			if !fn(k) {
				return
			}
		}
	case *Set:
		for _, k := range append([]Value(nil), x.Items()...) {
			if !fn(k) {
				return
			}
		}
	case *Range:
		n := x.Len()
		for i, k := x.Start, int64(0); k < n; i, k = i+x.Step, k+1 {
			if !fn(i) {
				return
			}
		}
	case *dictView:
		for _, e := range x.items() {
			if !fn(e) {
				return
			}
		}
	case *Generator:
		for {
			e, ok := x.resume()
			if !ok || !fn(e) {
				return
			}
		}
	case *Iterator:
		for {
			e, ok := x.next()
			if !ok || !fn(e) {
				return
			}
		}
	case *Class:
		if x.Kind == "enum" {
			for _, m := range x.EnumOrder {
				if !fn(m) {
					return
				}
			}
			return
		}
		throw("TypeError", "'type' object is not iterable")
	case *Instance:
		if m, ok := x.Class.lookup("__iter__"); ok {
			c.iterate(c.callFunc(m.(*Func), x, nil, nil), fn)
			return
		}
		throw("TypeError", "'%s' object is not iterable", typeName(v))
	default:
		throw("TypeError", "'%s' object is not iterable", typeName(v))
	}
}

func (c *call) toSlice(v Value) []Value {
	switch x := v.(type) {
	case *List:
		return x.Items
	case Tuple:
		return x
	}
	var out []Value
	c.iterate(v, func(e Value) bool { out = append(out, e); return true })
	return out
}
