package sandbox

import (
	"errors"
	"reflect"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
)

// TestCheckFields_Items: a list field with declared items takes only
// those, an integral float becoming an int as for an int field.
func TestCheckFields_Items(t *testing.T) {
	decl := []abi.Field{{Name: "tags", Type: abi.TypeList, Items: abi.TypeString}, {Name: "ns", Type: abi.TypeList, Items: abi.TypeInt}}
	fields := map[string]any{"tags": []any{"a"}, "ns": []any{int64(1), 2.0}}
	if err := checkFields("node", "T", decl, fields, true); err != nil || !reflect.DeepEqual(fields["ns"], []any{int64(1), int64(2)}) {
		t.Fatalf("%v, %v", err, fields)
	}
	err := checkFields("node", "T", decl, map[string]any{"tags": []any{"a", true}}, true)
	var se *SchemaError
	if !errors.As(err, &se) || se.Field != "tags" || se.Error() != `node type T: field "tags" must be a list of string, not one with a bool in it` {
		t.Fatalf("got %v", err)
	}
}
