// Package fields checks request input against the typed fields a module
// declares and encodes it as the map value of a request record. Its errors
// follow FastAPI's validation errors so that existing clients understand them.
package fields

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/walkerhost/walkerhost/abi"
)

// Error is one validation failure, serialised as FastAPI does:
// {"loc": ["body", "title"], "type": "missing", "msg": "Field required"}.
type Error struct {
	Loc  []any  `json:"loc"`
	Type string `json:"type"`
	Msg  string `json:"msg"`
}

// File is an uploaded file in the input of a field of type file: what the
// request record says of it (abi/ABI.md "Uploads"). The bytes stay with
// the caller, under the upload id.
type File struct {
	ID          int64 // the upload id, from 1
	Name        string
	ContentType string
	Size        int64
}

// Encode validates input against decl and appends the map value of the
// fields, in declaration order with defaults filled in, to dst. Unknown keys
// are ignored. where is the first element of each error's loc ("body" or
// "query"). Numbers in input must be json.Number (decode with UseNumber);
// for "query" input, every value may also be a string.
func Encode(dst []byte, decl []abi.Field, input map[string]any, where string) ([]byte, []Error) {
	return encode(dst, decl, input, where, where == "query")
}

// EncodeForm is Encode for the fields of a multipart/form-data body: every
// value is a string, converted to its field's type as query values are,
// except the files, which are File values.
func EncodeForm(dst []byte, decl []abi.Field, input map[string]any) ([]byte, []Error) {
	return encode(dst, decl, input, "body", true)
}

func encode(dst []byte, decl []abi.Field, input map[string]any, where string, strs bool) ([]byte, []Error) {
	var errs []Error
	header := len(dst)
	dst = abi.AppendMapHeader(dst, 0)
	count := uint32(0)
	for _, f := range decl {
		v, present := input[f.Name]
		switch {
		case present && (v != nil || f.Required):
			var e *Error
			dst = abi.AppendStr(dst, f.Name)
			if dst, e = appendTyped(dst, f.Type, v, strs); e != nil {
				e.Loc = []any{where, f.Name}
				errs = append(errs, *e)
			} else if e := checkItems(f, v, strs); e != nil {
				e.Loc = append([]any{where, f.Name}, e.Loc...)
				errs = append(errs, *e)
			}
		case f.Required:
			errs = append(errs, Error{Loc: []any{where, f.Name}, Type: "missing", Msg: "Field required"})
			continue
		case f.Default != nil:
			dst = abi.AppendStr(dst, f.Name)
			dst, _ = appendTyped(dst, f.Type, normalize(f.Default), false)
		case present: // an explicit null for an optional field without default
			dst = abi.AppendNull(abi.AppendStr(dst, f.Name))
		default:
			continue
		}
		count++
	}
	binary.LittleEndian.PutUint32(dst[header+1:], count)
	return dst, errs
}

// checkItems checks the elements of a list field that declares their type
// (abi.Field.Items); loc is the failing element's index.
func checkItems(f abi.Field, v any, fromQuery bool) *Error {
	if f.Items == "" {
		return nil
	}
	if s, ok := v.(string); ok && fromQuery {
		v = fromQueryString(abi.TypeList, s)
	}
	l, _ := v.([]any)
	for i, e := range l {
		if _, err := appendTyped(nil, f.Items, e, false); err != nil {
			err.Loc = []any{i}
			return err
		}
	}
	return nil
}

// normalize turns a JSON-decoded manifest default (float64 numbers) into
// the json.Number form Encode expects.
func normalize(v any) any {
	if f, ok := v.(float64); ok {
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
	}
	return v
}

func appendTyped(dst []byte, typ string, v any, fromQuery bool) ([]byte, *Error) {
	if s, ok := v.(string); ok && fromQuery && typ != abi.TypeString && typ != abi.TypeAnyVal {
		v = fromQueryString(typ, s)
	}
	if f, ok := v.(File); ok != (typ == abi.TypeFile) {
		if ok {
			return dst, &Error{Type: typeName(typ) + "_type", Msg: "Input should be a " + typeName(typ) + ", not a file"}
		}
		return dst, &Error{Type: "value_error", Msg: "Expected UploadFile, received: " + jsonKind(v) + " (send the file as a multipart/form-data part)"}
	} else if ok {
		return appendFile(dst, f), nil
	}
	switch typ {
	case abi.TypeString:
		if s, ok := v.(string); ok {
			return abi.AppendString(dst, s), nil
		}
		return dst, &Error{Type: "string_type", Msg: "Input should be a valid string"}
	case abi.TypeInt:
		return appendInt(dst, v)
	case abi.TypeFloat:
		if n, ok := v.(json.Number); ok {
			if f, err := n.Float64(); err == nil && !math.IsInf(f, 0) {
				return abi.AppendFloat(dst, f), nil
			}
		}
		return dst, &Error{Type: "float_type", Msg: "Input should be a valid number"}
	case abi.TypeBool:
		if b, ok := v.(bool); ok {
			return abi.AppendBool(dst, b), nil
		}
		return dst, &Error{Type: "bool_type", Msg: "Input should be a valid boolean"}
	case abi.TypeList:
		if _, ok := v.([]any); !ok {
			return dst, &Error{Type: "list_type", Msg: "Input should be a valid list"}
		}
	case abi.TypeObject:
		if _, ok := v.(map[string]any); !ok {
			return dst, &Error{Type: "dict_type", Msg: "Input should be a valid dictionary"}
		}
	}
	if !nestedWithin(v, 1) {
		return dst, &Error{Type: "value_error", Msg: tooDeepMsg}
	}
	return AppendJSON(dst, v), nil
}

// tooDeepMsg explains the nesting limit: the field's value is level 1, the
// items of a list or object one level below it.
var tooDeepMsg = "Input is nested more than " + strconv.Itoa(abi.MaxDepth) +
	" levels deep (the field's value is level 1, each list or object adds one)"

// nestedWithin reports whether v, at nesting level depth, has nothing below
// level abi.MaxDepth. A field value sits at level 1 of the request record's
// field map, which the guest's decoder refuses beyond abi.MaxDepth; the
// host checks first so that such input is the client's error, not the
// walker's.
func nestedWithin(v any, depth int) bool {
	if depth > abi.MaxDepth {
		return false
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if !nestedWithin(e, depth+1) {
				return false
			}
		}
	case map[string]any:
		for _, e := range x {
			if !nestedWithin(e, depth+1) {
				return false
			}
		}
	}
	return true
}

func appendInt(dst []byte, v any) ([]byte, *Error) {
	n, ok := v.(json.Number)
	if !ok {
		return dst, &Error{Type: "int_type", Msg: "Input should be a valid integer"}
	}
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return abi.AppendInt(dst, i), nil
	}
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return dst, &Error{Type: "int_from_float", Msg: "Input should be a valid integer, got a number with a fractional part"}
	}
	return abi.AppendInt(dst, int64(f)), nil
}

// appendFile appends the upload map of f, its keys sorted as abi.AppendMap
// sorts them.
func appendFile(dst []byte, f File) []byte {
	dst = abi.AppendMapHeader(dst, 4)
	dst = abi.AppendString(abi.AppendStr(dst, abi.UploadContentType), f.ContentType)
	dst = abi.AppendString(abi.AppendStr(dst, abi.UploadName), f.Name)
	dst = abi.AppendInt(abi.AppendStr(dst, abi.UploadSize), f.Size)
	return abi.AppendInt(abi.AppendStr(dst, abi.UploadID), f.ID)
}

// typeName is the word for a field type in messages, as FastAPI names it.
func typeName(typ string) string {
	switch typ {
	case abi.TypeObject:
		return "dict"
	case abi.TypeAnyVal:
		return "value"
	}
	return typ
}

// jsonKind names the JSON kind of a decoded value, for messages.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case string:
		return "str"
	case json.Number:
		return "number"
	case []any:
		return "list"
	case map[string]any:
		return "dict"
	}
	return "value"
}

// fromQueryString converts a query-string value to the JSON form of typ;
// a value that does not convert is returned unchanged and fails the check.
func fromQueryString(typ, s string) any {
	switch typ {
	case abi.TypeInt, abi.TypeFloat:
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return json.Number(s)
		}
	case abi.TypeBool:
		switch strings.ToLower(s) {
		case "true", "1", "yes", "on":
			return true
		case "false", "0", "no", "off":
			return false
		}
	case abi.TypeList, abi.TypeObject:
		var v any
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		if dec.Decode(&v) == nil {
			return v
		}
	}
	return s
}

// AppendJSON appends a value decoded from JSON with UseNumber (json.Number
// becomes an int when integral, else a float).
func AppendJSON(dst []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return abi.AppendNull(dst)
	case bool:
		return abi.AppendBool(dst, x)
	case string:
		return abi.AppendString(dst, x)
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return abi.AppendInt(dst, i)
		}
		f, _ := x.Float64()
		return abi.AppendFloat(dst, f)
	case []any:
		dst = abi.AppendListHeader(dst, len(x))
		for _, e := range x {
			dst = AppendJSON(dst, e)
		}
		return dst
	case map[string]any:
		dst = abi.AppendMapHeader(dst, len(x))
		for _, k := range sortedKeys(x) {
			dst = abi.AppendStr(dst, k)
			dst = AppendJSON(dst, x[k])
		}
		return dst
	}
	return abi.AppendNull(dst)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
