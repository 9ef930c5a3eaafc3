package interp

import (
	"crypto/rand"
	"encoding/hex"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/walkerhost/walkerhost/lang/ast"
)

// ObjTag and EnumTag mark an obj instance and an enum member stored in a
// node field, so that reading the node back gives the object again.
const (
	ObjTag  = "__jac_obj__"
	EnumTag = "__jac_enum__"
)

// ToPlain is toPlainT for reports: objects become maps of their fields.
func (c *call) toPlain(v Value) any { return c.toPlainT(v, false) }

// toPlainT converts a value to a plain Go value; tagged keeps the type of
// objs and enums (for node fields).
func (c *call) toPlainT(v Value, tagged bool) any { return c.toPlainD(v, tagged, 0) }

// maxPlainDepth bounds the nesting of a value leaving the interpreter (a
// list holding itself would otherwise never end).
const maxPlainDepth = 500

func (c *call) toPlainD(v Value, tagged bool, depth int) any {
	if depth > maxPlainDepth {
		throw("RecursionError", "maximum recursion depth exceeded while converting a value (is it circular?)")
	}
	depth++
	switch x := v.(type) {
	case nil, bool, int64, float64, string:
		return x
	case *big.Int:
		return bigFloat(x) // beyond int64: the nearest float, as JSON readers take it
	case Bytes:
		return []byte(x)
	case []byte:
		return x
	case *List:
		out := make([]any, len(x.Items))
		for i, e := range x.Items {
			out[i] = c.toPlainD(e, tagged, depth)
		}
		return out
	case Tuple:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = c.toPlainD(e, tagged, depth)
		}
		return out
	case *Set:
		out := make([]any, 0, x.Len())
		for _, e := range setOrder(x) {
			out = append(out, c.toPlainD(e, tagged, depth))
		}
		return out
	case *Dict:
		m := make(map[string]any, x.Len())
		for i, k := range x.Keys {
			ks, ok := k.(string)
			if !ok {
				ks = str(k)
			}
			m[ks] = c.toPlainD(x.Vals[i], tagged, depth)
		}
		return m
	case *dictView:
		return c.toPlainD(&List{Items: x.items()}, tagged, depth)
	case *EnumMember:
		if tagged {
			return map[string]any{EnumTag: x.Class.Name + "." + x.Name}
		}
		return c.toPlainD(x.Value, tagged, depth)
	case *Instance:
		if x.node != nil {
			if x.node.edge {
				return EdgeRef{ID: x.node.eid}
			}
			return NodeRef{ID: c.persist(x)}
		}
		if x.Class.Exc {
			return str(x)
		}
		m := make(map[string]any, len(x.Class.Fields)+3)
		for _, f := range x.Class.Fields {
			m[f.name] = c.toPlainD(x.Attrs[f.name], tagged, depth)
		}
		if len(x.Class.Fields) == 0 || x.Class.Kind == ast.KindClass {
			for k, a := range x.Attrs {
				if !strings.HasPrefix(k, "_") {
					m[k] = c.toPlainD(a, tagged, depth)
				}
			}
		}
		switch {
		case tagged:
			m[ObjTag] = x.Class.Name
		case x.Class.Kind == ast.KindClass || x.Class.Kind == "":
			// a plain class instance, as jaclang's API serializer shows one
			m["__type__"] = x.Class.Name
			m["__module__"] = x.Class.module
		default:
			// an archetype, as jaclang's API serializer shows one
			if x.jid == "" {
				x.jid = newHexID()
			}
			kind := "archetype"
			if x.walker != nil {
				kind = "walker"
			}
			m["_jac_type"], m["_jac_id"], m["_jac_archetype"] = x.Class.Name, x.jid, kind
		}
		return m
	case *timeVal:
		return x.isoformat()
	case *uuidVal:
		return x.String()
	case *uploadFile:
		return x.plain()
	case *uploadStream:
		return x.f.plain()
	case *Upload:
		return x
	case *Iterator, *Generator, *Range:
		return c.toPlainD(&List{Items: c.toSlice(x)}, tagged, depth)
	}
	return str(v)
}

// fromPlain converts a plain Go value into a Jac value.
func (c *call) fromPlain(v any) Value {
	switch x := v.(type) {
	case nil, bool, int64, float64, string:
		return x
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case float32:
		return float64(x)
	case []any:
		out := make([]Value, len(x))
		for i, e := range x {
			out[i] = c.fromPlain(e)
		}
		return &List{Items: out}
	case []string:
		return strList(x)
	case []byte:
		return Bytes(x)
	case map[string]any:
		if name, ok := x[ObjTag].(string); ok {
			if cls := c.p.classes[name]; cls != nil && (cls.Kind == ast.KindObj || cls.Kind == ast.KindClass) {
				inst := &Instance{Class: cls, Attrs: map[string]Value{}}
				for k, e := range x {
					if k != ObjTag {
						inst.Attrs[k] = c.fromPlain(e)
					}
				}
				return inst
			}
		}
		if name, ok := x[EnumTag].(string); ok && len(x) == 1 {
			cn, mn, _ := strings.Cut(name, ".")
			if cls := c.p.classes[cn]; cls != nil {
				if m, ok := cls.Statics[mn]; ok {
					return m
				}
			}
		}
		d := newDictSize(len(x))
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			d.Set(k, c.fromPlain(x[k]))
		}
		return d
	case *Upload:
		return &uploadFile{u: x}
	case NodeRef:
		return c.nodeByID(x.ID)
	case *NodeRef:
		return c.nodeByID(x.ID)
	case Value:
		return x
	}
	return nil
}

// encodePlain is a canonical text of a plain value (maps by sorted keys),
// to tell whether fields changed.
func encodePlain(v any) string {
	var b strings.Builder
	encodeTo(&b, v)
	return b.String()
}

func encodeTo(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			b.WriteString(floatRepr(x))
		} else {
			b.WriteString(strconv.FormatFloat(x, 'g', -1, 64) + "f")
		}
	case string:
		b.WriteString(strconv.Quote(x))
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			encodeTo(b, e)
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(k) + ":")
			encodeTo(b, x[k])
		}
		b.WriteByte('}')
	case []byte:
		b.WriteString("B" + strconv.Quote(string(x)))
	case NodeRef:
		b.WriteString("N" + strconv.Quote(string(x.ID)))
	case EdgeRef:
		b.WriteString("E" + strconv.Quote(string(x.ID)))
	default:
		b.WriteString("?")
	}
}

// newHexID is a random 128-bit id in hex, like a UUID's .hex.
func newHexID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return hex.EncodeToString(b[:])
}

// ---- services: permissions, storage, kv ----

type service struct {
	prefix string
	args   []Value
}

func (c *call) hostCall(name string, args []Value, kw *Dict) Value {
	pa := make([]any, len(args))
	for i, a := range args {
		pa[i] = c.toPlain(a)
	}
	var pk map[string]any
	if kw != nil {
		pk = c.toPlain(kw).(map[string]any)
	}
	res, err := c.host.Call(name, pa, pk)
	hostErr(err)
	return c.fromPlain(res)
}

func levelName(v Value) Value {
	switch x := v.(type) {
	case int64:
		switch x {
		case -1:
			return "NO_ACCESS"
		case 0:
			return "READ"
		case 1:
			return "CONNECT"
		case 2:
			return "WRITE"
		}
	case *EnumMember:
		return x.Name
	}
	return v
}

func init() {
	svc := func(name, host string, fix func(a []Value) []Value) {
		bi(name, func(c *call, a []Value, kw *Dict) Value {
			if fix != nil {
				a = fix(a)
			}
			return c.hostCall(host, a, kw)
		})
	}
	lvl := func(i int) func(a []Value) []Value {
		return func(a []Value) []Value {
			a = append([]Value(nil), a...)
			if len(a) > i {
				a[i] = levelName(a[i])
			}
			return a
		}
	}
	svc("perm_grant", "perm_grant", lvl(1))
	svc("grant", "perm_grant", lvl(1))
	svc("perm_revoke", "perm_revoke", nil)
	svc("revoke", "perm_revoke", nil)
	svc("allow_root", "allow_root", lvl(2))
	svc("disallow_root", "disallow_root", nil)
	svc("commit", "commit", nil)
	svc("allroots", "allroots", nil)
	svc("save", "commit", nil)
	bi("jid", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "jid")
		if n, ok := isNode(a[0]); ok {
			return string(c.persist(n))
		}
		if e, ok := a[0].(*Instance); ok && e.node != nil {
			return string(e.node.eid)
		}
		return c.hostCall("jid", a, kw)
	})
	bi("jobj", func(c *call, a []Value, kw *Dict) Value {
		need(a, 1, "jobj")
		id, _ := a[0].(string)
		return c.nodeByID(NodeID(id))
	})
	bi("store", func(c *call, a []Value, kw *Dict) Value { return &service{prefix: "store."} })
	builtins["StorageFactory"] = &Module{Name: "StorageFactory", Attrs: map[string]Value{
		"create":      &Builtin{Name: "create", Fn: func(c *call, a []Value, kw *Dict) Value { return &service{prefix: "store."} }},
		"get_default": &Builtin{Name: "get_default", Fn: func(c *call, a []Value, kw *Dict) Value { return &service{prefix: "store."} }},
	}}
	bi("kvstore", func(c *call, a []Value, kw *Dict) Value {
		db := arg(a, 0, kw, "db_name", "")
		typ := arg(a, 1, kw, "db_type", "")
		return &service{prefix: "kv.", args: []Value{db, typ}}
	})
	levels := builtinEnum("AccessLevel", false, []string{"NO_ACCESS", "READ", "CONNECT", "WRITE"}, []Value{int64(-1), int64(0), int64(1), int64(2)})
	builtins["AccessLevel"] = levels
	for k, v := range map[string]string{"NO_ACCESS": "NO_ACCESS", "READ": "READ", "CONNECT": "CONNECT", "WRITE": "WRITE", "NoPerm": "NO_ACCESS",
		"ReadPerm": "READ", "ConnectPerm": "CONNECT", "WritePerm": "WRITE"} {
		builtins[k] = levels.Statics[v]
	}
	// JacRuntime (import from jaclang { JacRuntime }) offers the same builtins.
	jr := &Module{Name: "JacRuntime", Attrs: map[string]Value{}}
	for _, n := range []string{"perm_grant", "perm_revoke", "allow_root", "disallow_root", "commit", "jid", "jobj", "allroots", "store"} {
		jr.Attrs[n] = builtins[n]
	}
	// Jac.destroy(node or list of nodes) deletes them, as `del` does.
	jr.Attrs["destroy"] = &Builtin{Name: "destroy", Fn: func(c *call, args []Value, kw *Dict) Value {
		for _, a := range args {
			c.destroyValue(a)
		}
		return nil
	}}
	builtins["JacRuntime"] = jr
	builtins["HTTPMethod"] = builtinEnum("HTTPMethod", true, []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}, nil)
	httpModule.Attrs["HTTPMethod"] = builtins["HTTPMethod"]
}

// builtinEnum makes an enum class of the runtime; a str enum prints its
// values (as Python's StrEnum does).
func builtinEnum(name string, strEnum bool, members []string, values []Value) *Class {
	cls := &Class{Name: name, Kind: ast.KindEnum, Methods: map[string]*Func{}, Statics: map[string]Value{}, strEnum: strEnum}
	cls.mro = []*Class{cls}
	for i, m := range members {
		var v Value = m
		if values != nil {
			v = values[i]
		}
		em := &EnumMember{Class: cls, Name: m, Value: v}
		cls.Statics[m] = em
		cls.EnumOrder = append(cls.EnumOrder, em)
	}
	return cls
}

func (s *service) method(name string) Value {
	return &Builtin{Name: name, Fn: func(c *call, a []Value, kw *Dict) Value {
		if s.prefix == "store." && name == "upload" && len(a) > 0 {
			a = append([]Value{c.fileBytes(a[0])}, a[1:]...)
		}
		return c.hostCall(s.prefix+name, append(append([]Value(nil), s.args...), a...), kw)
	}}
}
