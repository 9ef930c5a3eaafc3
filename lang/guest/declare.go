package main

import (
	"strconv"
	"strings"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/lang/ast"
)

// declare derives the manifest of a Jac program from its declarations:
// node and edge archetypes with their has fields, walkers with their has
// fields, access and @restspec, and top-level functions with their
// parameters. mainName, when set, is a private walker running the
// program's `with entry` blocks (jac run).
func declare(files []*ast.File, mainName string) *abi.Manifest {
	m := &abi.Manifest{ABI: abi.Version}
	for _, f := range files {
		for _, it := range f.Items {
			switch d := it.(type) {
			case *ast.Archetype:
				switch d.Kind {
				case ast.KindNode:
					m.Nodes = append(m.Nodes, abi.TypeDecl{Name: d.Name, Fields: hasFields(d)})
				case ast.KindEdge:
					m.Edges = append(m.Edges, abi.TypeDecl{Name: d.Name, Fields: hasFields(d)})
				case ast.KindWalker:
					e := abi.Entry{Name: d.Name, Access: access(d.Access), Method: "POST", Fields: hasFields(d)}
					restspec(&e, d.Decorators)
					m.Walkers = append(m.Walkers, e)
				}
			case *ast.Func:
				e := abi.Entry{Name: d.Name, Access: access(d.Access), Method: "POST", Returns: typeOf(d.Return)}
				if d.Return == nil {
					e.Returns = abi.TypeAnyVal
				}
				for _, p := range d.Params {
					if p.Kind != ast.ParamNormal {
						continue
					}
					e.Fields = append(e.Fields, field(p.Name, p.Type, p.Default))
				}
				restspec(&e, d.Decorators)
				m.Functions = append(m.Functions, e)
			}
		}
	}
	if mainName != "" {
		m.Walkers = append(m.Walkers, abi.Entry{Name: mainName, Access: abi.AccessPrivate, Method: "POST"})
	}
	return m
}

func hasFields(d *ast.Archetype) []abi.Field {
	var fs []abi.Field
	for _, mem := range d.Members {
		if h, ok := mem.(*ast.HasField); ok && !h.Static && !h.PostInit {
			fs = append(fs, field(h.Name, h.Type, h.Default))
		}
	}
	return fs
}

// field declares one field: required when it has no default, a default
// when it is a literal (other defaults are computed by the program).
func field(name string, typ, def ast.Expr) abi.Field {
	f := abi.Field{Name: name, Type: typeOf(typ)}
	if def == nil {
		f.Required = true
		return f
	}
	if v, ok := literal(def); ok && v != nil && fits(f.Type, v) {
		f.Default = v
	}
	return f
}

func fits(t string, v any) bool {
	switch v.(type) {
	case string:
		return t == abi.TypeString || t == abi.TypeAnyVal
	case int64:
		return t == abi.TypeInt || t == abi.TypeFloat || t == abi.TypeAnyVal
	case float64:
		return t == abi.TypeFloat || t == abi.TypeAnyVal
	case bool:
		return t == abi.TypeBool || t == abi.TypeAnyVal
	case []any:
		return t == abi.TypeList || t == abi.TypeAnyVal
	case map[string]any:
		return t == abi.TypeObject || t == abi.TypeAnyVal
	}
	return false
}

// literal evaluates a constant default: numbers, strings, booleans, None,
// and lists and dicts of them.
func literal(x ast.Expr) (any, bool) {
	switch e := x.(type) {
	case *ast.Lit:
		switch e.Kind {
		case ast.LitString:
			return e.Value, true
		case ast.LitBool:
			return e.Value == "True", true
		case ast.LitNone:
			return nil, true
		case ast.LitInt:
			i, err := strconv.ParseInt(e.Value, 0, 64)
			return i, err == nil
		case ast.LitFloat:
			f, err := strconv.ParseFloat(e.Value, 64)
			return f, err == nil
		}
	case *ast.Unary:
		if e.Op == "-" {
			switch v, ok := literal(e.X); n := v.(type) {
			case int64:
				return -n, ok
			case float64:
				return -n, ok
			}
		}
	case *ast.List:
		out := []any{}
		for _, el := range e.Elts {
			v, ok := literal(el)
			if !ok {
				return nil, false
			}
			out = append(out, v)
		}
		return out, true
	case *ast.Dict:
		if len(e.Items) == 0 {
			return map[string]any{}, true
		}
	}
	return nil, false
}

// typeOf maps a type annotation to a manifest type.
func typeOf(t ast.Expr) string {
	switch e := t.(type) {
	case *ast.Name:
		switch e.Name {
		case "str":
			return abi.TypeString
		case "int":
			return abi.TypeInt
		case "float":
			return abi.TypeFloat
		case "bool":
			return abi.TypeBool
		case "list", "tuple", "set", "List", "Tuple", "Set":
			return abi.TypeList
		case "dict", "Dict":
			return abi.TypeObject
		case "UploadFile":
			return abi.TypeFile
		}
	case *ast.Attr:
		if e.Name == "UploadFile" {
			return abi.TypeFile
		}
	case *ast.Index:
		return typeOf(e.X)
	case *ast.Binary: // T | None is T, optional
		if e.Op == "|" {
			x, y := typeOf(e.X), typeOf(e.Y)
			if isNone(e.Y) {
				return x
			}
			if isNone(e.X) {
				return y
			}
		}
	}
	return abi.TypeAnyVal
}

func isNone(x ast.Expr) bool {
	l, ok := x.(*ast.Lit)
	return ok && l.Kind == ast.LitNone
}

func access(a ast.Access) string {
	switch a {
	case "pub":
		return abi.AccessPublic
	case "priv":
		return abi.AccessPrivate
	}
	return abi.AccessProtected
}

// restspec applies @restspec(method=..., path=..., webhook=..., protocol=...).
func restspec(e *abi.Entry, decorators []ast.Expr) {
	for _, d := range decorators {
		c, ok := d.(*ast.Call)
		if !ok || name(c.Fn) != "restspec" {
			continue
		}
		for _, a := range c.Args {
			switch a.Name {
			case "method":
				if m := strings.ToUpper(lastName(a.X)); m != "" {
					e.Method = m
				}
			case "path":
				if l, ok := a.X.(*ast.Lit); ok && l.Kind == ast.LitString {
					e.Path = l.Value
				}
			case "webhook":
				if l, ok := a.X.(*ast.Lit); ok && l.Kind == ast.LitBool {
					e.Webhook = l.Value == "True"
				}
			case "protocol":
				if lastName(a.X) == "WEBHOOK" {
					e.Webhook = true
				}
			}
		}
	}
}

func name(x ast.Expr) string {
	switch e := x.(type) {
	case *ast.Name:
		return e.Name
	case *ast.Attr:
		return e.Name
	}
	return ""
}

// lastName is the member of HTTPMethod.GET or the text of "GET".
func lastName(x ast.Expr) string {
	if l, ok := x.(*ast.Lit); ok && l.Kind == ast.LitString {
		return l.Value
	}
	return name(x)
}
