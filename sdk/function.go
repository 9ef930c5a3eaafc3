package sdk

import "github.com/walkerhost/walkerhost/abi"

// FunctionDef is a declared function: a call with arguments and a return
// value, served at /function/NAME. It does not walk.
type FunctionDef[A Fielder] struct {
	Endpoint[*FunctionDef[A]]
	new    func() A
	fn     func(A) (any, error)
	fields Fields // the bindings of the request's arguments, reused
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

// serve binds the record's fields to new arguments, calls the function and
// outputs its result, as WalkerDef.serve does.
func (d *FunctionDef[A]) serve(r *record) (status abi.Status) {
	phase := phaseBind
	defer func() {
		if phase != phaseOutput {
			if p := recover(); p != nil {
				status = recoveredStatus(d.ep.name, phase, p)
			}
		}
	}()
	a := d.new()
	d.fields.rebind(a)
	if err := d.fields.setFromRecord(r); err != nil {
		return badRequest(d.ep.name + ": " + err.Error())
	}
	phase = phaseRun
	out, err := d.fn(a)
	phase = phaseOutput
	return finish(out, err)
}
