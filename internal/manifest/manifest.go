// Package manifest decodes and validates the self-description a guest
// module returns from walker_manifest (abi/ABI.md "Manifest").
package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/walkerhost/walkerhost/abi"
)

// ErrInvalid is wrapped by every error Parse returns.
var ErrInvalid = errors.New("manifest: invalid")

// MaxSize bounds the manifest JSON a module may return; the host's
// limits.max_manifest_bytes bounds it further.
const MaxSize = 1 << 20

// MaxFields bounds the fields of one declaration (walker, function, node
// or edge type): each becomes request validation and API documentation,
// so their number is what a manifest costs the host.
const MaxFields = 256

var methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

// Parse decodes and validates manifest JSON, filling in defaults (access
// "protected", method "POST"). Errors name the offending declaration, e.g.
// `walker "create_todo": field "title": unknown type "text"`.
func Parse(b []byte) (*abi.Manifest, error) {
	if len(b) > MaxSize {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrInvalid, len(b), MaxSize)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var m abi.Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: trailing data after the manifest object", ErrInvalid)
	}
	if err := validate(&m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return &m, nil
}

func validate(m *abi.Manifest) error {
	if m.ABI != abi.Version {
		return fmt.Errorf("abi %d, this host speaks %d", m.ABI, abi.Version)
	}
	if err := validateTypes("node type", m.Nodes, "Root"); err != nil {
		return err
	}
	if err := validateTypes("edge type", m.Edges, ""); err != nil {
		return err
	}
	if err := validateEntries("walker", m.Walkers); err != nil {
		return err
	}
	if err := validateEntries("function", m.Functions); err != nil {
		return err
	}
	return checkRoutes(m)
}

func validateTypes(what string, decls []abi.TypeDecl, reserved string) error {
	seen := map[string]bool{}
	for _, d := range decls {
		if err := checkName(d.Name, seen); err != nil {
			return fmt.Errorf("%s %q: %v", what, d.Name, err)
		}
		if d.Name == reserved {
			return fmt.Errorf("%s %q: the name is reserved", what, d.Name)
		}
		if err := validateFields(d.Fields, false); err != nil {
			return fmt.Errorf("%s %q: %v", what, d.Name, err)
		}
	}
	return nil
}

func validateEntries(what string, entries []abi.Entry) error {
	seen := map[string]bool{}
	for i := range entries {
		e := &entries[i]
		if err := checkEntry(e, seen); err != nil {
			return fmt.Errorf("%s %q: %v", what, e.Name, err)
		}
	}
	return nil
}

func checkEntry(e *abi.Entry, seen map[string]bool) error {
	if err := checkName(e.Name, seen); err != nil {
		return err
	}
	if e.Access == "" {
		e.Access = abi.AccessProtected
	}
	if e.Method == "" {
		e.Method = "POST"
	}
	e.Method = strings.ToUpper(e.Method)
	switch {
	case e.Access != abi.AccessPublic && e.Access != abi.AccessProtected && e.Access != abi.AccessPrivate:
		return fmt.Errorf("access %q: want public, protected or private", e.Access)
	case !slices.Contains(methods, e.Method):
		return fmt.Errorf("method %q: want one of %s", e.Method, strings.Join(methods, ", "))
	case e.Path != "" && (!strings.HasPrefix(e.Path, "/") || strings.ContainsAny(e.Path, " ?#{}")):
		return fmt.Errorf("path %q: want an absolute path without query, spaces or braces (fields come from the body or query)", e.Path)
	case e.Returns != "" && (!slices.Contains(abi.FieldTypes, e.Returns) || e.Returns == abi.TypeFile):
		return fmt.Errorf("returns %q: unknown type", e.Returns)
	}
	return validateFields(e.Fields, true)
}

// validateFields checks a list of fields; files says whether the type
// file is allowed (walker and function fields, not stored ones).
func validateFields(fields []abi.Field, files bool) error {
	if len(fields) > MaxFields {
		return fmt.Errorf("%d fields, more than the limit of %d", len(fields), MaxFields)
	}
	seen := map[string]bool{}
	for _, f := range fields {
		if err := checkName(f.Name, seen); err != nil {
			return fmt.Errorf("field %q: %v", f.Name, err)
		}
		if !slices.Contains(abi.FieldTypes, f.Type) {
			return fmt.Errorf("field %q: unknown type %q (want one of %s)", f.Name, f.Type, strings.Join(abi.FieldTypes, ", "))
		}
		if f.Type == abi.TypeFile && !files {
			return fmt.Errorf("field %q: only walkers and functions take files; store a file with store() and keep its path", f.Name)
		}
		if f.Type == abi.TypeFile && f.Default != nil {
			return fmt.Errorf("field %q: a file field cannot have a default", f.Name)
		}
		if f.Required && f.Default != nil {
			return fmt.Errorf("field %q: a required field cannot have a default", f.Name)
		}
		if f.Items != "" && (f.Type != abi.TypeList || !slices.Contains(abi.ItemTypes, f.Items)) {
			return fmt.Errorf("field %q: items %q: only a list has items, of type %s", f.Name, f.Items, strings.Join(abi.ItemTypes, ", "))
		}
		if f.Default != nil && !DefaultFits(f.Type, f.Default) {
			return fmt.Errorf("field %q: default %v is not a %s", f.Name, f.Default, f.Type)
		}
		if l, ok := f.Default.([]any); ok && f.Items != "" && slices.ContainsFunc(l, func(e any) bool { return !DefaultFits(f.Items, e) }) {
			return fmt.Errorf("field %q: default %v is not a list of %s", f.Name, f.Default, f.Items)
		}
	}
	return nil
}

// DefaultFits reports whether a JSON-decoded default has the field's type.
func DefaultFits(typ string, v any) bool {
	switch typ {
	case abi.TypeString:
		_, ok := v.(string)
		return ok
	case abi.TypeInt:
		f, ok := v.(float64)
		return ok && f == float64(int64(f))
	case abi.TypeFloat:
		_, ok := v.(float64)
		return ok
	case abi.TypeBool:
		_, ok := v.(bool)
		return ok
	case abi.TypeList:
		_, ok := v.([]any)
		return ok
	case abi.TypeObject:
		_, ok := v.(map[string]any)
		return ok
	}
	return true
}

func checkName(name string, seen map[string]bool) error {
	if !validName(name) {
		return errors.New("name must match [A-Za-z_][A-Za-z0-9_]*")
	}
	if seen[name] {
		return errors.New("declared twice")
	}
	seen[name] = true
	return nil
}

func validName(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i, c := range s {
		letter := c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}
