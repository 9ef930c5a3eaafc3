package sdk

import "errors"

// Visit is one walk of a walker: where it is and the queue of nodes it will
// visit next. Abilities receive it; it is valid during the walk only.
type Visit struct {
	here  Node
	queue []Node
	next  int
	skip  bool
	stop  bool
}

// errSkip and errDisengage are what Skip and Disengage return, so that an
// ability can end with `return v.Skip()`. They never fail a walk.
var (
	errSkip      = errors.New("skip")
	errDisengage = errors.New("disengage")
)

// Here returns the node the walker is on.
func (v *Visit) Here() Node { return v.here }

// Root returns the caller's root node.
func (v *Visit) Root() Node { return Root() }

// Visit appends nodes to the walker's queue; the walker moves to them, in
// order, after the current node's abilities finish.
func (v *Visit) Visit(nodes ...Node) { v.queue = append(v.queue, nodes...) }

// Skip leaves the current node: the walker's remaining abilities for it do
// not run. Use it as `return v.Skip()`.
func (v *Visit) Skip() error {
	v.skip = true
	return errSkip
}

// Disengage ends the walk once the current ability returns. Use it as
// `return v.Disengage()`.
func (v *Visit) Disengage() error {
	v.stop = true
	return errDisengage
}

// Report appends a value to the response's reports. Nodes and edges are
// reported as references the host expands with their fields.
func (v *Visit) Report(value any) error { return Report(value) }

// walk runs w from at until its queue is empty or it disengages.
func (d *WalkerDef[W]) walk(w W, at Node) error {
	v := &Visit{queue: []Node{at}}
	for v.next < len(v.queue) && !v.stop {
		v.here, v.skip = v.queue[v.next], false
		v.next++
		if err := d.enter(w, v); err != nil {
			return err
		}
	}
	return nil
}

// enter runs the abilities for the type of the current node.
func (d *WalkerDef[W]) enter(w W, v *Visit) error {
	name := v.here.typeName()
	for _, a := range d.abilities {
		if a.on != name {
			continue
		}
		err := a.fn(w, v)
		if err != nil && !errors.Is(err, errSkip) && !errors.Is(err, errDisengage) {
			return err
		}
		if v.skip || v.stop {
			return nil
		}
	}
	return nil
}

// typeName returns the name of n's type, or "" when it is unknown here.
func (n Node) typeName() string {
	if k := n.Type(); k != nil {
		return k.name
	}
	return ""
}
