package sdk

import "github.com/walkerhost/walkerhost/abi"

// FunctionDef is a declared function: a call with arguments and a return
// value, served at /function/NAME. It does not walk.
type FunctionDef[A Fielder] struct {
	Endpoint[*FunctionDef[A]]
	new func() A
	fn  func(A) (any, error)
}

// Function declares a function named name: newArgs makes a zero argument
// value, whose Fields method declares the arguments; fn's return value is
// the response's result. It is protected, POST and returns TypeAny until
// told otherwise.
func Function[A Fielder](name string, newArgs func() A, fn func(args A) (any, error)) *FunctionDef[A] {
	d := &FunctionDef[A]{new: newArgs, fn: fn}
	d.init(d, name)
	d.ep.returns = TypeAny
	reg.add(abi.KindFunction, d)
	return d
}

// Returns declares the type of the function's result for the manifest.
func (d *FunctionDef[A]) Returns(t Type) *FunctionDef[A] {
	d.ep.returns = t
	return d
}

func (d *FunctionDef[A]) declFields() []field { return bindFields(d.new(), false).decls() }

func (d *FunctionDef[A]) start(fields map[string]any, _ Node) (func() (any, error), error) {
	a := d.new()
	if err := bindFields(a, true).setFrom(fields); err != nil {
		return nil, err
	}
	return func() (any, error) { return d.fn(a) }, nil
}
