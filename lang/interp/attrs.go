package interp

import (
	"github.com/walkerhost/walkerhost/lang/ast"
)

func (c *call) getAttr(obj Value, name string) Value {
	switch x := obj.(type) {
	case *Instance:
		if x.walker != nil && name == "reports" {
			return x.walker.reports
		}
		if v, ok := x.Attrs[name]; ok {
			return v
		}
		if v, ok := x.Class.lookup(name); ok {
			if f, ok := v.(*Func); ok && !f.Static {
				return &Bound{Self: x, Fn: f}
			}
			return v
		}
		if x.node != nil {
			if v, ok := c.graphAttr(x, name); ok {
				return v
			}
		}
		if name == "__class__" {
			return x.Class
		}
	case *Class:
		if name == "__name__" {
			return x.Name
		}
		if v, ok := x.lookup(name); ok {
			return v
		}
	case *Module:
		if v, ok := x.Attrs[name]; ok {
			return v
		}
		throw("AttributeError", "module '%s' has no attribute '%s'", x.Name, name)
	case *EnumMember:
		switch name {
		case "name":
			return x.Name
		case "value":
			return x.Value
		}
		if v, ok := x.Class.lookup(name); ok {
			if f, ok := v.(*Func); ok && !f.Static {
				return &Bound{Self: x, Fn: f}
			}
			return v
		}
	case *superVal:
		for _, b := range x.cls.mro[1:] {
			if f, ok := b.Methods[name]; ok {
				return &Bound{Self: x.self, Fn: f}
			}
		}
		if name == "init" || name == "__init__" {
			// the dataclass constructor of a base: set the base's fields
			return &Builtin{Name: name, Fn: func(c *call, args []Value, kw *Dict) Value {
				c.initFields(x.self.(*Instance), x.cls.Bases, args, kw)
				return nil
			}}
		}
	case *TypeObj:
		if name == "__name__" {
			return x.Name
		}
		if m := typeStatic(x.Name, name); m != nil {
			return m
		}
	case *Func:
		if name == "__name__" {
			return x.Name
		}
	case *Builtin:
		if name == "__name__" {
			return x.Name
		}
	case *timeVal:
		return c.timeAttr(x, name)
	case *service:
		return x.method(name)
	case *uuidVal:
		return c.uuidAttr(x, name)
	case *uploadFile:
		return c.uploadAttr(x, name)
	case *uploadStream:
		return c.streamAttr(x, name)
	}
	if m := builtinMethod(obj, name); m != nil {
		return &Bound{Self: obj, Fn: &Builtin{Name: name, Fn: func(c *call, args []Value, kw *Dict) Value {
			return m(c, args[0], args[1:], kw)
		}}}
	}
	throw("AttributeError", "'%s' object has no attribute '%s'", typeName(obj), name)
	return nil
}

// initFields is a base dataclass constructor called through super().init.
func (c *call) initFields(inst *Instance, bases []*Class, args []Value, kw *Dict) {
	if len(bases) == 0 {
		return
	}
	b := bases[0]
	ai := 0
	for _, f := range b.Fields {
		if ai < len(args) {
			inst.Attrs[f.name] = args[ai]
			ai++
		} else if kw != nil {
			if v, ok := kw.Get(f.name); ok {
				inst.Attrs[f.name] = v
			}
		}
	}
	if b.Exc {
		inst.Attrs["args"] = Tuple(append([]Value(nil), args...))
	}
}

func (c *call) setAttr(obj Value, name string, v Value) {
	switch x := obj.(type) {
	case *Instance:
		x.Attrs[name] = v
		return
	case *Class:
		x.Statics[name] = v
		return
	}
	throw("AttributeError", "'%s' object has no attribute '%s'", typeName(obj), name)
}

func (c *call) hasAttr(obj Value, name string) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if x, isExc := r.(*Exc); isExc && x.Val.Class.Name == "AttributeError" {
				ok = false
				return
			}
			panic(r)
		}
	}()
	c.getAttr(obj, name)
	return true
}

var _ = ast.KindNode
