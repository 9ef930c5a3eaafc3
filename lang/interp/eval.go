package interp

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/walkerhost/walkerhost/lang/ast"
)

func (c *call) eval(x ast.Expr, e *env) Value {
	switch x := x.(type) {
	case *ast.Name:
		v, ok := e.lookup(x.Name)
		if !ok {
			throw("NameError", "name '%s' is not defined", x.Name)
		}
		return v
	case *ast.Lit:
		return c.lit(x)
	case *ast.Special:
		return c.special(x.Kind, e)
	case *ast.FString:
		return c.fstring(x, e)
	case *ast.Unary:
		v := c.eval(x.X, e)
		return c.unary(x.Op, v)
	case *ast.Binary:
		return c.binary(x.Op, c.eval(x.X, e), c.eval(x.Y, e))
	case *ast.BoolOp:
		l := c.eval(x.X, e)
		if x.Op == "and" {
			if !truthy(l) {
				return l
			}
		} else if truthy(l) {
			return l
		}
		return c.eval(x.Y, e)
	case *ast.Compare:
		l := c.eval(x.X, e)
		for i, op := range x.Ops {
			r := c.eval(x.Ys[i], e)
			if !c.compare(op, l, r) {
				return false
			}
			l = r
		}
		return true
	case *ast.Cond:
		if truthy(c.eval(x.Cond, e)) {
			return c.eval(x.Then, e)
		}
		return c.eval(x.Else, e)
	case *ast.Lambda:
		f := &Func{Name: "<lambda>", Params: x.Params, Expr: x.Body, Env: e, pos: x.Pos}
		c.evalDefaults(f, e)
		return f
	case *ast.Call:
		return c.evalCall(x, e)
	case *ast.Attr:
		obj := c.eval(x.X, e)
		if obj == nil && x.NullSafe {
			return nil
		}
		return c.getAttr(obj, x.Name)
	case *ast.Index:
		obj := c.eval(x.X, e)
		if obj == nil && x.NullSafe {
			return nil
		}
		return c.index(obj, c.eval(x.Index, e))
	case *ast.Slice:
		s := &sliceVal{}
		if x.Lo != nil {
			s.lo = c.eval(x.Lo, e)
		}
		if x.Hi != nil {
			s.hi = c.eval(x.Hi, e)
		}
		if x.Step != nil {
			s.step = c.eval(x.Step, e)
		}
		return s
	case *ast.List:
		return &List{Items: c.evalElts(x.Elts, e)}
	case *ast.Tuple:
		return Tuple(c.evalElts(x.Elts, e))
	case *ast.Set:
		s := NewSet()
		for _, v := range c.evalElts(x.Elts, e) {
			s.Add(v)
		}
		return s
	case *ast.Dict:
		d := newDictSize(len(x.Items))
		for _, it := range x.Items {
			if it.Key == nil {
				o, ok := c.eval(it.Value, e).(*Dict)
				if !ok {
					throw("TypeError", "'%s' object is not a mapping", typeName(o))
				}
				for i, k := range o.Keys {
					d.Set(k, o.Vals[i])
				}
				continue
			}
			k := c.eval(it.Key, e)
			d.Set(k, c.eval(it.Value, e))
		}
		return d
	case *ast.Comp:
		return c.comp(x, e)
	case *ast.Walrus:
		v := c.eval(x.X, e)
		e.set(x.Name, v)
		return v
	case *ast.Await:
		return c.eval(x.X, e)
	case *ast.Yield:
		return c.yield(x, e)
	case *ast.EdgeRef:
		return c.edgeRef(x, e)
	case *ast.FilterExpr:
		return c.filterExpr(x, e)
	case *ast.Connect:
		return c.connect(x, e)
	case *ast.Disconnect:
		return c.disconnect(x, e)
	case *ast.Spawn:
		return c.spawnExpr(x, e)
	case *ast.ArchRef:
		if x.Name == "root" {
			return rootClass
		}
		v, ok := e.lookup(x.Name)
		if !ok {
			throw("NameError", "name '%s' is not defined", x.Name)
		}
		return v
	case *ast.Starred:
		throw("SyntaxError", "can't use starred expression here")
	case *ast.Unsupported:
		throw("NotImplementedError", "%s is not supported", x.What)
	}
	throw("NotImplementedError", "expression %T is not supported", x)
	return nil
}

func (c *call) special(k ast.SpecialKind, e *env) Value {
	switch k {
	case ast.Self:
		return e.self
	case ast.RootRef:
		return c.rootNode()
	case ast.Here:
		if w := c.curWalk(); w != nil && w.here != nil {
			return w.here
		}
		throw("NameError", "name 'here' is not defined")
	case ast.Visitor:
		if w := c.curWalk(); w != nil {
			return w.walker
		}
		throw("NameError", "name 'visitor' is not defined")
	case ast.Super:
		if e.fn == nil || e.fn.Class == nil {
			throw("RuntimeError", "super(): no arguments")
		}
		return &superVal{self: e.self, cls: e.fn.Class}
	}
	return nil
}

// superVal is super() inside a method.
type superVal struct {
	self Value
	cls  *Class
}

// lit is a literal's value, converted once per Program: literal values are
// immutable, and parsing them (and boxing them as a Value) on every
// evaluation showed in profiles of tight loops.
func (c *call) lit(x *ast.Lit) Value {
	if v, ok := c.p.lits[x]; ok {
		return v
	}
	v := litValue(x)
	if c.p.lits == nil {
		c.p.lits = map[*ast.Lit]Value{}
	}
	c.p.lits[x] = v
	return v
}

func litValue(x *ast.Lit) Value {
	switch x.Kind {
	case ast.LitInt:
		s := strings.ReplaceAll(x.Value, "_", "")
		i, err := strconv.ParseInt(s, 0, 64)
		if err != nil {
			if len(s) > 1 && s[0] == '0' && s[1] >= '0' && s[1] <= '9' {
				i, err = strconv.ParseInt(strings.TrimLeft(s, "0"), 10, 64)
				if err == nil {
					return i
				}
				return int64(0)
			}
			if b, ok := new(big.Int).SetString(s, 0); ok {
				return b
			}
			throw("ValueError", "bad integer literal %s", s)
		}
		return i
	case ast.LitFloat:
		f, err := strconv.ParseFloat(strings.ReplaceAll(x.Value, "_", ""), 64)
		if err != nil && !math.IsInf(f, 0) {
			throw("ValueError", "bad float literal %s", x.Value)
		}
		return f
	case ast.LitString:
		return x.Value
	case ast.LitBytes:
		return Bytes(x.Value)
	case ast.LitBool:
		return x.Value == "True"
	case ast.LitEllipsis:
		return ellipsis{}
	}
	return nil
}

type ellipsis struct{}

func (c *call) evalElts(elts []ast.Expr, e *env) []Value {
	out := make([]Value, 0, len(elts))
	for _, x := range elts {
		if s, ok := x.(*ast.Starred); ok {
			out = append(out, c.toSlice(c.eval(s.X, e))...)
			continue
		}
		out = append(out, c.eval(x, e))
	}
	return out
}

func (c *call) evalCall(x *ast.Call, e *env) Value {
	var fn Value
	// obj.method(...) without building a bound method for lists, dicts…
	if a, ok := x.Fn.(*ast.Attr); ok {
		obj := c.eval(a.X, e)
		if obj == nil && a.NullSafe {
			return nil
		}
		if m := builtinMethod(obj, a.Name); m != nil {
			args, kw := c.evalArgs(x.Args, e)
			return m(c, obj, args, kw)
		}
		fn = c.getAttr(obj, a.Name)
	} else {
		fn = c.eval(x.Fn, e)
		if f, ok := fn.(*Func); ok && len(x.Args) <= 4 && positional(x.Args) {
			return c.callStacked(f, x.Args, e)
		}
	}
	args, kw := c.evalArgs(x.Args, e)
	pos := c.pos
	v := c.callValue(fn, args, kw)
	c.pos = pos
	return v
}

// callStacked calls a program function with at most four plain
// positional arguments, evaluated into an array on the Go stack: callFunc
// copies them into the callee's scope and keeps no reference to the slice,
// so a call allocates no argument list.
func (c *call) callStacked(f *Func, list []*ast.Arg, e *env) Value {
	var buf [4]Value
	for i, a := range list {
		buf[i] = c.eval(a.X, e)
	}
	pos := c.pos
	v := c.callFunc(f, nil, buf[:len(list)], nil)
	c.pos = pos
	return v
}

func positional(list []*ast.Arg) bool {
	for _, a := range list {
		if a.Star != 0 || a.Name != "" {
			return false
		}
	}
	return true
}

func (c *call) evalArgs(list []*ast.Arg, e *env) ([]Value, *Dict) {
	var args []Value
	var kw *Dict
	if len(list) > 0 {
		args = make([]Value, 0, len(list))
	}
	for i, a := range list {
		switch {
		case a.Star == 1:
			args = append(args, c.toSlice(c.eval(a.X, e))...)
		case a.Star == 2:
			d, ok := c.eval(a.X, e).(*Dict)
			if !ok {
				throw("TypeError", "argument after ** must be a mapping")
			}
			if kw == nil {
				kw = NewDict()
			}
			for i, k := range d.Keys {
				kw.Set(k, d.Vals[i])
			}
		case a.Name != "":
			if kw == nil {
				kw = newDictSize(len(list) - i)
			}
			kw.Set(a.Name, c.eval(a.X, e))
		default:
			args = append(args, c.eval(a.X, e))
		}
	}
	return args, kw
}

// fstring evaluates an f-string.
func (c *call) fstring(x *ast.FString, e *env) string {
	var b strings.Builder
	for _, p := range x.Parts {
		switch p := p.(type) {
		case *ast.Lit:
			b.WriteString(p.Value)
		case *ast.FormatPart:
			v := c.eval(p.X, e)
			if p.Debug {
				b.WriteString(p.Text + "=")
				if p.Conv == 0 && p.Spec == nil {
					b.WriteString(repr(v))
					continue
				}
			}
			switch p.Conv {
			case 'r', 'a':
				v = repr(v)
			case 's':
				v = str(v)
			}
			spec := ""
			if p.Spec != nil {
				spec = c.fstring(p.Spec, e)
			}
			b.WriteString(c.format(v, spec))
		default:
			b.WriteString(str(c.eval(p, e)))
		}
	}
	return b.String()
}

// comp evaluates a comprehension in its own scope.
func (c *call) comp(x *ast.Comp, e *env) Value {
	ce := e.child()
	if x.Kind == ast.CompGen {
		return c.genExpr(x, e, ce)
	}
	var list []Value
	var d *Dict
	if x.Kind == ast.CompDict {
		d = NewDict()
	}
	var loop func(i int)
	loop = func(i int) {
		if i == len(x.Fors) {
			if d != nil {
				k := c.eval(x.Key, ce)
				d.Set(k, c.eval(x.Elt, ce))
			} else {
				list = append(list, c.eval(x.Elt, ce))
			}
			return
		}
		f := x.Fors[i]
		env := ce
		if i == 0 {
			env = e // the first iterable is evaluated in the enclosing scope
		}
		c.iterate(c.eval(f.Iter, env), func(v Value) bool {
			c.assign(f.Target, v, ce)
			for _, cond := range f.Ifs {
				if !truthy(c.eval(cond, ce)) {
					return true
				}
			}
			loop(i + 1)
			return true
		})
	}
	loop(0)
	switch x.Kind {
	case ast.CompDict:
		return d
	case ast.CompSet:
		s := NewSet()
		for _, v := range list {
			s.Add(v)
		}
		return s
	}
	return &List{Items: list}
}

// genExpr is a generator expression: lazy, as in Python, so it can stop
// early and read infinite iterators. Its first iterable is evaluated at
// once in the enclosing scope, the rest as elements are asked for.
func (c *call) genExpr(x *ast.Comp, e, ce *env) Value {
	first := c.eval(x.Fors[0].Iter, e)
	var g *Generator
	var loop func(i int)
	loop = func(i int) {
		if i == len(x.Fors) {
			c.genSend(g, c.eval(x.Elt, ce))
			return
		}
		f := x.Fors[i]
		var it Value
		if i == 0 {
			it = first
		} else {
			it = c.eval(f.Iter, ce)
		}
		c.iterate(it, func(v Value) bool {
			c.assign(f.Target, v, ce)
			for _, cond := range f.Ifs {
				if !truthy(c.eval(cond, ce)) {
					return true
				}
			}
			loop(i + 1)
			return true
		})
	}
	g = c.startGen(ce, func() { loop(0) })
	return g
}

func sliceIter(items []Value) *Iterator {
	i := 0
	return &Iterator{next: func() (Value, bool) {
		if i >= len(items) {
			return nil, false
		}
		i++
		return items[i-1], true
	}}
}
