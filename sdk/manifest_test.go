package sdk_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/sdk"
)

func TestManifestJSON(t *testing.T) {
	var got abi.Manifest
	if err := json.Unmarshal(sdk.ManifestJSON(), &got); err != nil {
		t.Fatalf("manifest is not JSON: %v\n%s", err, sdk.ManifestJSON())
	}
	str := func(name string) abi.Field { return abi.Field{Name: name, Type: "string"} }
	integer := func(name string) abi.Field { return abi.Field{Name: name, Type: "int"} }
	empty := []abi.Field{}
	want := abi.Manifest{
		ABI: 1, SDK: sdk.SDKVersion,
		Nodes: []abi.TypeDecl{
			{Name: "Item", Fields: []abi.Field{
				{Name: "name", Type: "string", Required: true},
				{Name: "count", Type: "int", Default: 0.0},
			}},
			{Name: "Tag", Fields: empty},
		},
		Edges: []abi.TypeDecl{
			{Name: "Has", Fields: []abi.Field{{Name: "weight", Type: "float", Default: 1.0}}},
			{Name: "Likes", Fields: empty},
		},
		Walkers: []abi.Entry{
			{Name: "tour", Access: "public", Method: "GET", Fields: []abi.Field{str("skip_at"), str("stop_at"), integer("seen")}},
			{Name: "echo", Access: "protected", Method: "POST", Path: "/echo/it", Webhook: true, Doc: "Echoes its fields.", Fields: []abi.Field{
				{Name: "s", Type: "string", Required: true},
				{Name: "i", Type: "int", Default: 7.0},
				integer("i64"),
				{Name: "f", Type: "float", Default: 1.5},
				{Name: "b", Type: "bool", Default: true},
				{Name: "l", Type: "list", Default: []any{"x"}},
				{Name: "o", Type: "object"},
				{Name: "a", Type: "any"},
				str("os"),
				{Name: "ob", Type: "bool"},
				integer("oi"),
				{Name: "of", Type: "float"},
				{Name: "sl", Type: "list", Items: "string", Doc: "labels"},
			}},
			{Name: "secret", Access: "private", Method: "POST", Fields: []abi.Field{{Name: "word", Type: "string", Default: "psst"}, integer("calls")}},
			{Name: "call_secret", Access: "protected", Method: "POST", Fields: []abi.Field{integer("heard")}},
			{Name: "fail", Access: "protected", Method: "POST", Fields: empty},
			{Name: "panic", Access: "protected", Method: "POST", Fields: empty},
			{Name: "lookup", Access: "protected", Method: "POST", Fields: []abi.Field{{Name: "id", Type: "string", Required: true}}},
			{Name: "lookup_raw", Access: "protected", Method: "POST", Fields: []abi.Field{{Name: "id", Type: "string", Required: true}}},
			{Name: "crud", Access: "protected", Method: "POST", Fields: empty},
			{Name: "bulk", Access: "protected", Method: "POST", Fields: []abi.Field{integer("n")}},
			{Name: "lookup_ignored", Access: "protected", Method: "POST", Fields: []abi.Field{{Name: "id", Type: "string", Required: true}}},
			{Name: "greet", Access: "public", Method: "GET", Fields: []abi.Field{{Name: "name", Type: "string", Default: "world"}}},
			{Name: "list", Access: "protected", Method: "GET", Fields: empty},
			{Name: "spawn_panic", Access: "protected", Method: "POST", Fields: []abi.Field{{Name: "wrap", Type: "bool"}}},
			{Name: "bad_fields", Access: "protected", Method: "POST", Fields: []abi.Field{str("s")}},
			{Name: "inspect", Access: "protected", Method: "POST", Fields: empty},
			{Name: "perms", Access: "protected", Method: "POST", Fields: []abi.Field{
				str("root"), integer("level"), {Name: "undo", Type: "bool"}, {Name: "ignore", Type: "bool"},
			}},
			{Name: "attach", Access: "protected", Method: "POST", Fields: []abi.Field{
				{Name: "doc", Type: "file", Required: true}, {Name: "extra", Type: "file"}, {Name: "path", Type: "string", Default: "up/doc.bin"},
			}},
		},
		Functions: []abi.Entry{
			{Name: "add", Access: "public", Method: "POST", Returns: "int", Fields: []abi.Field{
				{Name: "a", Type: "int", Required: true}, {Name: "b", Type: "int", Required: true},
			}},
			{Name: "bad_result", Access: "protected", Method: "POST", Returns: "any", Fields: empty},
			{Name: "panic_fn", Access: "protected", Method: "POST", Returns: "any", Fields: empty},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("manifest:\n got %+v\nwant %+v\njson %s", got, want, sdk.ManifestJSON())
	}
}

func TestManifestJSON_FloatDefaultStaysFloat(t *testing.T) {
	if !strings.Contains(string(sdk.ManifestJSON()), `"name":"weight","type":"float","default":1.0}`) {
		t.Fatalf("float default written as an integer: %s", sdk.ManifestJSON())
	}
}
