package sdk

import "github.com/walkerhost/walkerhost/abi"

// Type is a field's value type as the manifest names it (ABI.md "Manifest").
type Type string

// Field types.
const (
	TypeString Type = abi.TypeString
	TypeInt    Type = abi.TypeInt
	TypeFloat  Type = abi.TypeFloat
	TypeBool   Type = abi.TypeBool
	TypeList   Type = abi.TypeList
	TypeObject Type = abi.TypeObject
	TypeAny    Type = abi.TypeAnyVal
	TypeFile   Type = abi.TypeFile // an uploaded file; walker and function fields only
)

// scalar reports whether values of type t are strings, numbers or bools,
// which need no deep copy.
func (t Type) scalar() bool {
	return t == TypeString || t == TypeInt || t == TypeFloat || t == TypeBool
}

// field is one declared field of a node or edge type, a walker or a
// function, as the manifest describes it.
type field struct {
	name     string
	typ      Type
	required bool
	hasDef   bool
	def      any
	items    Type   // a list's element type; "" for any
	doc      string // the OpenAPI description
}

// FieldDecl is a field of a node or edge type, made by StringField,
// IntField and the other *Field functions.
type FieldDecl interface{ decl() field }

// Decl is a typed FieldDecl; T is the Go type of its default.
type Decl[T any] struct{ f field }

// Required marks the field as one that must be given.
func (d Decl[T]) Required() Decl[T] {
	d.f.required = true
	return d
}

// Default sets the value the host fills in when the field is not given.
func (d Decl[T]) Default(v T) Decl[T] {
	d.f.def, d.f.hasDef = v, true
	return d
}

// Doc sets the field's description, shown in the OpenAPI document.
func (d Decl[T]) Doc(s string) Decl[T] {
	d.f.doc = s
	return d
}

func (d Decl[T]) decl() field { return d.f }

func declare[T any](name string, t Type) Decl[T] { return Decl[T]{field{name: name, typ: t}} }

// StringListField declares a list of strings field.
func StringListField(name string) Decl[[]string] {
	d := declare[[]string](name, TypeList)
	d.f.items = TypeString
	return d
}

// StringField declares a string field.
func StringField(name string) Decl[string] { return declare[string](name, TypeString) }

// IntField declares an integer field.
func IntField(name string) Decl[int64] { return declare[int64](name, TypeInt) }

// FloatField declares a floating-point field.
func FloatField(name string) Decl[float64] { return declare[float64](name, TypeFloat) }

// BoolField declares a boolean field.
func BoolField(name string) Decl[bool] { return declare[bool](name, TypeBool) }

// ListField declares a list field.
func ListField(name string) Decl[[]any] { return declare[[]any](name, TypeList) }

// ObjectField declares an object (string-keyed map) field.
func ObjectField(name string) Decl[map[string]any] {
	return declare[map[string]any](name, TypeObject)
}

// AnyField declares a field of any value type.
func AnyField(name string) Decl[any] { return declare[any](name, TypeAny) }
