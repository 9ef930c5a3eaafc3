package interp

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/walkerhost/walkerhost/lang/ast"
)

// Error is a Jac exception that escaped the program: its exception type
// (e.g. "ValueError"), message and where it was raised.
type Error struct {
	Type string
	Msg  string
	File string
	Pos  ast.Pos
	// Value is the exception object itself (for hosts that render it).
	Value Value
}

func (e *Error) Error() string {
	loc := e.File
	if e.Pos.Line > 0 {
		loc += ":" + strconv.Itoa(e.Pos.Line) + ":" + strconv.Itoa(e.Pos.Col)
	}
	if loc != "" {
		loc += ": "
	}
	if e.Msg == "" {
		return loc + e.Type
	}
	return loc + e.Type + ": " + e.Msg
}

// Exc is a raised exception travelling up the Go stack (as a panic value).
type Exc struct {
	Val  *Instance
	File string
	Pos  ast.Pos // the statement that raised it (set once)
	set  bool
}

// TypeObj is a built-in type usable as a value: int, str, list…
type TypeObj struct {
	Name string
	Fn   func(c *call, args []Value, kw *Dict) Value
}

// builtinClasses are the exception classes every program sees.
var builtinClasses = map[string]*Class{}

func init() {
	mk := func(name string, base *Class) *Class {
		c := &Class{Name: name, Exc: true, Methods: map[string]*Func{}, Statics: map[string]Value{}}
		if base != nil {
			c.Bases = []*Class{base}
		}
		c.mro = computeMRO(c)
		builtinClasses[name] = c
		return c
	}
	base := mk("BaseException", nil)
	exc := mk("Exception", base)
	mk("KeyboardInterrupt", base)
	mk("SystemExit", base)
	mk("GeneratorExit", base)
	for _, n := range []string{"TypeError", "AttributeError", "NameError", "AssertionError",
		"StopIteration", "ImportError", "NotImplementedError", "RuntimeError", "ValueError",
		"ArithmeticError", "LookupError", "OSError", "PermissionError", "TimeoutError", "ConnectionError"} {
		mk(n, exc)
	}
	ar := builtinClasses["ArithmeticError"]
	mk("ZeroDivisionError", ar)
	mk("OverflowError", ar)
	lk := builtinClasses["LookupError"]
	mk("KeyError", lk)
	mk("IndexError", lk)
	builtinClasses["NotImplementedError"].Bases = []*Class{builtinClasses["RuntimeError"]}
	builtinClasses["NotImplementedError"].mro = computeMRO(builtinClasses["NotImplementedError"])
	mk("RecursionError", builtinClasses["RuntimeError"])
	mk("UnicodeDecodeError", builtinClasses["ValueError"])
	mk("JSONDecodeError", builtinClasses["ValueError"])
	mk("FileNotFoundError", builtinClasses["OSError"])
	builtinClasses["PermissionError"].Bases = []*Class{builtinClasses["OSError"]}
	builtinClasses["PermissionError"].mro = computeMRO(builtinClasses["PermissionError"])
	mk("StopAsyncIteration", exc)
	mk("UnboundLocalError", builtinClasses["NameError"])
	for name, cls := range builtinClasses {
		builtins[name] = cls
	}
}

func newExc(cls *Class, args ...Value) *Instance {
	return &Instance{Class: cls, Attrs: map[string]Value{"args": Tuple(args)}}
}

// excf makes a built-in exception ready to panic with.
func excf(typ, format string, a ...any) *Exc {
	msg := format
	if len(a) > 0 {
		msg = fmt.Sprintf(format, a...)
	}
	return &Exc{Val: newExc(builtinClasses[typ], msg)}
}

func throw(typ, format string, a ...any) { panic(excf(typ, format, a...)) }

func (e *Exc) toError() *Error {
	return &Error{Type: e.Val.Class.Name, Msg: excMessage(e.Val), File: e.File, Pos: e.Pos, Value: e.Val}
}

// asExc turns a recovered panic into a Jac exception when it is one, or
// when it is a Go type assertion failing on a value of the wrong type
// (a built-in called with an argument of the wrong type).
func asExc(r any) (*Exc, bool) {
	switch x := r.(type) {
	case *Exc:
		return x, true
	case *runtime.TypeAssertionError:
		return excf("TypeError", "%s", goTypeMessage(x.Error())), true
	}
	return nil, false
}

var goTypeNames = strings.NewReplacer("interp.Value", "value", "int64", "int", "float64", "float",
	"string", "str", "*interp.List", "list", "*interp.Dict", "dict", "interp.Tuple", "tuple",
	"*interp.Set", "set", "*interp.Instance", "object", "*interp.Func", "function", "<nil>", "None")

// goTypeMessage rewrites "interface conversion: interp.Value is int64, not
// string" as "expected str, got int".
func goTypeMessage(m string) string {
	m = strings.TrimPrefix(m, "interface conversion: ")
	var got, want string
	if _, err := fmt.Sscanf(strings.ReplaceAll(m, ",", " "), "interp.Value is %s not %s", &got, &want); err == nil {
		return "expected " + goTypeNames.Replace(want) + ", got " + goTypeNames.Replace(got)
	}
	return "bad argument type"
}
