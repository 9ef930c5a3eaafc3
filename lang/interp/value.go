package interp

import (
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/walkerhost/walkerhost/lang/ast"
)

// Value is a Jac value. The representation is plain Go where Python has a
// plain type: nil (None), bool, int64 (int; overflow raises
// OverflowError instead of growing), float64, string; the containers and
// callables below otherwise.
type Value any

// List is a Python list.
type List struct{ Items []Value }

// Tuple is a Python tuple.
type Tuple []Value

// Range is range(start, stop, step).
type Range struct{ Start, Stop, Step int64 }

func (r *Range) Len() int64 {
	if r.Step > 0 && r.Start < r.Stop {
		return (r.Stop - r.Start + r.Step - 1) / r.Step
	}
	if r.Step < 0 && r.Start > r.Stop {
		return (r.Start - r.Stop - r.Step - 1) / (-r.Step)
	}
	return 0
}

// Dict is an insertion-ordered Python dict. Keys and Vals are dense, in
// order; the index maps a key to its slot, whose position a deletion
// shifts without rehashing the keys after it.
type Dict struct {
	Keys  []Value
	Vals  []Value
	index map[any]*dslot
	slots []*dslot // aligned with Keys
	spare []dslot  // slots allocated ahead by newDictSize
}

type dslot struct{ pos int }

func NewDict() *Dict { return &Dict{index: map[any]*dslot{}} }

// newDictSize is a dict with room for n keys, allocated at once: a dict
// literal or a call's keywords, whose size is known, then costs a few
// allocations instead of a few per key.
func newDictSize(n int) *Dict {
	kv := make([]Value, 2*n)
	return &Dict{Keys: kv[:0:n], Vals: kv[n : n : 2*n], index: make(map[any]*dslot, n),
		slots: make([]*dslot, 0, n), spare: make([]dslot, n)}
}

func (d *Dict) Len() int { return len(d.Keys) }

func (d *Dict) Get(k Value) (Value, bool) {
	sl, ok := d.index[hashKey(k)]
	if !ok {
		return nil, false
	}
	return d.Vals[sl.pos], true
}

func (d *Dict) pos(k Value) (int, bool) {
	sl, ok := d.index[hashKey(k)]
	if !ok {
		return 0, false
	}
	return sl.pos, true
}

func (d *Dict) Set(k, v Value) {
	h := hashKey(k)
	if sl, ok := d.index[h]; ok {
		d.Vals[sl.pos] = v
		return
	}
	var sl *dslot
	if len(d.spare) > 0 {
		sl, d.spare = &d.spare[0], d.spare[1:]
		sl.pos = len(d.Keys)
	} else {
		sl = &dslot{pos: len(d.Keys)}
	}
	d.index[h] = sl
	d.slots = append(d.slots, sl)
	d.Keys = append(d.Keys, k)
	d.Vals = append(d.Vals, v)
}

func (d *Dict) Delete(k Value) bool {
	h := hashKey(k)
	sl, ok := d.index[h]
	if !ok {
		return false
	}
	i := sl.pos
	delete(d.index, h)
	d.Keys = append(d.Keys[:i], d.Keys[i+1:]...)
	d.Vals = append(d.Vals[:i], d.Vals[i+1:]...)
	d.slots = append(d.slots[:i], d.slots[i+1:]...)
	for _, s := range d.slots[i:] {
		s.pos--
	}
	return true
}

func (d *Dict) Copy() *Dict {
	n := &Dict{Keys: append([]Value(nil), d.Keys...), Vals: append([]Value(nil), d.Vals...),
		index: make(map[any]*dslot, len(d.Keys)), slots: make([]*dslot, len(d.Keys))}
	for i, k := range n.Keys {
		sl := &dslot{pos: i}
		n.slots[i] = sl
		n.index[hashKey(k)] = sl
	}
	return n
}

// Set is a Python set (a Dict without values); it iterates in insertion
// order, and prints small non-negative ints in ascending order as CPython does.
type Set struct{ d *Dict }

func NewSet() *Set                 { return &Set{NewDict()} }
func (s *Set) Add(v Value)         { s.d.Set(v, nil) }
func (s *Set) Has(v Value) bool    { _, ok := s.d.Get(v); return ok }
func (s *Set) Len() int            { return s.d.Len() }
func (s *Set) Items() []Value      { return s.d.Keys }
func (s *Set) Copy() *Set          { return &Set{s.d.Copy()} }
func (s *Set) Remove(v Value) bool { return s.d.Delete(v) }

// noneKey and tupleKey make dict keys of None and tuples.
type noneKey struct{}
type tupleKey string
type bigKey string

// hashKey maps a value to a comparable Go key with Python's equality: 1,
// 1.0 and True are the same key.
func hashKey(v Value) any { return hashKeyD(v, 0) }

func hashKeyD(v Value, depth int) any {
	switch x := v.(type) {
	case nil:
		return noneKey{}
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	case int64, string, Bytes:
		return x
	case *big.Int:
		return bigKey(x.String())
	case *uuidVal:
		return uuidKey(x.b)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e18 {
			return int64(x)
		}
		return x
	case Tuple:
		if depth > MaxDepth {
			throw("RecursionError", "maximum recursion depth exceeded while hashing a tuple")
		}
		var b strings.Builder
		for _, e := range x {
			k := hashKeyD(e, depth+1)
			switch kk := k.(type) {
			case string:
				b.WriteString("s" + strconv.Quote(kk))
			case int64:
				b.WriteString("i" + strconv.FormatInt(kk, 10))
			case float64:
				b.WriteString("f" + strconv.FormatFloat(kk, 'g', -1, 64))
			case tupleKey:
				b.WriteString("(" + string(kk) + ")")
			case noneKey:
				b.WriteString("N")
			default:
				b.WriteString("p" + strconv.FormatUint(uint64(ptrID(e)), 16))
			}
			b.WriteByte(',')
		}
		return tupleKey(b.String())
	case *List, *Dict, *Set:
		panic(excf("TypeError", "unhashable type: '%s'", typeName(v)))
	}
	return v
}

// Func is a user function, method or lambda with its closure.
type Func struct {
	Name      string
	Params    []*ast.Param
	Defaults  []Value // one per parameter, nil entry when no default
	hasDef    []bool
	Body      []ast.Stmt
	Expr      ast.Expr // lambda body
	Env       *env
	Class     *Class // defining class (methods), for super()
	Static    bool
	gen       bool
	selfParam bool
	pos       ast.Pos
	locals    map[string]bool // names local to the body (see assignedLocals)
}

// Builtin is a function implemented in Go.
type Builtin struct {
	Name string
	Fn   func(c *call, args []Value, kw *Dict) Value
}

// Bound is a method bound to its receiver.
type Bound struct {
	Self Value
	Fn   Value // *Func or *Builtin (receiver passed first)
}

// Module is an imported standard module.
type Module struct {
	Name    string
	Attrs   map[string]Value
	lenient bool // a missing name imports as None (typing, jaclang)
}

// Class is an archetype (node, edge, walker, obj, class, enum) or a built-in
// exception class.
type Class struct {
	Name      string
	Kind      ast.ArchKind // "" for built-in classes
	Bases     []*Class
	Fields    []*field // `has` fields in constructor order, inherited first
	Methods   map[string]*Func
	Statics   map[string]Value
	Abilities []*ability
	Exc       bool    // derives from BaseException
	EnumOrder []Value // enum members in order
	decl      *ast.Archetype
	prog      *Program // for __str__/__repr__ calls from str() and repr()
	module    string   // "__main__" for the first file's, else the file's module name
	file      string   // the file declaring it, for error positions
	mro       []*Class
	hasInit   bool
	strEnum   bool // members print as their values
}

type field struct {
	name   string
	def    ast.Expr
	hasDef bool
	postIn bool
	env    *env
}

type ability struct {
	name  string
	event ast.Event
	types []*Class // nil: any
	root  bool     // triggered by the root node
	body  []ast.Stmt
	owner *Class
	pos   ast.Pos
}

// Instance is an object of a Class: an obj, a node, an edge, a walker, an
// exception or an enum member.
type Instance struct {
	Class  *Class
	Attrs  map[string]Value
	node   *nodeState // nodes and edges
	walker *walkerState
	jid    string // id shown when reported (made on first use)
}

// EnumMember is one value of an enum.
type EnumMember struct {
	Class *Class
	Name  string
	Value Value
}

// Generator is a running generator function.
type Generator struct {
	next     chan struct{}
	out      chan genItem
	exited   chan struct{}
	done     bool
	running  bool // between resume and its yield (a generator may not resume itself)
	stopping bool // being stopped at the end of the call
	start    func()
}

type genItem struct {
	v   Value
	exc *Exc
	end bool
}

// iterator is a Go-level iterator for builtin iterables (iter(), map, zip…).
type Iterator struct {
	next func() (Value, bool)
}

func (c *Class) isSub(b *Class) bool {
	for _, m := range c.mro {
		if m == b {
			return true
		}
	}
	return false
}

func (c *Class) lookup(name string) (Value, bool) {
	for _, m := range c.mro {
		if f, ok := m.Methods[name]; ok {
			return f, true
		}
		if v, ok := m.Statics[name]; ok {
			return v, true
		}
	}
	return nil, false
}

func computeMRO(c *Class) []*Class {
	// C3 is overkill for the archetype hierarchies of Jac programs: depth
	// first, left to right, keeping the last occurrence of each class.
	var out []*Class
	onPath := map[*Class]bool{}
	var walk func(*Class)
	walk = func(k *Class) {
		if onPath[k] {
			throw("TypeError", "a class cannot derive from itself (%s)", k.Name)
		}
		onPath[k] = true
		out = append(out, k)
		for _, b := range k.Bases {
			walk(b)
		}
		onPath[k] = false
	}
	walk(c)
	seen := map[*Class]int{}
	for i, k := range out {
		seen[k] = i
	}
	var res []*Class
	for i, k := range out {
		if seen[k] == i {
			res = append(res, k)
		}
	}
	return res
}

// ---- truthiness, types ----

func truthy(v Value) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case int64:
		return x != 0
	case *big.Int:
		return x.Sign() != 0
	case float64:
		return x != 0
	case string:
		return x != ""
	case Bytes:
		return x != ""
	case *List:
		return len(x.Items) > 0
	case Tuple:
		return len(x) > 0
	case *Dict:
		return x.Len() > 0
	case *Set:
		return x.Len() > 0
	case *Range:
		return x.Len() > 0
	case *dictView:
		return x.d.Len() > 0
	case *timeVal:
		return !x.delta || x.d != 0
	}
	return true
}

func typeName(v Value) string {
	switch x := v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int64, *big.Int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case Bytes:
		return "bytes"
	case *List:
		return "list"
	case Tuple:
		return "tuple"
	case *Dict:
		return "dict"
	case *Set:
		return "set"
	case *Range:
		return "range"
	case *Func, *Builtin:
		return "function"
	case *Bound:
		return "method"
	case *Module:
		return "module"
	case *Class:
		return "type"
	case *Instance:
		return x.Class.Name
	case *EnumMember:
		return x.Class.Name
	case *Generator:
		return "generator"
	case *Iterator:
		return "iterator"
	case *TypeObj:
		return "type"
	case *dictView:
		return "dict_" + x.kind
	case *timeVal:
		if x.delta {
			return "timedelta"
		}
		if x.date {
			return "date"
		}
		return "datetime"
	case *uuidVal:
		return "UUID"
	case *uploadFile:
		return "UploadFile"
	case *uploadStream:
		return "SpooledTemporaryFile"
	}
	return "object"
}

// ---- str and repr ----

// BytesText is a bytes value as a JSON answer shows it: its repr (b'...'),
// as jaclang's serializer falls back to str() for bytes.
func BytesText(b []byte) string { return repr(Bytes(b)) }

func str(v Value) string {
	switch x := v.(type) {
	case string:
		return x
	case *Instance:
		if s, ok := userStr(x, "__str__"); ok {
			return s
		}
		if x.Class.Exc {
			return excMessage(x)
		}
	case *EnumMember:
		if x.Class.strEnum {
			return str(x.Value)
		}
		return x.Class.Name + "." + x.Name
	case *uuidVal:
		return x.String()
	}
	return repr(v)
}

func excMessage(x *Instance) string {
	args, _ := x.Attrs["args"].(Tuple)
	switch len(args) {
	case 0:
		return ""
	case 1:
		if x.Class.isSub(builtinClasses["KeyError"]) {
			return repr(args[0])
		}
		return str(args[0])
	}
	return repr(args)
}

func repr(v Value) string {
	var b strings.Builder
	writeRepr(&b, v, 0)
	return b.String()
}

func writeRepr(b *strings.Builder, v Value, depth int) {
	if depth > 100 {
		b.WriteString("...")
		return
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("None")
	case bool:
		if x {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case *big.Int:
		b.WriteString(x.String())
	case float64:
		b.WriteString(floatRepr(x))
	case string:
		b.WriteString(strRepr(x))
	case Bytes:
		b.WriteString(bytesRepr(x))
	case []byte:
		b.WriteString(bytesRepr(Bytes(x)))
	case *List:
		b.WriteByte('[')
		for i, e := range x.Items {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, e, depth+1)
		}
		b.WriteByte(']')
	case Tuple:
		b.WriteByte('(')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, e, depth+1)
		}
		if len(x) == 1 {
			b.WriteByte(',')
		}
		b.WriteByte(')')
	case *Dict:
		b.WriteByte('{')
		for i, k := range x.Keys {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, k, depth+1)
			b.WriteString(": ")
			writeRepr(b, x.Vals[i], depth+1)
		}
		b.WriteByte('}')
	case *Set:
		if x.Len() == 0 {
			b.WriteString("set()")
			return
		}
		b.WriteByte('{')
		for i, e := range setOrder(x) {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, e, depth+1)
		}
		b.WriteByte('}')
	case *Range:
		b.WriteString("range(" + strconv.FormatInt(x.Start, 10) + ", " + strconv.FormatInt(x.Stop, 10))
		if x.Step != 1 {
			b.WriteString(", " + strconv.FormatInt(x.Step, 10))
		}
		b.WriteByte(')')
	case *Func:
		b.WriteString("<function " + x.Name + ">")
	case *Builtin:
		b.WriteString("<built-in function " + x.Name + ">")
	case *Bound:
		b.WriteString("<bound method " + typeName(x.Self) + "." + fnName(x.Fn) + ">")
	case *Module:
		b.WriteString("<module '" + x.Name + "'>")
	case *Class:
		if x.module != "" {
			b.WriteString("<class '" + x.module + "." + x.Name + "'>")
		} else {
			b.WriteString("<class '" + x.Name + "'>")
		}
	case *TypeObj:
		b.WriteString("<class '" + x.Name + "'>")
	case *EnumMember:
		b.WriteString("<" + x.Class.Name + "." + x.Name + ": " + repr(x.Value) + ">")
	case *Instance:
		writeInstance(b, x, depth)
	case *Generator:
		b.WriteString("<generator object>")
	case *dictView:
		b.WriteString("dict_" + x.kind + "(")
		writeRepr(b, &List{Items: x.items()}, depth+1)
		b.WriteByte(')')
	case *timeVal:
		b.WriteString(x.String())
	case *uuidVal:
		b.WriteString("UUID('" + x.String() + "')")
	case ellipsis:
		b.WriteString("Ellipsis")
	case *uploadFile:
		b.WriteString(x.repr())
	case *uploadStream:
		b.WriteString("<SpooledTemporaryFile " + strRepr(x.f.u.Name) + ">")
	case *Iterator:
		b.WriteString("<iterator object>")
	default:
		b.WriteString("<object>")
	}
}

func fnName(v Value) string {
	switch f := v.(type) {
	case *Func:
		return f.Name
	case *Builtin:
		return f.Name
	}
	return "?"
}

// userStr calls a user-defined __str__ or __repr__ in the running call.
func userStr(x *Instance, name string) (string, bool) {
	if x.Class.prog == nil || x.Class.prog.cur == nil {
		return "", false
	}
	m, ok := x.Class.lookup(name)
	if !ok {
		return "", false
	}
	f, ok := m.(*Func)
	if !ok {
		return "", false
	}
	r, ok := x.Class.prog.cur.callFunc(f, x, nil, nil).(string)
	if !ok {
		throw("TypeError", "%s returned non-string", name)
	}
	return r, true
}

func writeInstance(b *strings.Builder, x *Instance, depth int) {
	if s, ok := userStr(x, "__repr__"); ok {
		b.WriteString(s)
		return
	}
	if x.Class.Exc {
		b.WriteString(x.Class.Name)
		args, _ := x.Attrs["args"].(Tuple)
		if len(args) == 1 {
			b.WriteString("(" + repr(args[0]) + ")")
		} else {
			b.WriteString(repr(args))
		}
		return
	}
	if x.Class.Kind == "" || x.Class.Kind == ast.KindClass {
		b.WriteString("<" + x.Class.Name + " object>")
		return
	}
	b.WriteString(x.Class.Name)
	b.WriteByte('(')
	for i, f := range x.Class.Fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f.name + "=")
		writeRepr(b, x.Attrs[f.name], depth+1)
	}
	b.WriteByte(')')
}

// setOrder is the order CPython prints a set in when it is made of small
// non-negative ints (ascending); otherwise insertion order.
func setOrder(s *Set) []Value {
	items := s.Items()
	size := 8
	for size*3 < len(items)*5 {
		size *= 2
	}
	for _, v := range items {
		i, ok := v.(int64)
		if !ok || i < 0 || i >= int64(size) {
			return items
		}
	}
	out := append([]Value(nil), items...)
	sort.Slice(out, func(i, j int) bool { return out[i].(int64) < out[j].(int64) })
	return out
}

// floatRepr formats f as Python's repr does.
func floatRepr(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	mant, expS, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expS)
	neg := strings.HasPrefix(mant, "-")
	mant = strings.TrimPrefix(mant, "-")
	digits := strings.Replace(mant, ".", "", 1)
	sign := ""
	if neg {
		sign = "-"
	}
	if exp >= -4 && exp < 16 {
		var r string
		if exp < 0 {
			r = "0." + strings.Repeat("0", -exp-1) + digits
		} else if len(digits) <= exp+1 {
			r = digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
		} else {
			r = digits[:exp+1] + "." + digits[exp+1:]
		}
		return sign + r
	}
	m := digits[:1]
	if len(digits) > 1 {
		m += "." + digits[1:]
	}
	es := "+"
	if exp < 0 {
		es = "-"
		exp = -exp
	}
	e := strconv.Itoa(exp)
	if len(e) < 2 {
		e = "0" + e
	}
	return sign + m + "e" + es + e
}

// strRepr quotes s as Python's repr: single quotes unless s has a single
// quote and no double quote.
func strRepr(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x` + hex2(int(r)))
		case r == utf8.RuneError:
			b.WriteRune(r)
		case r >= 0x80 && r < 0xa0:
			b.WriteString(`\x` + hex2(int(r)))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

func hex2(i int) string {
	const h = "0123456789abcdef"
	return string([]byte{h[i>>4&15], h[i&15]})
}
