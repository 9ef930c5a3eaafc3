package sdk

import (
	"errors"

	"github.com/walkerhost/walkerhost/abi"
)

// WalkerDef is a declared walker: its fields come from W's Fields method,
// its behaviour from the abilities added with OnRoot and OnEntry.
type WalkerDef[W Fielder] struct {
	Endpoint[*WalkerDef[W]]
	new       func() W
	abilities []ability[W]
}

// Ability is code a walker runs on entry to a node: w is the walker, v its
// walk. Returning an error fails the request with the error's message.
type Ability[W any] func(w W, v *Visit) error

type ability[W any] struct {
	on string // node type name
	fn Ability[W]
}

// Walker declares a walker named name; newW makes a zero walker value. It
// is protected and served with POST until told otherwise.
func Walker[W Fielder](name string, newW func() W) *WalkerDef[W] {
	d := &WalkerDef[W]{new: newW}
	d.init(d, name)
	reg.add(abi.KindWalker, d)
	return d
}

// OnRoot adds an ability run on entry to a root node.
func (d *WalkerDef[W]) OnRoot(fn Ability[W]) *WalkerDef[W] {
	return d.OnEntry(RootType.name, fn)
}

// OnEntry adds an ability run on entry to a node of the named type.
// Abilities for the same type run in the order they were added.
func (d *WalkerDef[W]) OnEntry(nodeType string, fn Ability[W]) *WalkerDef[W] {
	d.abilities = append(d.abilities, ability[W]{nodeType, fn})
	return d
}

// New returns a walker value with its defaults applied, to set fields on
// and Spawn.
func (d *WalkerDef[W]) New() W {
	w := d.new()
	bindFields(w, true)
	return w
}

func (d *WalkerDef[W]) declFields() []field { return bindFields(d.new(), false).decls() }

// start binds a request's fields to a new walker value; the call it returns
// walks from here and yields the walker's fields as the result.
func (d *WalkerDef[W]) start(fields map[string]any, here Node) (func() (any, error), error) {
	w := d.new()
	f := bindFields(w, true)
	if err := f.setFrom(fields); err != nil {
		return nil, err
	}
	return func() (any, error) { return f, d.walk(w, here) }, nil
}

// spawnValue runs x if it is one of this walker's values.
func (d *WalkerDef[W]) spawnValue(x any, at Node) (bool, error) {
	w, ok := x.(W)
	if !ok {
		return false, nil
	}
	return true, protect(func() error { return d.walk(w, at) })
}

// spawnNew runs a new walker value with its defaults.
func (d *WalkerDef[W]) spawnNew(at Node) error {
	w := d.new()
	if err := bindFields(w, true).checkRequired(); err != nil {
		return errors.New("spawn " + d.ep.name + ": " + err.Error())
	}
	return protect(func() error { return d.walk(w, at) })
}

// abilityTypes lists the node type names abilities run on, for the
// manifest's checks.
func (d *WalkerDef[W]) abilityTypes() []string {
	names := make([]string, len(d.abilities))
	for i, a := range d.abilities {
		names[i] = a.on
	}
	return names
}
