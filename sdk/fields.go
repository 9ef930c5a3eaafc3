package sdk

// Fielder is implemented by walker and function-argument structs: Fields
// binds each struct field to its name and type, the way the flag package
// binds command-line flags.
type Fielder interface{ Fields(f *Fields) }

// Fields collects the bindings of one walker or argument value. The SDK
// passes it to Fielder.Fields; guest code only calls its binding methods.
type Fields struct {
	list     []binding
	defaults bool // apply defaults as they are declared
}

// binding ties a declared field to a pointer into the walker value. The
// pointer's Go type says how to convert values (see assign.go).
type binding struct {
	field
	ptr any
	set bool // given in the request
	at  int  // offset of the request's value in the record's field map; 0: not given
}

// Binding is the result of a Fields method; T is the Go type of its default.
type Binding[T any] struct {
	f *Fields
	i int
}

// Required marks the field as one the request must give.
func (b Binding[T]) Required() Binding[T] {
	b.f.list[b.i].required = true
	return b
}

// Default sets the field's value when the request does not give it. The
// host fills it in too, from the manifest.
func (b Binding[T]) Default(v T) Binding[T] {
	x := &b.f.list[b.i]
	x.hasDef = true
	if !b.f.defaults {
		x.def = v // for the manifest
		return b
	}
	// A value bound for a request starts from its defaults; the default
	// itself is needed only by the manifest. A scalar is stored through its
	// typed pointer, which spares boxing v on every request.
	if p, ok := x.ptr.(*T); ok && x.typ.scalar() {
		*p = v
		return b
	}
	x.assign(clone(v))
	x.set = false
	return b
}

// Doc sets the field's description, shown in the OpenAPI document.
func (b Binding[T]) Doc(s string) Binding[T] {
	b.f.list[b.i].doc = s
	return b
}

func bind[T any](f *Fields, name string, t Type, ptr any) Binding[T] {
	f.list = append(f.list, binding{field: field{name: name, typ: t}, ptr: ptr})
	return Binding[T]{f, len(f.list) - 1}
}

// String binds a string field.
func (f *Fields) String(name string, p *string) Binding[string] {
	return bind[string](f, name, TypeString, p)
}

// Int binds an integer field to an int.
func (f *Fields) Int(name string, p *int) Binding[int] { return bind[int](f, name, TypeInt, p) }

// Int64 binds an integer field to an int64.
func (f *Fields) Int64(name string, p *int64) Binding[int64] {
	return bind[int64](f, name, TypeInt, p)
}

// Float binds a floating-point field; integers are accepted too.
func (f *Fields) Float(name string, p *float64) Binding[float64] {
	return bind[float64](f, name, TypeFloat, p)
}

// Bool binds a boolean field.
func (f *Fields) Bool(name string, p *bool) Binding[bool] { return bind[bool](f, name, TypeBool, p) }

// List binds a list field.
func (f *Fields) List(name string, p *[]any) Binding[[]any] {
	return bind[[]any](f, name, TypeList, p)
}

// Object binds an object (string-keyed map) field.
// StringList binds a list of strings field; the host refuses a list with
// anything else in it, and the OpenAPI schema says array of string.
func (f *Fields) StringList(name string, p *[]string) Binding[[]string] {
	b := bind[[]string](f, name, TypeList, p)
	f.list[b.i].items = TypeString
	return b
}

func (f *Fields) Object(name string, p *map[string]any) Binding[map[string]any] {
	return bind[map[string]any](f, name, TypeObject, p)
}

// Any binds a field of any value type.
func (f *Fields) Any(name string, p *any) Binding[any] { return bind[any](f, name, TypeAny, p) }

// Typed binds a field of declared type t to a value of any kind: the
// manifest gives t, and the host checks requests against it, so *p holds a
// value of t's kind (int64 for TypeInt, an upload map for TypeFile) or nil.
// It is for guests that learn their declarations only at run time, such as
// a language runtime, whose Fields method loops over them; Go guests use
// the typed methods above.
func (f *Fields) Typed(name string, t Type, p *any) Binding[any] { return bind[any](f, name, t, p) }

// OptString binds an optional string field to a pointer that stays nil
// when the request does not give it, to tell "absent" from "empty".
func (f *Fields) OptString(name string, p **string) Binding[string] {
	return bind[string](f, name, TypeString, p)
}

// OptInt binds an optional integer field, like OptString.
func (f *Fields) OptInt(name string, p **int) Binding[int] { return bind[int](f, name, TypeInt, p) }

// OptFloat binds an optional floating-point field, like OptString.
func (f *Fields) OptFloat(name string, p **float64) Binding[float64] {
	return bind[float64](f, name, TypeFloat, p)
}

// OptBool binds an optional boolean field, like OptString.
func (f *Fields) OptBool(name string, p **bool) Binding[bool] {
	return bind[bool](f, name, TypeBool, p)
}
