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

	fields Fields      // the bindings of the request's walker value, reused
	kinds  []*NodeKind // the node type each ability runs on (see nodeKinds)
	nodes  int         // len(reg.nodes) when kinds was resolved
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

// serve binds the record's fields to a new walker value, walks from the
// record's node and outputs the walker's fields. One deferred recover
// covers binding and walking.
func (d *WalkerDef[W]) serve(r *record) (status abi.Status) {
	phase := phaseBind
	defer func() {
		if phase != phaseOutput {
			if p := recover(); p != nil {
				status = recoveredStatus(d.ep.name, phase, p)
			}
		}
	}()
	w := d.new()
	d.fields.rebind(w)
	if err := d.fields.setFromRecord(r); err != nil {
		return badRequest(d.ep.name + ": " + err.Error())
	}
	phase = phaseRun
	err := d.walk(w, Node{ref{r.here}})
	phase = phaseOutput
	if err != nil {
		return failed(err)
	}
	return outputFields(&d.fields)
}

// The phases of serving a request, for a panic.
const (
	phaseBind   = iota // a panic is StatusBadRequest, as a failure to bind
	phaseRun           // a panic is StatusPanicked
	phaseOutput        // a panic is not walker code's and is not recovered
)

// recoveredStatus passes a recovered panic p to output and returns the
// request's status.
func recoveredStatus(name string, phase int, p any) abi.Status {
	err := recovered(p)
	if phase == phaseBind {
		return badRequest(name + ": " + err.Error())
	}
	visits.depth = 0
	return failed(err)
}

// safeWalk is walk with a panic in walker code returned as an error, for
// Spawn.
func (d *WalkerDef[W]) safeWalk(w W, at Node) (err error) {
	depth := visits.depth
	defer func() {
		if p := recover(); p != nil {
			visits.depth = depth
			err = recovered(p)
		}
	}()
	return d.walk(w, at)
}

// spawnValue runs x if it is one of this walker's values.
func (d *WalkerDef[W]) spawnValue(x any, at Node) (bool, error) {
	w, ok := x.(W)
	if !ok {
		return false, nil
	}
	return true, d.safeWalk(w, at)
}

// spawnNew runs a new walker value with its defaults.
func (d *WalkerDef[W]) spawnNew(at Node) error {
	w := d.new()
	if err := bindFields(w, true).checkRequired(); err != nil {
		return errors.New("spawn " + d.ep.name + ": " + err.Error())
	}
	return d.safeWalk(w, at)
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

// nodeKinds returns the node type of each ability, so that entering a node
// compares pointers instead of names. It resolves the names again when
// abilities or node types were declared since.
func (d *WalkerDef[W]) nodeKinds() []*NodeKind {
	if len(d.kinds) != len(d.abilities) || d.nodes != len(reg.nodes) {
		kinds := make([]*NodeKind, len(d.abilities))
		for i, a := range d.abilities {
			kinds[i] = kindNamed(a.on)
		}
		d.kinds, d.nodes = kinds, len(reg.nodes)
	}
	return d.kinds
}

// noKind stands, in ability matching, for a node whose type is unknown:
// an ability on "" runs there, as the node's type name is "".
var noKind = new(NodeKind)

// kindNamed returns the node type an ability on name runs on: noKind for
// "", nil (matching no node) for a name no type has.
func kindNamed(name string) *NodeKind {
	if name == "" {
		return noKind
	}
	if name == RootType.name {
		return RootType
	}
	for _, k := range reg.nodes {
		if k.name == name {
			return k
		}
	}
	return nil
}
