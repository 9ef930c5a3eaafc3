package ast

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Dump prints a node as a compact, deterministic S-expression without
// positions — `(Binary Op="+" X=(Name Name="a") Y=(Lit Value="1"))` — for
// tests and debugging. Zero-valued fields are left out.
func Dump(n any) string {
	var b strings.Builder
	dump(&b, reflect.ValueOf(n))
	return b.String()
}

var posType = reflect.TypeOf(Pos{})

func dump(b *strings.Builder, v reflect.Value) {
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Struct:
		b.WriteString("(" + v.Type().Name())
		for i := 0; i < v.NumField(); i++ {
			f, ft := v.Field(i), v.Type().Field(i)
			if ft.Type == posType || f.IsZero() {
				continue
			}
			if ft.Anonymous { // ArchStmt / FuncStmt wrap a declaration
				b.WriteByte(' ')
				dump(b, f)
				continue
			}
			b.WriteString(" " + ft.Name + "=")
			dump(b, f)
		}
		b.WriteByte(')')
	case reflect.Slice:
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			dump(b, v.Index(i))
		}
		b.WriteByte(']')
	case reflect.String:
		b.WriteString(strconv.Quote(v.String()))
	case reflect.Uint8:
		b.WriteString(strconv.QuoteRune(rune(v.Uint())))
	default:
		fmt.Fprint(b, v.Interface())
	}
}
