package interp

import (
	"fmt"
	"path"
	"runtime/debug"
	"strings"

	"github.com/walkerhost/walkerhost/lang/ast"
)

// MaxDepth bounds nested calls, as Python's recursion limit does
// (RecursionError past it). An embedder may change it between calls.
var MaxDepth = 1000

// Program is a loaded Jac program. Its module state (globals, classes)
// lives as long as the Program, like a Python module's in a long-running
// server; everything belonging to one request lives in a per-call state.
// A Program serves one call at a time.
type Program struct {
	host    Host
	globals map[string]Value
	genv    *env
	classes map[string]*Class
	entries []entryBlock
	walkers map[string]*Class
	random  *Module
	cur     *call // the call being served
	lits    map[*ast.Lit]Value
	scopes  map[*ast.Func]map[string]bool
}

type entryBlock struct {
	file string
	b    *ast.EntryBlock
}

// env is one scope: a function's locals (or a comprehension's), chained to
// the enclosing scopes; the module scope is last. The module scope keeps
// its names in a map; a local scope in a small slice, searched linearly,
// which is cheaper than a map for the few names a function has.
type env struct {
	vars     map[string]Value // module scope only
	locals   []local
	parent   *env
	globals  map[string]bool // names declared `global`
	nonlocal map[string]bool
	self     Value
	fn       *Func
	gen      *genCtx
	file     string
}

type local struct {
	name string
	v    Value
}

func (e *env) get(name string) (Value, bool) {
	if e.vars != nil {
		v, ok := e.vars[name]
		return v, ok
	}
	for i := range e.locals {
		if e.locals[i].name == name {
			return e.locals[i].v, true
		}
	}
	return nil, false
}

func (e *env) put(name string, v Value) {
	if e.vars != nil {
		e.vars[name] = v
		return
	}
	for i := range e.locals {
		if e.locals[i].name == name {
			e.locals[i].v = v
			return
		}
	}
	e.locals = append(e.locals, local{name, v})
}

func (e *env) del(name string) bool {
	if e.vars != nil {
		_, ok := e.vars[name]
		delete(e.vars, name)
		return ok
	}
	for i := range e.locals {
		if e.locals[i].name == name {
			e.locals = append(e.locals[:i], e.locals[i+1:]...)
			return true
		}
	}
	return false
}

func (e *env) lookup(name string) (Value, bool) {
	for s := e; s != nil; s = s.parent {
		if v, ok := s.get(name); ok {
			return v, true
		}
		if s.fn != nil && s.fn.locals != nil && s.parent == s.fn.Env && s.fn.locals[name] {
			throw("UnboundLocalError", "cannot access local variable '%s' where it is not associated with a value", name)
		}
	}
	v, ok := builtins[name]
	return v, ok
}

func (e *env) root() *env {
	s := e
	for s.parent != nil {
		s = s.parent
	}
	return s
}

func (e *env) set(name string, v Value) {
	if e.globals != nil && e.globals[name] {
		e.root().put(name, v)
		return
	}
	if e.nonlocal != nil && e.nonlocal[name] {
		for s := e.parent; s != nil; s = s.parent {
			if _, ok := s.get(name); ok {
				s.put(name, v)
				return
			}
		}
	}
	e.put(name, v)
}

func (e *env) child() *env {
	return &env{parent: e, self: e.self, fn: e.fn, gen: e.gen, file: e.file}
}

// Load declares the archetypes, functions and globals of files (in order)
// and evaluates the global initialisers; `with entry` blocks run in Main.
func Load(files []*ast.File, host Host) (p *Program, err error) {
	p = &Program{host: host, globals: map[string]Value{}, classes: map[string]*Class{}, walkers: map[string]*Class{}}
	p.genv = &env{vars: p.globals}
	c := p.newCall()
	defer c.finish(&err)
	for _, cls := range []*Class{rootClass, genericEdgeClass} {
		p.globals[cls.Name] = cls
	}
	p.globals["__name__"] = "__main__"
	// Shells first, so that bases and ability types may name archetypes
	// declared further down.
	for i, f := range files {
		module := "__main__"
		if i > 0 {
			module = strings.TrimSuffix(path.Base(f.Name), ".jac")
		}
		for _, it := range f.Items {
			if a, ok := it.(*ast.Archetype); ok {
				cls := &Class{Name: a.Name, Kind: a.Kind, decl: a, prog: p, module: module, file: f.Name, Methods: map[string]*Func{}, Statics: map[string]Value{}}
				p.classes[a.Name] = cls
				p.globals[a.Name] = cls
			}
		}
	}
	for _, f := range files {
		fenv := &env{vars: p.globals, file: f.Name}
		for _, it := range f.Items {
			c.pos, c.file = it.At(), f.Name
			switch d := it.(type) {
			case *ast.Import:
				c.doImport(d, fenv)
			case *ast.Global:
				for _, v := range d.Vars {
					var val Value
					if v.Default != nil {
						val = c.eval(v.Default, fenv)
					}
					p.globals[v.Name] = val
				}
			case *ast.Archetype:
				c.defineClass(p.classes[d.Name], fenv, f.Name)
			case *ast.Func:
				p.globals[d.Name] = c.decorate(d, c.makeFunc(d, fenv, nil), fenv)
			case *ast.EntryBlock:
				p.entries = append(p.entries, entryBlock{f.Name, d})
			}
		}
	}
	return p, nil
}

// newCall makes the state of one request.
func (p *Program) newCall() *call {
	c := &call{p: p, host: p.host, nodes: map[NodeID]*Instance{}, edges: map[EdgeID]*Instance{}}
	p.cur = c
	return c
}

// finish turns an escaping exception or Go panic into an error, writes
// changed nodes back and stops leftover generators.
func (c *call) finish(errp *error) {
	if r := recover(); r != nil {
		*errp = c.toError(r)
	}
	for _, g := range c.gens {
		g.stop()
	}
	c.gens = nil
	if *errp == nil {
		*errp = c.flush()
	}
}

func (c *call) toError(r any) error {
	if x, ok := asExc(r); ok {
		if !x.set {
			x.Pos, x.File, x.set = c.pos, c.file, true
		}
		return x.toError()
	}
	if x, ok := r.(*Error); ok {
		return x
	}
	_ = debug.Stack
	return &Error{Type: "InternalError", Msg: fmt.Sprint(r), File: c.file, Pos: c.pos}
}

// Main runs the `with entry` blocks as `jac run` does; reports made by
// walkers spawned there are printed as they are made.
func (p *Program) Main() error { return p.runEntries(true) }

// Init runs the `with entry` blocks that run when the program is imported
// rather than run (all but `with entry:__main__`), as `jac start` does
// once when it loads the program.
func (p *Program) Init() error { return p.runEntries(false) }

func (p *Program) runEntries(main bool) (err error) {
	c := p.newCall()
	c.printReports = main
	defer c.finish(&err)
	for _, e := range p.entries {
		if !main && e.b.Name == "__main__" {
			continue
		}
		env := &env{vars: p.globals, file: e.file}
		c.file = e.file
		c.execBlock(e.b.Body, env)
	}
	return nil
}

// Function calls a top-level function with keyword arguments (plain Go
// values) and returns its result as a plain Go value.
func (p *Program) Function(name string, args map[string]any) (res any, err error) {
	c := p.newCall()
	defer c.finish(&err)
	fn, ok := p.globals[name]
	if !ok {
		throw("NameError", "name '%s' is not defined", name)
	}
	kw := newDictSize(len(args))
	for k, v := range args {
		kw.Set(k, c.fromPlain(v))
	}
	v := c.callValue(fn, nil, kw)
	return c.toPlain(v), nil
}

// Walker spawns the walker archetype name, built from fields (plain Go
// values), on the node start ("" for the root); its reports go out through
// Host.Report.
func (p *Program) Walker(name string, fields map[string]any, start NodeID) (err error) {
	c := p.newCall()
	defer c.finish(&err)
	cls := p.classes[name]
	if cls == nil || cls.Kind != ast.KindWalker {
		throw("NameError", "no walker named '%s'", name)
	}
	kw := newDictSize(len(fields))
	for k, v := range fields {
		kw.Set(k, c.fromPlain(v))
	}
	w := c.instantiate(cls, nil, kw)
	if start == "" {
		c.spawn(w.(*Instance), c.rootNode())
	} else {
		c.spawn(w.(*Instance), c.nodeByID(start))
	}
	return nil
}

// SetHost changes the Host later calls run over.
func (p *Program) SetHost(h Host) { p.host = h }

// HasWalker tells whether the program declares a walker named name.
func (p *Program) HasWalker(name string) bool {
	c := p.classes[name]
	return c != nil && c.Kind == ast.KindWalker
}

// Classes lists the archetypes declared by the program, in no order.
func (p *Program) Classes() map[string]*Class { return p.classes }
