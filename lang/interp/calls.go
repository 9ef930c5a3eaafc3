package interp

import (
	"github.com/walkerhost/walkerhost/lang/ast"
)

func (c *call) makeFunc(d *ast.Func, e *env, cls *Class) *Func {
	f := &Func{Name: d.Name, Params: d.Params, Body: d.Body, Env: e, Class: cls, Static: d.Static, pos: d.Pos}
	f.gen = hasYield(d.Body)
	f.locals = c.p.localsOf(d)
	// methods of a `class` name their receiver as a first parameter
	f.selfParam = cls != nil && cls.Kind == ast.KindClass && !d.Static && len(d.Params) > 0 && d.Params[0].Name == "self"
	for _, dec := range d.Decorators {
		if n, ok := dec.(*ast.Name); ok && (n.Name == "staticmethod" || n.Name == "classmethod") {
			f.Static = true
		}
	}
	c.evalDefaults(f, e)
	return f
}

func (c *call) evalDefaults(f *Func, e *env) {
	for i, p := range f.Params {
		if p.Default != nil {
			if f.Defaults == nil {
				f.Defaults = make([]Value, len(f.Params))
				f.hasDef = make([]bool, len(f.Params))
			}
			f.Defaults[i] = c.eval(p.Default, e)
			f.hasDef[i] = true
		}
	}
}

// decorate applies a def's decorators, innermost first, as Python does.
// Only decorators that are the program's own callables apply (a function,
// a class, a callable instance, or a call of one, like `@times(3)`);
// @staticmethod/@classmethod are read by makeFunc, and framework ones
// (@restspec…) are read by the compiler, so those and names not defined
// leave the function as it is.
func (c *call) decorate(d *ast.Func, f *Func, e *env) Value {
	var v Value = f
	for i := len(d.Decorators) - 1; i >= 0; i-- {
		dec := d.Decorators[i]
		var fn Value
		if call, ok := dec.(*ast.Call); ok {
			if !c.ownCallable(call.Fn, e) {
				continue
			}
			fn = c.eval(call, e)
		} else {
			if !c.ownCallable(dec, e) {
				continue
			}
			fn = c.eval(dec, e)
		}
		v = c.callValue(fn, []Value{v}, nil)
	}
	return v
}

// ownCallable tells whether x names a callable the program defines.
func (c *call) ownCallable(x ast.Expr, e *env) bool {
	var v Value
	switch x := x.(type) {
	case *ast.Name:
		var ok bool
		if v, ok = e.lookup(x.Name); !ok {
			return false
		}
	case *ast.Attr:
		if n, ok := x.X.(*ast.Name); ok {
			if _, ok := e.lookup(n.Name); !ok {
				return false
			}
		}
		v = c.eval(x, e)
	default:
		return false
	}
	switch v := v.(type) {
	case *Func, *Class:
		return true
	case *Bound:
		_, ok := v.Fn.(*Func)
		return ok
	case *Instance:
		_, ok := v.Class.lookup("__call__")
		return ok
	}
	return false
}

// localsOf is assignedLocals(d), worked out once per declaration.
func (p *Program) localsOf(d *ast.Func) map[string]bool {
	if l, ok := p.scopes[d]; ok {
		return l
	}
	l := assignedLocals(d)
	if p.scopes == nil {
		p.scopes = map[*ast.Func]map[string]bool{}
	}
	p.scopes[d] = l
	return l
}

// hasYield tells a generator function by a yield in its own body.
func hasYield(body []ast.Stmt) bool {
	found := false
	var expr func(x ast.Expr)
	var stmts func([]ast.Stmt)
	expr = func(x ast.Expr) {
		if found || x == nil {
			return
		}
		switch x := x.(type) {
		case *ast.Yield:
			found = true
		case *ast.Call:
			expr(x.Fn)
			for _, a := range x.Args {
				expr(a.X)
			}
		case *ast.Binary:
			expr(x.X)
			expr(x.Y)
		case *ast.Walrus:
			expr(x.X)
		case *ast.Await:
			expr(x.X)
		case *ast.Tuple:
			for _, y := range x.Elts {
				expr(y)
			}
		}
	}
	stmts = func(ss []ast.Stmt) {
		for _, s := range ss {
			if found {
				return
			}
			switch s := s.(type) {
			case *ast.ExprStmt:
				expr(s.X)
			case *ast.Assign:
				expr(s.Value)
			case *ast.AugAssign:
				expr(s.Value)
			case *ast.Return:
				expr(s.X)
			case *ast.If:
				expr(s.Cond)
				stmts(s.Body)
				stmts(s.Else)
			case *ast.For:
				stmts(s.Body)
				stmts(s.Else)
			case *ast.ForTo:
				stmts(s.Body)
			case *ast.While:
				stmts(s.Body)
				stmts(s.Else)
			case *ast.Try:
				stmts(s.Body)
				for _, h := range s.Handlers {
					stmts(h.Body)
				}
				stmts(s.Else)
				stmts(s.Finally)
			case *ast.With:
				stmts(s.Body)
			}
		}
	}
	stmts(body)
	return found
}

// callValue calls any callable with positional and keyword arguments.
func (c *call) callValue(fn Value, args []Value, kw *Dict) Value {
	switch f := fn.(type) {
	case *Func:
		return c.callFunc(f, nil, args, kw)
	case *Builtin:
		return f.Fn(c, args, kw)
	case *Bound:
		switch m := f.Fn.(type) {
		case *Func:
			return c.callFunc(m, f.Self, args, kw)
		case *Builtin:
			return m.Fn(c, append([]Value{f.Self}, args...), kw)
		}
	case *TypeObj:
		return f.Fn(c, args, kw)
	case *Class:
		return c.instantiate(f, args, kw)
	case *superVal:
		return f // super() as Python spells it
	case *Instance:
		if m, ok := f.Class.lookup("__call__"); ok {
			return c.callFunc(m.(*Func), f, args, kw)
		}
	}
	throw("TypeError", "'%s' object is not callable", typeName(fn))
	return nil
}

// callFunc runs a user function with self bound (nil for a plain function).
func (c *call) callFunc(f *Func, self Value, args []Value, kw *Dict) Value {
	c.depth++
	if c.depth > MaxDepth {
		c.depth = 0 // let handlers run
		throw("RecursionError", "maximum recursion depth exceeded")
	}
	// one allocation holds the scope and room for its first locals
	fr := &frame{env: env{parent: f.Env, self: f.Env.self, fn: f, file: f.Env.file}}
	e := &fr.env
	if n := len(f.Params) + 2; n <= len(fr.buf) {
		e.locals = fr.buf[:0:n]
	} else {
		e.locals = make([]local, 0, n)
	}
	if self != nil {
		e.self = self
		if f.selfParam {
			args = append([]Value{self}, args...)
		}
	}
	c.bind(f, e, args, kw)
	file := c.file
	if e.file != "" {
		c.file = e.file
	}
	var res Value
	if f.gen {
		res = c.newGenerator(f, e)
	} else if f.Expr != nil {
		res = c.eval(f.Expr, e)
	} else {
		c.ret = nil
		c.execBlock(f.Body, e)
		res = c.ret
		c.ret = nil
	}
	c.file = file
	c.depth--
	return res
}

// nodeInst and walkerInst allocate an instance with its state at once.
type nodeInst struct {
	Instance
	st nodeState
}

type walkerInst struct {
	Instance
	st      walkerState
	reports List
}

func newNodeInst(cls *Class, attrs map[string]Value, st nodeState) *Instance {
	n := &nodeInst{Instance: Instance{Class: cls, Attrs: attrs}, st: st}
	n.Instance.node = &n.st
	return &n.Instance
}

// frame is a function call's scope with inline room for a few locals.
type frame struct {
	env
	buf [3]local
}

// bind assigns arguments to parameters as Python does.
func (c *call) bind(f *Func, e *env, args []Value, kw *Dict) {
	ai := 0
	kwOnly := false
	var varKw *Dict
	used := 0
	for i, p := range f.Params {
		switch p.Kind {
		case ast.ParamKwOnlyMarker:
			kwOnly = true
			continue
		case ast.ParamVarArgs:
			rest := Tuple{}
			if ai < len(args) {
				rest = append(Tuple(nil), args[ai:]...)
				ai = len(args)
			}
			e.put(p.Name, rest)
			kwOnly = true
			continue
		case ast.ParamKwArgs:
			varKw = NewDict()
			e.put(p.Name, varKw)
			continue
		}
		if !kwOnly && ai < len(args) {
			if kw != nil {
				if _, dup := kw.Get(p.Name); dup {
					throw("TypeError", "%s() got multiple values for argument '%s'", f.Name, p.Name)
				}
			}
			e.put(p.Name, args[ai])
			ai++
			continue
		}
		if kw != nil {
			if v, ok := kw.Get(p.Name); ok {
				e.put(p.Name, v)
				used++
				continue
			}
		}
		if f.hasDef != nil && f.hasDef[i] {
			e.put(p.Name, f.Defaults[i])
			continue
		}
		throw("TypeError", "%s() missing 1 required positional argument: '%s'", f.Name, p.Name)
	}
	if ai < len(args) {
		throw("TypeError", "%s() takes %d positional arguments but %d were given", f.Name, ai, len(args))
	}
	if kw != nil && used < kw.Len() {
		for i, k := range kw.Keys {
			name, _ := k.(string)
			if _, ok := e.get(name); ok && isParam(f, name) {
				continue
			}
			if varKw == nil {
				throw("TypeError", "%s() got an unexpected keyword argument '%s'", f.Name, name)
			}
			varKw.Set(k, kw.Vals[i])
		}
	}
}

func isParam(f *Func, name string) bool {
	for _, p := range f.Params {
		if p.Name == name && (p.Kind == ast.ParamNormal) {
			return true
		}
	}
	return false
}

// defineClass fills a class shell from its declaration.
func (c *call) defineClass(cls *Class, e *env, file string) {
	d := cls.decl
	for _, b := range d.Bases {
		bv := c.eval(b, e)
		switch bc := bv.(type) {
		case *Class:
			cls.Bases = append(cls.Bases, bc)
		case *TypeObj:
			// `obj X(str)` etc.: ignored
		}
	}
	cls.mro = computeMRO(cls)
	for _, b := range cls.mro[1:] {
		if b.Exc {
			cls.Exc = true
		}
	}
	// Inherited fields first, in base order; a redeclared field keeps its place.
	seen := map[string]int{}
	for i := len(cls.Bases) - 1; i >= 0; i-- {
		for _, f := range cls.Bases[i].Fields {
			if j, ok := seen[f.name]; ok {
				cls.Fields[j] = f
				continue
			}
			seen[f.name] = len(cls.Fields)
			cls.Fields = append(cls.Fields, f)
		}
	}
	fenv := e
	if e.vars != nil {
		fenv = &env{vars: e.vars, file: file}
	}
	var order []Value
	for _, m := range d.Members {
		switch m := m.(type) {
		case *ast.HasField:
			if m.Static {
				var v Value
				if m.Default != nil {
					v = c.eval(m.Default, e)
				}
				cls.Statics[m.Name] = v
				continue
			}
			f := &field{name: m.Name, def: m.Default, hasDef: m.Default != nil, postIn: m.PostInit, env: fenv}
			if j, ok := seen[m.Name]; ok {
				cls.Fields[j] = f
				continue
			}
			seen[m.Name] = len(cls.Fields)
			cls.Fields = append(cls.Fields, f)
		case *ast.Func:
			fn := c.makeFunc(m, fenv, cls)
			cls.Methods[m.Name] = fn
			if m.Name == "init" || m.Name == "__init__" {
				cls.hasInit = true
			}
		case *ast.Ability:
			ab := &ability{name: m.Name, event: m.Event, body: m.Body, owner: cls, pos: m.Pos}
			for _, t := range m.Types {
				c.abilityType(ab, t, e)
			}
			cls.Abilities = append(cls.Abilities, ab)
			if m.Name != "" {
				// abilities are callable as methods too
				cls.Methods[m.Name] = &Func{Name: m.Name, Body: m.Body, Env: fenv, Class: cls, pos: m.Pos}
			}
		case *ast.EnumValue:
			var v Value
			if m.Value != nil {
				v = c.eval(m.Value, e)
			} else {
				v = int64(len(order) + 1)
			}
			em := &EnumMember{Class: cls, Name: m.Name, Value: v}
			cls.Statics[m.Name] = em
			order = append(order, em)
		}
	}
	cls.EnumOrder = order
	for _, b := range cls.mro[1:] {
		if b.hasInit {
			cls.hasInit = true
		}
	}
	if cls.Kind == ast.KindWalker {
		c.p.walkers[cls.Name] = cls
	}
}

func (c *call) abilityType(ab *ability, t ast.Expr, e *env) {
	switch t := t.(type) {
	case *ast.Binary:
		if t.Op == "|" {
			c.abilityType(ab, t.X, e)
			c.abilityType(ab, t.Y, e)
			return
		}
	case *ast.ArchRef:
		if t.Name == "root" || t.Name == "Root" {
			ab.types = append(ab.types, rootClass)
			return
		}
	case *ast.Special:
		if t.Kind == ast.RootRef {
			ab.types = append(ab.types, rootClass)
			return
		}
	}
	v := c.eval(t, e)
	if cls, ok := v.(*Class); ok {
		ab.types = append(ab.types, cls)
		return
	}
	throw("TypeError", "ability type must be an archetype, not %s", typeName(v))
}

// instantiate builds an instance: a dataclass-like constructor over the
// `has` fields (positional by field order, or keywords), then postinit;
// or the class's own init.
func (c *call) instantiate(cls *Class, args []Value, kw *Dict) Value {
	if cls.Kind == ast.KindEnum {
		if len(args) == 1 {
			for _, m := range cls.EnumOrder {
				if c.equal(m.(*EnumMember).Value, args[0]) {
					return m
				}
			}
		}
		throw("ValueError", "%s is not a valid %s", repr(firstOr(args)), cls.Name)
	}
	attrs := make(map[string]Value, len(cls.Fields)+1)
	var inst *Instance
	switch cls.Kind {
	case ast.KindNode:
		inst = newNodeInst(cls, attrs, nodeState{})
		c.newNodes = append(c.newNodes, inst)
	case ast.KindEdge:
		inst = newNodeInst(cls, attrs, nodeState{edge: true})
	case ast.KindWalker:
		w := &walkerInst{Instance: Instance{Class: cls, Attrs: attrs}}
		w.st.reports = &w.reports
		w.Instance.walker = &w.st
		inst = &w.Instance
	default:
		inst = &Instance{Class: cls, Attrs: attrs}
	}
	if cls.Exc && !cls.hasInit && len(cls.Fields) == 0 && (cls.Kind == "" || cls.Kind == ast.KindClass) {
		inst.Attrs["args"] = Tuple(append([]Value(nil), args...))
		return inst
	}
	if cls.hasInit {
		for _, f := range cls.Fields {
			if f.hasDef {
				inst.Attrs[f.name] = c.eval(f.def, f.env)
			}
		}
		init, _ := cls.lookup("init")
		if init == nil {
			init, _ = cls.lookup("__init__")
		}
		c.callFunc(init.(*Func), inst, args, kw)
	} else {
		ai := 0
		for _, f := range cls.Fields {
			if f.postIn {
				continue
			}
			if ai < len(args) {
				inst.Attrs[f.name] = args[ai]
				ai++
				continue
			}
			if kw != nil {
				if v, ok := kw.Get(f.name); ok {
					inst.Attrs[f.name] = v
					continue
				}
			}
			if f.hasDef {
				inst.Attrs[f.name] = c.eval(f.def, f.env)
				continue
			}
			throw("TypeError", "%s.__init__() missing 1 required positional argument: '%s'", cls.Name, f.name)
		}
		if ai < len(args) {
			throw("TypeError", "%s.__init__() takes %d positional %s but %d were given", cls.Name, ai+1, plural(ai+1, "argument"), len(args)+1)
		}
		if kw != nil {
			for _, k := range kw.Keys {
				name, _ := k.(string)
				if !hasField(cls, name) {
					throw("TypeError", "%s.__init__() got an unexpected keyword argument '%s'", cls.Name, name)
				}
			}
		}
		if cls.Exc {
			inst.Attrs["args"] = Tuple(append([]Value(nil), args...))
		}
	}
	if pi, ok := cls.lookup("postinit"); ok {
		c.callFunc(pi.(*Func), inst, nil, nil)
	} else if pi, ok := cls.lookup("__post_init__"); ok {
		c.callFunc(pi.(*Func), inst, nil, nil)
	}
	return inst
}

func firstOr(a []Value) Value {
	if len(a) > 0 {
		return a[0]
	}
	return nil
}

func hasField(cls *Class, name string) bool {
	for _, f := range cls.Fields {
		if f.name == name {
			return true
		}
	}
	return false
}

// ---- generators: the body runs on its own goroutine, in lock step ----

type genCtx struct {
	g *Generator
}

type genStop struct{}

func (c *call) newGenerator(f *Func, e *env) *Generator {
	return c.startGen(e, func() { c.execBlock(f.Body, e) })
}

// startGen makes a generator whose body run yields through e's generator
// context; it starts at the first resume.
func (c *call) startGen(e *env, run func()) *Generator {
	g := &Generator{next: make(chan struct{}), out: make(chan genItem), exited: make(chan struct{})}
	e.gen = &genCtx{g: g}
	g.start = func() {
		go func() {
			defer close(g.exited)
			defer func() {
				if r := recover(); r != nil {
					if _, ok := r.(genStop); ok || g.stopping {
						return // stopped at the end of the call: nobody is listening
					}
					x, ok := asExc(r)
					if !ok {
						x = excf("RuntimeError", "%v", r)
					}
					g.out <- genItem{exc: x}
					return
				}
				if !g.stopping {
					g.out <- genItem{end: true}
				}
			}()
			if _, ok := <-g.next; !ok {
				panic(genStop{})
			}
			run()
		}()
	}
	c.gens = append(c.gens, g)
	return g
}

// resume runs the generator to its next yield.
func (g *Generator) resume() (Value, bool) {
	if g.done {
		return nil, false
	}
	if g.running {
		throw("ValueError", "generator already executing")
	}
	if g.start != nil {
		g.start()
		g.start = nil
	}
	g.running = true
	g.next <- struct{}{}
	it := <-g.out
	g.running = false
	if it.exc != nil {
		g.done = true
		panic(it.exc)
	}
	if it.end {
		g.done = true
		return nil, false
	}
	return it.v, true
}

// stop ends a generator left unfinished at the end of a call.
func (g *Generator) stop() {
	if g.done || g.start != nil {
		g.done = true
		return
	}
	g.done, g.stopping = true, true
	close(g.next)
	<-g.exited
}

func (c *call) yield(x *ast.Yield, e *env) Value {
	if e.gen == nil {
		throw("SyntaxError", "'yield' outside function")
	}
	g := e.gen.g
	if x.From {
		c.iterate(c.eval(x.X, e), func(v Value) bool { c.genSend(g, v); return true })
		return nil
	}
	var v Value
	if x.X != nil {
		v = c.eval(x.X, e)
	}
	c.genSend(g, v)
	return nil
}

// genSend hands v to the generator's consumer and waits to be resumed.
func (c *call) genSend(g *Generator, v Value) {
	if g.stopping {
		panic(genStop{}) // yielding while being stopped (Python: GeneratorExit ignored)
	}
	depth, file, pos := c.depth, c.file, c.pos
	g.out <- genItem{v: v}
	if _, ok := <-g.next; !ok {
		panic(genStop{})
	}
	c.depth, c.file, c.pos = depth, file, pos
}

func plural(n int, w string) string {
	if n == 1 {
		return w
	}
	return w + "s"
}
