package fields

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
)

var decl = []abi.Field{
	{Name: "title", Type: abi.TypeString, Required: true},
	{Name: "count", Type: abi.TypeInt, Default: float64(1)},
	{Name: "ratio", Type: abi.TypeFloat},
	{Name: "done", Type: abi.TypeBool, Default: false},
	{Name: "tags", Type: abi.TypeList},
	{Name: "meta", Type: abi.TypeObject},
	{Name: "extra", Type: abi.TypeAnyVal},
}

func parse(t *testing.T, s string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEncode(t *testing.T) {
	tests := []struct {
		name  string
		input map[string]any
		where string
		want  map[string]any
	}{
		{"defaults filled, unknown ignored", parse(t, `{"title":"a","zzz":1}`), "body",
			map[string]any{"title": "a", "count": int64(1), "done": false}},
		{"all types", parse(t, `{"title":"a","count":3,"ratio":2,"done":true,"tags":[1,"x"],"meta":{"k":1.5},"extra":null}`), "body",
			map[string]any{"title": "a", "count": int64(3), "ratio": 2.0, "done": true, "tags": []any{int64(1), "x"},
				"meta": map[string]any{"k": 1.5}, "extra": nil}},
		{"integral float is an int", parse(t, `{"title":"a","count":4.0}`), "body",
			map[string]any{"title": "a", "count": int64(4), "done": false}},
		{"null optional takes default", parse(t, `{"title":"a","count":null}`), "body",
			map[string]any{"title": "a", "count": int64(1), "done": false}},
		{"query strings convert", map[string]any{"title": "a", "count": "7", "done": "true", "ratio": "0.5", "tags": `["q"]`}, "query",
			map[string]any{"title": "a", "count": int64(7), "done": true, "ratio": 0.5, "tags": []any{"q"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, errs := Encode(nil, decl, tc.input, tc.where)
			if errs != nil {
				t.Fatalf("errors: %+v", errs)
			}
			got, err := abi.DecodeValue(b)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

func TestEncode_Errors(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []Error
	}{
		{"missing", `{}`, []Error{{Loc: []any{"body", "title"}, Type: "missing", Msg: "Field required"}}},
		{"null required", `{"title":null}`, []Error{{Loc: []any{"body", "title"}, Type: "string_type", Msg: "Input should be a valid string"}}},
		{"wrong types", `{"title":1,"count":"3","ratio":"x","done":"yes","tags":{},"meta":[]}`, []Error{
			{Loc: []any{"body", "title"}, Type: "string_type", Msg: "Input should be a valid string"},
			{Loc: []any{"body", "count"}, Type: "int_type", Msg: "Input should be a valid integer"},
			{Loc: []any{"body", "ratio"}, Type: "float_type", Msg: "Input should be a valid number"},
			{Loc: []any{"body", "done"}, Type: "bool_type", Msg: "Input should be a valid boolean"},
			{Loc: []any{"body", "tags"}, Type: "list_type", Msg: "Input should be a valid list"},
			{Loc: []any{"body", "meta"}, Type: "dict_type", Msg: "Input should be a valid dictionary"},
		}},
		{"fractional int", `{"title":"a","count":1.5}`, []Error{{Loc: []any{"body", "count"}, Type: "int_from_float",
			Msg: "Input should be a valid integer, got a number with a fractional part"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := Encode(nil, decl, parse(t, tc.input), "body")
			if !reflect.DeepEqual(errs, tc.want) {
				t.Fatalf("got %+v\nwant %+v", errs, tc.want)
			}
		})
	}
}

// nest wraps inner in n lists (or objects under key "k").
func nest(n int, inner string, object bool) string {
	open, close := "[", "]"
	if object {
		open, close = `{"k":`, "}"
	}
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

// TestEncode_Depth: a list, object or any field nested as deeply as the
// ABI's decoders accept is encoded, one level more is a validation error
// naming the field; the boundary is checked against abi.DecodeValue, which
// reads the field map as the guest does.
func TestEncode_Depth(t *testing.T) {
	tests := []struct {
		name, field string
		value       string
		ok          bool
	}{
		{"list: 63 lists around a number", "tags", nest(63, "1", false), true},
		{"list: 64 lists around a number", "tags", nest(64, "1", false), false},
		{"list: 64 lists, innermost empty", "tags", nest(63, "[]", false), true},
		{"list: 65 lists, innermost empty", "tags", nest(64, "[]", false), false},
		{"object: 63 objects around a string", "meta", nest(63, `"x"`, true), true},
		{"object: 64 objects around a string", "meta", nest(64, `"x"`, true), false},
		{"object: 64 objects, innermost empty", "meta", nest(63, "{}", true), true},
		{"object: 65 objects, innermost empty", "meta", nest(64, "{}", true), false},
		{"any: 64 mixed, innermost empty", "extra", nest(32, nest(31, "[]", false), true), true},
		{"any: 65 mixed, innermost empty", "extra", nest(32, nest(32, "[]", false), true), false},
		{"any: deep in a later item", "extra", `[1, ` + nest(64, "0", false) + `]`, false},
		{"any: 9000 levels", "extra", nest(9000, "", false), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, errs := Encode(nil, decl, parse(t, `{"title":"a","`+tc.field+`":`+tc.value+`}`), "body")
			if !tc.ok {
				want := []Error{{Loc: []any{"body", tc.field}, Type: "value_error", Msg: tooDeepMsg}}
				if !reflect.DeepEqual(errs, want) {
					t.Fatalf("got %+v, want %+v", errs, want)
				}
				return
			}
			if errs != nil {
				t.Fatalf("errors: %+v", errs)
			}
			if _, err := abi.DecodeValue(b); err != nil {
				t.Fatalf("accepted input does not decode: %v", err)
			}
		})
	}
	if !strings.Contains(tooDeepMsg, "64") {
		t.Fatalf("the message does not name the limit: %s", tooDeepMsg)
	}
}

func FuzzEncode(f *testing.F) {
	f.Add(`{"title":"a","count":3,"tags":[1]}`)
	f.Add(`{"count":1e400}`)
	f.Add(`{"title":"a","extra":` + nest(64, "1", false) + `}`)
	f.Fuzz(func(t *testing.T, s string) {
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		var m map[string]any
		if dec.Decode(&m) != nil {
			return
		}
		b, errs := Encode(nil, decl, m, "body")
		if errs != nil {
			return
		}
		if _, err := abi.DecodeValue(b); err != nil {
			t.Fatalf("encoding does not decode: %v", err)
		}
	})
}

var formDecl = []abi.Field{
	{Name: "doc", Type: abi.TypeFile, Required: true},
	{Name: "note", Type: abi.TypeFile},
	{Name: "title", Type: abi.TypeString},
	{Name: "count", Type: abi.TypeInt, Default: float64(1)},
	{Name: "done", Type: abi.TypeBool},
}

func TestEncodeForm(t *testing.T) {
	doc := File{ID: 1, Name: "a.txt", ContentType: "text/plain", Size: 5}
	b, errs := EncodeForm(nil, formDecl, map[string]any{"doc": doc, "title": "t", "count": "3", "done": "on"})
	if errs != nil {
		t.Fatalf("errors: %+v", errs)
	}
	got, err := abi.DecodeValue(b)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"doc":   map[string]any{"name": "a.txt", "content_type": "text/plain", "size": int64(5), "upload": int64(1)},
		"title": "t", "count": int64(3), "done": true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v\nwant %#v", got, want)
	}
	// The upload map's keys are sorted, as every encoded map's are.
	if again, _ := abi.AppendValue(nil, want["doc"]); !strings.Contains(string(b), string(again)) {
		t.Fatal("the upload map is not in canonical key order")
	}
}

func TestEncodeForm_Errors(t *testing.T) {
	tests := []struct {
		name  string
		input map[string]any
		want  []Error
	}{
		{"file missing", map[string]any{}, []Error{{Loc: []any{"body", "doc"}, Type: "missing", Msg: "Field required"}}},
		{"text for a file", map[string]any{"doc": "not a file"}, []Error{{Loc: []any{"body", "doc"}, Type: "value_error",
			Msg: "Expected UploadFile, received: str (send the file as a multipart/form-data part)"}}},
		{"file for a string", map[string]any{"doc": File{ID: 1}, "title": File{ID: 2}}, []Error{{Loc: []any{"body", "title"}, Type: "string_type",
			Msg: "Input should be a string, not a file"}}},
		{"bad number", map[string]any{"doc": File{ID: 1}, "count": "x"}, []Error{{Loc: []any{"body", "count"}, Type: "int_type",
			Msg: "Input should be a valid integer"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := EncodeForm(nil, formDecl, tc.input)
			if !reflect.DeepEqual(errs, tc.want) {
				t.Fatalf("got %+v\nwant %+v", errs, tc.want)
			}
		})
	}
	_, errs := Encode(nil, formDecl, parse(t, `{"doc":{"name":"x"}}`), "body")
	if len(errs) != 1 || errs[0].Type != "value_error" || !strings.Contains(errs[0].Msg, "received: dict") {
		t.Fatalf("JSON object for a file field: %+v", errs)
	}
}

// TestEncode_Items: a list field that declares its items' type refuses
// other elements, naming the element's index.
func TestEncode_Items(t *testing.T) {
	decl := []abi.Field{{Name: "tags", Type: abi.TypeList, Items: abi.TypeString}}
	if _, errs := Encode(nil, decl, parse(t, `{"tags":["a","b"]}`), "body"); errs != nil {
		t.Fatalf("strings refused: %+v", errs)
	}
	_, errs := Encode(nil, decl, parse(t, `{"tags":["a",2]}`), "body")
	want := []Error{{Loc: []any{"body", "tags", 1}, Type: "string_type", Msg: "Input should be a valid string"}}
	if !reflect.DeepEqual(errs, want) {
		t.Fatalf("got %+v, want %+v", errs, want)
	}
	if _, errs := Encode(nil, decl, map[string]any{"tags": `["a",true]`}, "query"); len(errs) != 1 {
		t.Fatalf("query list with a bool: %+v", errs)
	}
}
