package interp

import (
	"github.com/walkerhost/walkerhost/lang/ast"
)

// call is the state of one request: the graph objects read so far, the
// active walks, the call depth and where execution is.
type call struct {
	p            *Program
	host         Host
	nodes        map[NodeID]*Instance
	edges        map[EdgeID]*Instance
	newNodes     []*Instance
	walks        []*walkScope
	gens         []*Generator
	depth        int
	nest         int // nesting of container comparisons
	file         string
	pos          ast.Pos
	ret          Value
	printReports bool
}

type ctl int

const (
	ctlNone ctl = iota
	ctlBreak
	ctlContinue
	ctlReturn
	ctlSkip
	ctlDisengage
)

func (c *call) execBlock(body []ast.Stmt, e *env) ctl {
	for _, s := range body {
		if r := c.exec(s, e); r != ctlNone {
			return r
		}
	}
	return ctlNone
}

func (c *call) exec(s ast.Stmt, e *env) ctl {
	c.pos = s.At()
	switch s := s.(type) {
	case *ast.ExprStmt:
		c.eval(s.X, e)
	case *ast.Assign:
		if s.Value == nil {
			return ctlNone
		}
		v := c.eval(s.Value, e)
		for _, t := range s.Targets {
			c.assign(t, v, e)
		}
	case *ast.AugAssign:
		c.augAssign(s, e)
	case *ast.If:
		for {
			if truthy(c.eval(s.Cond, e)) {
				return c.execBlock(s.Body, e)
			}
			if len(s.Else) == 1 {
				if elif, ok := s.Else[0].(*ast.If); ok {
					s = elif
					c.pos = s.At()
					continue
				}
			}
			return c.execBlock(s.Else, e)
		}
	case *ast.For:
		it := c.eval(s.Iter, e)
		var res ctl
		broke := false
		c.iterate(it, func(v Value) bool {
			c.assign(s.Target, v, e)
			r := c.execBlock(s.Body, e)
			switch r {
			case ctlBreak:
				broke = true
				return false
			case ctlContinue, ctlNone:
				return true
			}
			res = r
			broke = true
			return false
		})
		if res != ctlNone {
			return res
		}
		if !broke {
			return c.execBlock(s.Else, e)
		}
	case *ast.ForTo:
		if s.Init != nil {
			c.exec(s.Init, e)
		}
		for truthy(c.eval(s.Cond, e)) {
			r := c.execBlock(s.Body, e)
			if r == ctlBreak {
				break
			}
			if r != ctlNone && r != ctlContinue {
				return r
			}
			if s.Step != nil {
				c.exec(s.Step, e)
			}
		}
	case *ast.While:
		for truthy(c.eval(s.Cond, e)) {
			r := c.execBlock(s.Body, e)
			if r == ctlBreak {
				return ctlNone
			}
			if r != ctlNone && r != ctlContinue {
				return r
			}
		}
		return c.execBlock(s.Else, e)
	case *ast.Break:
		return ctlBreak
	case *ast.Continue:
		return ctlContinue
	case *ast.Return:
		if s.X != nil {
			c.ret = c.eval(s.X, e)
		} else {
			c.ret = nil
		}
		return ctlReturn
	case *ast.Raise:
		c.raise(s, e)
	case *ast.Try:
		return c.execTry(s, e)
	case *ast.Report:
		c.report(c.eval(s.X, e))
	case *ast.Visit:
		c.visit(s, e)
	case *ast.Disengage:
		if w := c.curWalk(); w != nil {
			w.disengaged = true
		}
		return ctlDisengage
	case *ast.Skip:
		return ctlSkip
	case *ast.Delete:
		for _, t := range s.Targets {
			c.del(t, e)
		}
	case *ast.Assert:
		if !truthy(c.eval(s.Cond, e)) {
			if s.Msg != nil {
				panic(&Exc{Val: newExc(builtinClasses["AssertionError"], c.eval(s.Msg, e))})
			}
			panic(&Exc{Val: newExc(builtinClasses["AssertionError"])})
		}
	case *ast.Names:
		for _, n := range s.Names {
			if s.Nonlocal {
				if e.nonlocal == nil {
					e.nonlocal = map[string]bool{}
				}
				e.nonlocal[n] = true
			} else {
				if e.globals == nil {
					e.globals = map[string]bool{}
				}
				e.globals[n] = true
			}
		}
	case *ast.With:
		for _, it := range s.Items {
			v := c.eval(it.X, e)
			if it.As != nil {
				c.assign(it.As, v, e)
			}
		}
		return c.execBlock(s.Body, e)
	case ast.ArchStmt:
		cls := &Class{Name: s.Name, Kind: s.Kind, decl: s.Archetype, prog: c.p, module: "__main__", file: e.file, Methods: map[string]*Func{}, Statics: map[string]Value{}}
		e.set(s.Name, cls)
		c.defineClass(cls, e, e.file)
	case ast.FuncStmt:
		e.set(s.Name, c.makeFunc(s.Func, e, nil))
	case *ast.Import:
		c.doImport(s, e)
	case *ast.Unsupported:
		throw("NotImplementedError", "%s is not supported", s.What)
	default:
		throw("NotImplementedError", "statement %T is not supported", s)
	}
	return ctlNone
}

func (c *call) raise(s *ast.Raise, e *env) {
	if s.X == nil {
		if cur, ok := e.lookup(" exc"); ok && cur != nil {
			panic(&Exc{Val: cur.(*Instance)})
		}
		throw("RuntimeError", "No active exception to reraise")
	}
	v := c.eval(s.X, e)
	switch x := v.(type) {
	case *Class:
		if x.Exc {
			panic(&Exc{Val: c.instantiate(x, nil, nil).(*Instance)})
		}
	case *Instance:
		if x.Class.Exc {
			panic(&Exc{Val: x})
		}
	}
	throw("TypeError", "exceptions must derive from BaseException")
}

// execTry runs a try statement; exceptions travel as *Exc panics.
func (c *call) execTry(s *ast.Try, e *env) (res ctl) {
	if len(s.Finally) > 0 {
		defer func() {
			r := recover()
			saved := c.ret
			fr := c.execBlock(s.Finally, e)
			if fr != ctlNone {
				res = fr // a return/break in finally wins and drops the exception
				return
			}
			c.ret = saved
			if r != nil {
				panic(r)
			}
		}()
	}
	exc, r := c.tryBody(s.Body, e)
	if exc == nil {
		if r != ctlNone {
			return r
		}
		return c.execBlock(s.Else, e)
	}
	for _, h := range s.Handlers {
		if h.Type != nil && !c.excMatches(exc.Val, c.eval(h.Type, e)) {
			continue
		}
		if h.Name != "" {
			e.set(h.Name, exc.Val)
		}
		prev, had := e.get(" exc")
		e.put(" exc", exc.Val)
		r := c.execBlock(h.Body, e)
		if had {
			e.put(" exc", prev)
		} else {
			e.del(" exc")
		}
		return r
	}
	panic(exc)
}

func (c *call) tryBody(body []ast.Stmt, e *env) (exc *Exc, r ctl) {
	depth, file, nest := c.depth, c.file, c.nest
	defer func() {
		if p := recover(); p != nil {
			c.nest = nest
			x, ok := asExc(p)
			if !ok {
				panic(p)
			}
			if !x.set {
				x.Pos, x.File, x.set = c.pos, c.file, true
			}
			c.depth, c.file = depth, file
			exc = x
		}
	}()
	return nil, c.execBlock(body, e)
}

func (c *call) excMatches(x *Instance, t Value) bool {
	switch t := t.(type) {
	case *Class:
		return x.Class.isSub(t)
	case Tuple:
		for _, tt := range t {
			if c.excMatches(x, tt) {
				return true
			}
		}
	}
	return false
}

func (c *call) assign(t ast.Expr, v Value, e *env) {
	switch t := t.(type) {
	case *ast.Name:
		e.set(t.Name, v)
	case *ast.Attr:
		c.setAttr(c.eval(t.X, e), t.Name, v)
	case *ast.Index:
		c.setIndex(c.eval(t.X, e), c.eval(t.Index, e), v)
	case *ast.Tuple:
		c.unpack(t.Elts, v, e)
	case *ast.List:
		c.unpack(t.Elts, v, e)
	case *ast.Starred:
		c.assign(t.X, v, e)
	default:
		throw("SyntaxError", "cannot assign to expression")
	}
}

func (c *call) unpack(targets []ast.Expr, v Value, e *env) {
	items := c.toSlice(v)
	star := -1
	for i, t := range targets {
		if _, ok := t.(*ast.Starred); ok {
			star = i
		}
	}
	if star < 0 {
		if len(items) != len(targets) {
			if len(items) > len(targets) {
				throw("ValueError", "too many values to unpack (expected %d)", len(targets))
			}
			throw("ValueError", "not enough values to unpack (expected %d, got %d)", len(targets), len(items))
		}
		for i, t := range targets {
			c.assign(t, items[i], e)
		}
		return
	}
	after := len(targets) - star - 1
	if len(items) < star+after {
		throw("ValueError", "not enough values to unpack (expected at least %d, got %d)", star+after, len(items))
	}
	for i := 0; i < star; i++ {
		c.assign(targets[i], items[i], e)
	}
	mid := append([]Value(nil), items[star:len(items)-after]...)
	c.assign(targets[star], &List{Items: mid}, e)
	for i := 0; i < after; i++ {
		c.assign(targets[star+1+i], items[len(items)-after+i], e)
	}
}

func (c *call) augAssign(s *ast.AugAssign, e *env) {
	switch t := s.Target.(type) {
	case *ast.Name:
		cur, ok := e.lookup(t.Name)
		if !ok {
			throw("NameError", "name '%s' is not defined", t.Name)
		}
		e.set(t.Name, c.inplace(s.Op, cur, c.eval(s.Value, e)))
	case *ast.Attr:
		obj := c.eval(t.X, e)
		cur := c.getAttr(obj, t.Name)
		c.setAttr(obj, t.Name, c.inplace(s.Op, cur, c.eval(s.Value, e)))
	case *ast.Index:
		obj := c.eval(t.X, e)
		idx := c.eval(t.Index, e)
		cur := c.index(obj, idx)
		c.setIndex(obj, idx, c.inplace(s.Op, cur, c.eval(s.Value, e)))
	default:
		throw("SyntaxError", "illegal expression for augmented assignment")
	}
}

// inplace is `a op= b`: lists extend in place, like Python's +=.
func (c *call) inplace(op string, a, b Value) Value {
	if l, ok := a.(*List); ok && op == "+" {
		l.Items = append(l.Items, c.toSlice(b)...)
		return l
	}
	if s, ok := a.(*Set); ok && op == "|" {
		for _, v := range c.toSlice(b) {
			s.Add(v)
		}
		return s
	}
	if d, ok := a.(*Dict); ok && op == "|" {
		if o, ok := b.(*Dict); ok {
			for i, k := range o.Keys {
				d.Set(k, o.Vals[i])
			}
			return d
		}
	}
	return c.binary(op, a, b)
}

func (c *call) del(t ast.Expr, e *env) {
	switch t := t.(type) {
	case *ast.Name:
		v, _ := e.lookup(t.Name)
		if inst, ok := v.(*Instance); ok && inst.node != nil {
			c.destroy(inst)
		}
		for s := e; s != nil; s = s.parent {
			if s.del(t.Name) {
				return
			}
		}
		throw("NameError", "name '%s' is not defined", t.Name)
	case *ast.Index:
		obj := c.eval(t.X, e)
		idx := c.eval(t.Index, e)
		if _, isSlice := idx.(*sliceVal); !isSlice {
			// deleting a node or edge held in a container destroys it, as in jaclang
			if inst, ok := c.index(obj, idx).(*Instance); ok && inst.node != nil {
				c.destroy(inst)
			}
		}
		switch o := obj.(type) {
		case *List:
			if sl, ok := idx.(*sliceVal); ok {
				start, stop, step, n := sl.indices(int64(len(o.Items)))
				var keep []Value
				del := map[int64]bool{}
				for i, k := start, int64(0); k < n; i, k = i+step, k+1 {
					del[i] = true
				}
				_ = stop
				for i, v := range o.Items {
					if !del[int64(i)] {
						keep = append(keep, v)
					}
				}
				o.Items = keep
				return
			}
			i := normIndex(c.toInt(idx), len(o.Items), "list")
			o.Items = append(o.Items[:i], o.Items[i+1:]...)
		case *Dict:
			if !o.Delete(idx) {
				panic(&Exc{Val: newExc(builtinClasses["KeyError"], idx)})
			}
		default:
			throw("TypeError", "'%s' object does not support item deletion", typeName(obj))
		}
	case *ast.Attr:
		obj := c.eval(t.X, e)
		if inst, ok := obj.(*Instance); ok {
			delete(inst.Attrs, t.Name)
			return
		}
		throw("AttributeError", "cannot delete attribute '%s'", t.Name)
	case *ast.Tuple:
		for _, x := range t.Elts {
			c.del(x, e)
		}
	case *ast.Disconnect:
		c.eval(t, e)
	default:
		v := c.eval(t, e)
		c.destroyValue(v)
	}
}
