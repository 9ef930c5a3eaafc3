package sdk

import (
	"errors"

	"github.com/walkerhost/walkerhost/abi"
)

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

// visits keeps the Visits of the walks in progress (a spawned walk runs
// inside another), reused with their queues from request to request: a
// Visit is valid during its walk only.
var visits visitStack

type visitStack struct {
	all   []*Visit
	depth int // walks in progress; all[:depth] are theirs
}

// maxQueueKeep bounds the queue capacity a reused Visit keeps.
const maxQueueKeep = 1 << 14

// push returns a Visit on node at with an empty queue.
func (s *visitStack) push(at Node) *Visit {
	if s.depth == len(s.all) {
		s.grow()
	}
	v := s.all[s.depth]
	s.depth++
	v.here, v.next, v.skip, v.stop = at, 0, false, false
	v.queue = v.queue[:0]
	return v
}

func (s *visitStack) grow() { s.all = append(s.all, new(Visit)) }

// pop ends the walk of the Visit push returned last.
func (s *visitStack) pop(v *Visit) {
	s.depth--
	if cap(v.queue) > maxQueueKeep {
		v.queue = nil
	}
}

// walk runs w from at until its queue is empty or it disengages: at each
// node, the abilities for the node's type, in order. The node the walk
// starts on is not queued: the queue holds the nodes still to visit.
func (d *WalkerDef[W]) walk(w W, at Node) error {
	v := visits.push(at)
	var err error
	for {
		kinds := d.kinds
		if len(kinds) != len(d.abilities) || d.nodes != len(reg.nodes) {
			kinds = d.nodeKinds()
		}
		var k *NodeKind // v.here.kind(), with its fast path inlined
		if o := cur.dense(v.here.h); o != nil && o.typed && o.typ <= uint32(len(reg.nodes)) {
			k = RootType
			if o.typ != abi.TypeRoot {
				k = reg.nodes[o.typ-1]
			}
		} else {
			k = v.here.kind()
		}
		for i, a := range d.abilities {
			if i >= len(kinds) || kinds[i] != k {
				continue
			}
			if err = a.fn(w, v); err != nil {
				if !ends(err) {
					break
				}
				err = nil
			}
			if v.skip || v.stop {
				break
			}
		}
		if err != nil || v.stop || v.next >= len(v.queue) {
			break
		}
		v.here, v.skip = v.queue[v.next], false
		v.next++
	}
	visits.pop(v)
	return err
}

// kind returns the node's type for ability matching: noKind when the node
// has no type this module declares or cannot be read.
func (n Node) kind() *NodeKind {
	if o := cur.dense(n.h); o != nil && o.typed {
		if o.typ == abi.TypeRoot {
			return RootType
		}
		if o.typ <= uint32(len(reg.nodes)) {
			return reg.nodes[o.typ-1]
		}
		return noKind
	}
	if k := n.Type(); k != nil {
		return k
	}
	return noKind
}

// ends reports whether an ability's error is Skip's or Disengage's, which
// end a node or the walk without failing it.
func ends(err error) bool {
	return err == errSkip || err == errDisengage || errors.Is(err, errSkip) || errors.Is(err, errDisengage)
}
