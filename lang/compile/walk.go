package compile

import (
	"reflect"

	"github.com/walkerhost/walkerhost/lang/ast"
)

var nodeType = reflect.TypeOf((*ast.Node)(nil)).Elem()

// inspect calls fn for every node under n, depth first in field order, with
// the chain of enclosing nodes (outermost first); fn returning false skips
// the node's children.
func inspect(n any, fn func(n ast.Node, stack []ast.Node) bool) {
	var stack []ast.Node
	var visit func(v reflect.Value)
	visit = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Interface:
			if !v.IsNil() {
				visit(v.Elem())
			}
		case reflect.Pointer:
			if v.IsNil() {
				return
			}
			if n, ok := v.Interface().(ast.Node); ok && v.Elem().Kind() == reflect.Struct {
				if !fn(n, stack) {
					return
				}
				stack = append(stack, n)
				visitFields(v.Elem(), visit)
				stack = stack[:len(stack)-1]
				return
			}
			visit(v.Elem())
		case reflect.Struct:
			visitFields(v, visit)
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				visit(v.Index(i))
			}
		}
	}
	visit(reflect.ValueOf(n))
}

func visitFields(v reflect.Value, visit func(reflect.Value)) {
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Interface, reflect.Pointer, reflect.Slice, reflect.Struct:
			if f.Type() == reflect.TypeOf(ast.Pos{}) {
				continue
			}
			visit(f)
		}
	}
}
