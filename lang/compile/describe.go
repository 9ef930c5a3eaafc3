package compile

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/walkerhost/walkerhost/lang/ast"
)

// Description is the manifest view of a program. It marshals to the JSON
// manifest of abi/ABI.md ("Manifest"); what the manifest has no place for
// (docs, list item types, abilities) is kept in fields JSON leaves out.
type Description struct {
	ABI       int        `json:"abi"`
	SDK       string     `json:"sdk"`
	Nodes     []TypeDecl `json:"nodes"`
	Edges     []TypeDecl `json:"edges"`
	Walkers   []Entry    `json:"walkers"`
	Functions []Entry    `json:"functions"`
}

// TypeDecl is a node or edge type.
type TypeDecl struct {
	Name      string    `json:"name"`
	Fields    []Field   `json:"fields"`
	Doc       string    `json:"-"`
	Abilities []Ability `json:"-"`
}

// Field is a field of a type or walker, or a parameter of a function.
type Field struct {
	Name     string `json:"name"`
	Type     string `json:"type"` // string, int, float, bool, list, object, any or file
	Required bool   `json:"required,omitempty"`
	Default  any    `json:"default,omitempty"` // JSON-able: nil, bool, int64, float64, string, []any, map[string]any
	// Items is the item type of a list (`list[str]` gives "string"), for
	// OpenAPI; "" when unknown.
	Items string `json:"-"`
	// Computed marks a default that is not a literal (`uuid4()`): the
	// field is optional and the runtime computes the value.
	Computed bool   `json:"-"`
	Doc      string `json:"-"`
}

// Entry is a walker or a function served over HTTP.
type Entry struct {
	Name      string    `json:"name"`
	Access    string    `json:"access"` // public, protected or private
	Method    string    `json:"method"`
	Path      string    `json:"path,omitempty"`
	Webhook   bool      `json:"webhook,omitempty"`
	Fields    []Field   `json:"fields"`
	Returns   string    `json:"returns,omitempty"`
	Doc       string    `json:"-"`
	Abilities []Ability `json:"-"`
}

// Ability is an ability of a walker or node: its name, event and the
// types it runs on ("Root" for `root`/`Root`, none for any).
type Ability struct {
	Name  string
	Event string // entry or exit
	Types []string
}

// describer holds the declarations of the program.
type describer struct {
	errs  []Error
	file  string
	archs map[string]*ast.Archetype // top-level archetypes by name
}

func (d *describer) errorf(pos ast.Pos, format string, args ...any) {
	d.errs = append(d.errs, Error{File: d.file, Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// Describe derives the manifest of a program: node and edge types with
// their fields (inherited ones first), walkers with their fields, access
// and @restspec, and the top-level functions (those whose name does not
// start with '_'), which are served as /function/NAME.
func Describe(files ...*ast.File) (*Description, []Error) {
	d := &describer{archs: map[string]*ast.Archetype{}}
	for _, f := range files {
		for _, it := range f.Items {
			if a, ok := it.(*ast.Archetype); ok {
				if _, dup := d.archs[a.Name]; !dup {
					d.archs[a.Name] = a
				}
			}
		}
	}
	desc := &Description{Nodes: []TypeDecl{}, Edges: []TypeDecl{}, Walkers: []Entry{}, Functions: []Entry{}}
	for _, f := range files {
		d.file = f.Name
		for _, it := range f.Items {
			switch it := it.(type) {
			case *ast.Archetype:
				switch it.Kind {
				case ast.KindNode, ast.KindEdge:
					t := TypeDecl{Name: it.Name, Fields: d.fields(it, false), Doc: it.Doc, Abilities: d.abilities(it)}
					if it.Kind == ast.KindNode {
						desc.Nodes = append(desc.Nodes, t)
					} else {
						desc.Edges = append(desc.Edges, t)
					}
				case ast.KindWalker:
					e := Entry{Name: it.Name, Access: access(it.Access), Method: "POST", Fields: d.fields(it, true),
						Doc: it.Doc, Abilities: d.abilities(it)}
					d.restspec(&e, it.Decorators)
					desc.Walkers = append(desc.Walkers, e)
				}
			case *ast.Func:
				if strings.HasPrefix(it.Name, "_") {
					continue
				}
				e := Entry{Name: it.Name, Access: access(it.Access), Method: "POST", Fields: []Field{}, Doc: it.Doc}
				for _, p := range it.Params {
					if p.Kind != ast.ParamNormal || p.Name == "self" {
						continue
					}
					e.Fields = append(e.Fields, d.field(p.Pos, p.Name, p.Type, p.Default, true))
				}
				if it.Return != nil && !isNone(it.Return) {
					e.Returns, _ = d.mapType(it.Return)
					if e.Returns == "file" {
						d.errorf(it.Return.At(), "a function cannot return a file")
					}
				}
				d.restspec(&e, it.Decorators)
				desc.Functions = append(desc.Functions, e)
			}
		}
	}
	sortErrors(d.errs, files)
	return desc, d.errs
}

func access(a ast.Access) string {
	switch a {
	case "pub":
		return "public"
	case "priv":
		return "private"
	}
	return "protected"
}

// fields lists the constructor fields of an archetype, those of its bases
// first; `static` and `by postinit` fields are not set by callers.
func (d *describer) fields(a *ast.Archetype, entry bool) []Field {
	out := []Field{}
	index := map[string]int{}
	seen := map[*ast.Archetype]bool{}
	var collect func(a *ast.Archetype)
	collect = func(a *ast.Archetype) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, b := range a.Bases {
			if n, ok := b.(*ast.Name); ok && d.archs[n.Name] != nil {
				collect(d.archs[n.Name])
			}
		}
		for _, m := range a.Members {
			h, ok := m.(*ast.HasField)
			if !ok || h.Static || h.PostInit {
				continue
			}
			f := d.field(h.Pos, h.Name, h.Type, h.Default, entry)
			f.Doc = h.Doc
			if i, ok := index[f.Name]; ok {
				out[i] = f // a redeclared field overrides the base's
				continue
			}
			index[f.Name] = len(out)
			out = append(out, f)
		}
	}
	collect(a)
	return out
}

// abilities lists the abilities of an archetype, its bases' first.
func (d *describer) abilities(a *ast.Archetype) []Ability {
	var out []Ability
	seen := map[*ast.Archetype]bool{}
	var collect func(a *ast.Archetype)
	collect = func(a *ast.Archetype) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, b := range a.Bases {
			if n, ok := b.(*ast.Name); ok && d.archs[n.Name] != nil {
				collect(d.archs[n.Name])
			}
		}
		for _, m := range a.Members {
			ab, ok := m.(*ast.Ability)
			if !ok {
				continue
			}
			x := Ability{Name: ab.Name, Event: string(ab.Event)}
			for _, t := range ab.Types {
				x.Types = append(x.Types, typeName(t))
			}
			out = append(out, x)
		}
	}
	collect(a)
	return out
}

// typeName names an ability's type: `root and Root are "Root".
func typeName(t ast.Expr) string {
	switch t := t.(type) {
	case *ast.ArchRef:
		if t.Name == "root" {
			return "Root"
		}
		return t.Name
	case *ast.Special:
		if t.Kind == ast.RootRef {
			return "Root"
		}
		return string(t.Kind)
	case *ast.Name:
		return t.Name
	case *ast.Attr:
		return typeName(t.X) + "." + t.Name
	}
	return "?"
}

// field describes one field or parameter.
func (d *describer) field(pos ast.Pos, name string, typ, def ast.Expr, entry bool) Field {
	f := Field{Name: name}
	f.Type, f.Items = d.mapType(typ)
	if !validName(name) {
		d.errorf(pos, "field name '%s' must match [A-Za-z_][A-Za-z0-9_]*", name)
	}
	if f.Type == "file" && !entry {
		d.errorf(pos, "field '%s': a file (UploadFile) can only be a walker field or a function parameter", name)
	}
	if def == nil {
		f.Required = true
		return f
	}
	v, ok := literal(def)
	if !ok {
		f.Computed = true
		return f
	}
	if v == nil {
		return f // None: optional, no default
	}
	if f.Type == "file" {
		d.errorf(def.At(), "field '%s': a file field cannot have a default", name)
		return f
	}
	if !fits(v, f.Type) {
		d.errorf(def.At(), "the default of field '%s' does not match its type %s", name, typeText(typ))
		return f
	}
	f.Default = v
	return f
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// typeText renders a type annotation for messages.
func typeText(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Name:
		return e.Name
	case *ast.Attr:
		return typeText(e.X) + "." + e.Name
	case *ast.Index:
		return typeText(e.X) + "[" + typeText(e.Index) + "]"
	case *ast.Tuple:
		parts := make([]string, len(e.Elts))
		for i, x := range e.Elts {
			parts[i] = typeText(x)
		}
		return strings.Join(parts, ", ")
	case *ast.Binary:
		return typeText(e.X) + " " + e.Op + " " + typeText(e.Y)
	case *ast.Lit:
		if e.Kind == ast.LitNone {
			return "None"
		}
		return e.Value
	}
	return "?"
}

// fits reports whether a literal default has the manifest type typ.
func fits(v any, typ string) bool {
	switch typ {
	case "any":
		return true
	case "string":
		_, ok := v.(string)
		return ok
	case "int":
		_, ok := v.(int64)
		return ok
	case "float":
		switch v.(type) {
		case int64, float64:
			return true
		}
	case "bool":
		_, ok := v.(bool)
		return ok
	case "list":
		_, ok := v.([]any)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	}
	return false
}

func isNone(e ast.Expr) bool {
	l, ok := e.(*ast.Lit)
	return ok && l.Kind == ast.LitNone
}

// mapType maps a type annotation to a manifest field type and, for lists,
// the item type.
func (d *describer) mapType(e ast.Expr) (typ, items string) {
	switch e := e.(type) {
	case nil:
		return "any", ""
	case *ast.Name:
		return d.mapName(e.Name), ""
	case *ast.Attr:
		if e.Name == "UploadFile" {
			return "file", ""
		}
		return "any", ""
	case *ast.Lit:
		if e.Kind == ast.LitString { // a forward reference "Todo"
			return d.mapName(e.Value), ""
		}
		return "any", ""
	case *ast.Binary:
		if e.Op == "|" {
			return d.union(splitUnion(e))
		}
	case *ast.Index:
		base := ""
		switch x := e.X.(type) {
		case *ast.Name:
			base = x.Name
		case *ast.Attr:
			base = x.Name
		}
		switch base {
		case "Optional":
			return d.mapType(e.Index)
		case "Union":
			if t, ok := e.Index.(*ast.Tuple); ok {
				return d.union(t.Elts)
			}
			return d.mapType(e.Index)
		case "list", "List", "set", "Set", "frozenset", "tuple", "Tuple", "Sequence":
			arg := e.Index
			if t, ok := arg.(*ast.Tuple); ok && len(t.Elts) > 0 {
				arg = t.Elts[0]
			}
			it, _ := d.mapType(arg)
			if it == "file" {
				it = "any"
			}
			return "list", it
		case "dict", "Dict", "Mapping":
			return "object", ""
		}
	}
	return "any", ""
}

// union maps `A | B | None`: the one type left without None, else any.
func (d *describer) union(parts []ast.Expr) (string, string) {
	typ, items := "", ""
	for _, p := range parts {
		if isNone(p) {
			continue
		}
		t, it := d.mapType(p)
		if typ != "" && (t != typ || it != items) {
			return "any", ""
		}
		typ, items = t, it
	}
	if typ == "" {
		return "any", ""
	}
	return typ, items
}

func splitUnion(e ast.Expr) []ast.Expr {
	if b, ok := e.(*ast.Binary); ok && b.Op == "|" {
		return append(splitUnion(b.X), splitUnion(b.Y)...)
	}
	return []ast.Expr{e}
}

func (d *describer) mapName(n string) string {
	switch n {
	case "str":
		return "string"
	case "int":
		return "int"
	case "float":
		return "float"
	case "bool":
		return "bool"
	case "list", "List", "tuple", "Tuple", "set", "Set", "frozenset":
		return "list"
	case "dict", "Dict":
		return "object"
	case "UploadFile":
		return "file"
	}
	if a := d.archs[n]; a != nil && a.Kind != ast.KindEnum && a.Kind != ast.KindWalker {
		return "object"
	}
	return "any"
}

// literal converts a literal default to a JSON-able value; ok is false
// for anything computed at run time. None gives (nil, true).
func literal(e ast.Expr) (any, bool) {
	switch e := e.(type) {
	case *ast.Lit:
		switch e.Kind {
		case ast.LitInt:
			n, err := strconv.ParseInt(strings.ToLower(e.Value), 0, 64)
			if err != nil || len(e.Value) > 1 && e.Value[0] == '0' && e.Value[1] >= '0' && e.Value[1] <= '9' {
				return nil, false
			}
			return n, true
		case ast.LitFloat:
			f, err := strconv.ParseFloat(e.Value, 64)
			if err != nil || math.IsInf(f, 0) {
				return nil, false
			}
			return f, true
		case ast.LitString:
			return e.Value, true
		case ast.LitBool:
			return e.Value == "True", true
		case ast.LitNone:
			return nil, true
		}
	case *ast.Unary:
		if e.Op != "-" && e.Op != "+" {
			return nil, false
		}
		v, ok := literal(e.X)
		if !ok {
			return nil, false
		}
		switch v := v.(type) {
		case int64:
			if e.Op == "-" {
				return -v, true
			}
			return v, true
		case float64:
			if e.Op == "-" {
				return -v, true
			}
			return v, true
		}
	case *ast.List:
		return literalList(e.Elts)
	case *ast.Tuple:
		return literalList(e.Elts)
	case *ast.Dict:
		m := map[string]any{}
		for _, it := range e.Items {
			k, ok := it.Key.(*ast.Lit)
			if !ok || k.Kind != ast.LitString {
				return nil, false
			}
			v, ok := literal(it.Value)
			if !ok {
				return nil, false
			}
			m[k.Value] = v
		}
		return m, true
	}
	return nil, false
}

func literalList(elts []ast.Expr) (any, bool) {
	out := []any{}
	for _, x := range elts {
		v, ok := literal(x)
		if !ok {
			return nil, false
		}
		out = append(out, v)
	}
	return out, true
}

// restspec applies `@restspec(method=HTTPMethod.GET, path="/x", webhook=True)`
// (or protocol=APIProtocol.WEBHOOK) to an entry.
func (d *describer) restspec(e *Entry, decos []ast.Expr) {
	for _, deco := range decos {
		call, ok := deco.(*ast.Call)
		if !ok || decoratorName(call) != "restspec" {
			continue
		}
		for _, a := range call.Args {
			if a.Name == "" || a.Star != 0 {
				d.errorf(a.Pos, "@restspec takes keyword arguments only (method, path, webhook)")
				continue
			}
			switch a.Name {
			case "method":
				m := ""
				switch x := a.X.(type) {
				case *ast.Attr:
					m = x.Name
				case *ast.Lit:
					if x.Kind == ast.LitString {
						m = strings.ToUpper(x.Value)
					}
				}
				switch m {
				case "GET", "POST", "PUT", "PATCH", "DELETE":
					e.Method = m
				default:
					d.errorf(a.X.At(), "@restspec method must be one of GET, POST, PUT, PATCH, DELETE (as HTTPMethod.GET or \"GET\")")
				}
			case "path":
				l, ok := a.X.(*ast.Lit)
				if !ok || l.Kind != ast.LitString {
					d.errorf(a.X.At(), "@restspec path must be a string literal")
					continue
				}
				if l.Value != "" && !strings.HasPrefix(l.Value, "/") {
					d.errorf(a.X.At(), "@restspec path must start with '/'")
					continue
				}
				e.Path = l.Value
			case "webhook":
				l, ok := a.X.(*ast.Lit)
				if !ok || l.Kind != ast.LitBool {
					d.errorf(a.X.At(), "@restspec webhook must be True or False")
					continue
				}
				e.Webhook = l.Value == "True"
			case "protocol":
				p := ""
				switch x := a.X.(type) {
				case *ast.Attr:
					p = strings.ToUpper(x.Name)
				case *ast.Lit:
					p = strings.ToUpper(x.Value)
				}
				switch p {
				case "HTTP":
				case "WEBHOOK":
					e.Webhook = true
				case "WEBSOCKET":
					d.errorf(a.X.At(), "websocket endpoints are not supported")
				default:
					d.errorf(a.X.At(), "@restspec protocol must be APIProtocol.HTTP or APIProtocol.WEBHOOK")
				}
			case "broadcast":
				d.errorf(a.Pos, "@restspec broadcast is not supported")
			default:
				d.errorf(a.Pos, "unknown @restspec option '%s' (method, path, webhook)", a.Name)
			}
		}
	}
}
