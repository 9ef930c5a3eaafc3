package sandbox

import (
	"errors"
	"fmt"
	"math"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/graph"
)

// SchemaError is a node or edge write refused because it does not fit the
// type the module's manifest declares: a required field missing, a value
// of another kind, or a field the type does not declare. The host checks
// every write whatever language the guest is written in (ABI.md "Declared
// types"). A walker that fails with it answers 422 VALIDATION_ERROR. It
// wraps ErrExecution.
type SchemaError struct {
	Kind   string // "node" or "edge"
	Type   string // the declared type
	Field  string
	Reason string // "missing", "type" or "unknown"
	msg    string
}

func (e *SchemaError) Error() string { return e.msg }

// Unwrap lets errors.Is(err, ErrExecution) hold.
func (e *SchemaError) Unwrap() error { return ErrExecution }

func schemaErr(kind, typ, field, reason, format string, args ...any) *SchemaError {
	return &SchemaError{Kind: kind, Type: typ, Field: field, Reason: reason, msg: fmt.Sprintf(format, args...)}
}

// checkFields checks fields (as decoded from the guest, changed in place)
// against decl, the declared fields of a kind ("node" or "edge") of type
// typ. On create, absent or null fields with a default get it and required
// ones must be there; on update, only the given fields are checked, and a
// null (which removes a field) restores the default, or is refused for a
// required field. An int field takes an integral float as that int, as
// JSON Schema counts 3.0 as an integer; a float field takes ints.
func checkFields(kind, typ string, decl []abi.Field, fields map[string]any, create bool) error {
	for name := range fields {
		if fieldDecl(decl, name) == nil {
			return schemaErr(kind, typ, name, "unknown", "%s type %s has no field %q", kind, typ, name)
		}
	}
	for i := range decl {
		f := &decl[i]
		v, given := fields[f.Name]
		switch {
		case v != nil:
			c, ok := fitKind(f.Type, v)
			if l, isList := c.([]any); ok && isList && f.Items != "" {
				for j, e := range l {
					if l[j], ok = fitKind(f.Items, e); !ok {
						return schemaErr(kind, typ, f.Name, "type", "%s type %s: field %q must be a list of %s, not one with %s in it",
							kind, typ, f.Name, f.Items, article(valueKind(e)))
					}
				}
			}
			if !ok {
				return schemaErr(kind, typ, f.Name, "type", "%s type %s: field %q must be %s, not %s",
					kind, typ, f.Name, article(f.Type), article(valueKind(v)))
			}
			fields[f.Name] = c
		case !given && !create:
		case f.Required && create:
			return schemaErr(kind, typ, f.Name, "missing", "%s type %s: field %q is required", kind, typ, f.Name)
		case f.Required:
			return schemaErr(kind, typ, f.Name, "missing", "%s type %s: field %q is required and cannot be removed", kind, typ, f.Name)
		case f.Default != nil:
			fields[f.Name], _ = fitKind(f.Type, f.Default)
		}
	}
	return nil
}

func fieldDecl(decl []abi.Field, name string) *abi.Field {
	for i := range decl {
		if decl[i].Name == name {
			return &decl[i]
		}
	}
	return nil
}

// fitKind returns v in the stored form of a field of type typ, or false
// when v is not of that type. Manifest defaults come as JSON numbers
// (float64), guest values as int64 or float64.
func fitKind(typ string, v any) (any, bool) {
	ok := true
	switch typ {
	case abi.TypeString:
		_, ok = v.(string)
	case abi.TypeInt:
		if f, isFloat := v.(float64); isFloat && f == math.Trunc(f) && math.Abs(f) <= 1<<53 {
			return int64(f), true
		}
		_, ok = v.(int64)
	case abi.TypeFloat:
		switch v.(type) {
		case int64, float64:
		default:
			ok = false
		}
	case abi.TypeBool:
		_, ok = v.(bool)
	case abi.TypeList:
		_, ok = v.([]any)
	case abi.TypeObject:
		_, ok = v.(map[string]any)
	}
	return v, ok
}

// valueKind names the kind of a decoded value in the manifest's words.
func valueKind(v any) string {
	switch v.(type) {
	case string:
		return abi.TypeString
	case int64:
		return abi.TypeInt
	case float64:
		return abi.TypeFloat
	case bool:
		return abi.TypeBool
	case []any:
		return abi.TypeList
	case map[string]any:
		return abi.TypeObject
	}
	return "handle"
}

func article(kind string) string {
	switch kind {
	case abi.TypeInt, abi.TypeObject:
		return "an " + kind
	}
	return "a " + kind
}

// typeDecl returns the declared fields of a node or edge type of the
// module, and false for the built-in and undeclared types, which are not
// checked.
func (m *Module) typeDecl(kind graph.Kind, typ string) ([]abi.Field, bool) {
	ids, decls := m.nodeIDs, m.Manifest.Nodes
	if kind == graph.KindEdge {
		ids, decls = m.edgeIDs, m.Manifest.Edges
	}
	id, ok := ids[typ]
	if !ok || id == 0 {
		return nil, false
	}
	return decls[id-1].Fields, true
}

// checkWrite checks the fields of a write to an object of kind and type
// typ against the module's declaration, and remembers a refusal so that a
// walker failing with it answers as the client's error (see failure).
func (s *session) checkWrite(kind graph.Kind, typ string, fields map[string]any, create bool) error {
	decl, ok := s.inst.m.typeDecl(kind, typ)
	if !ok {
		return nil
	}
	err := checkFields(kind.String(), typ, decl, fields, create)
	var se *SchemaError
	if errors.As(err, &se) {
		s.schema = se
	}
	return err
}
