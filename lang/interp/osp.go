package interp

import (
	"errors"

	"github.com/walkerhost/walkerhost/lang/ast"
)

var (
	rootClass        = &Class{Name: "Root", Kind: ast.KindNode, Methods: map[string]*Func{}, Statics: map[string]Value{}}
	genericEdgeClass = &Class{Name: GenericEdge, Kind: ast.KindEdge, Methods: map[string]*Func{}, Statics: map[string]Value{}}
)

func init() {
	rootClass.mro = []*Class{rootClass}
	genericEdgeClass.mro = []*Class{genericEdgeClass}
}

// nodeState ties a node or edge instance to the host's object.
type nodeState struct {
	id       NodeID // nodes
	eid      EdgeID // edges
	edge     bool
	src, dst *Instance // edges
	snap     []Value   // declared fields as last read or written (snapshot)
	deleted  bool
}

type walkerState struct {
	reports *List
}

// walkScope is one active spawn.
type walkScope struct {
	walker     *Instance
	here       *Instance
	queue      []*Instance
	first      [1]*Instance // room for the usual single start
	path       []*Instance
	reports    []Value
	disengaged bool
}

func (c *call) curWalk() *walkScope {
	if len(c.walks) == 0 {
		return nil
	}
	return c.walks[len(c.walks)-1]
}

// hostErr raises a Host error as a Jac exception.
func hostErr(err error) {
	if err == nil {
		return
	}
	var je *Error
	if errors.As(err, &je) {
		cls := builtinClasses[je.Type]
		if cls == nil {
			cls = builtinClasses["RuntimeError"]
		}
		panic(&Exc{Val: newExc(cls, je.Msg)})
	}
	panic(&Exc{Val: newExc(builtinClasses["RuntimeError"], err.Error())})
}

// rootNode is the caller's root. Its fields are not read from the host:
// a root declares none, and flush never writes one back.
func (c *call) rootNode() *Instance {
	id := c.host.Root()
	if n, ok := c.nodes[id]; ok {
		return n
	}
	n := newNodeInst(rootClass, map[string]Value{}, nodeState{id: id})
	c.nodes[id] = n
	n.node.snap = c.snapshot(n)
	return n
}

// nodeByID returns the one instance of a node in this call.
func (c *call) nodeByID(id NodeID) *Instance {
	if n, ok := c.nodes[id]; ok {
		return n
	}
	typ, fields, err := c.host.Node(id)
	hostErr(err)
	cls := rootClass
	if typ != RootType {
		cls = c.p.classes[typ]
		if cls == nil || cls.Kind != ast.KindNode {
			cls = &Class{Name: typ, Kind: ast.KindNode, Methods: map[string]*Func{}, Statics: map[string]Value{}}
			cls.mro = []*Class{cls}
		}
	}
	n := newNodeInst(cls, make(map[string]Value, len(fields)), nodeState{id: id})
	c.nodes[id] = n
	c.loadFields(n, fields)
	n.node.snap = c.snapshot(n)
	return n
}

func (c *call) loadFields(n *Instance, fields map[string]any) {
	for k, v := range fields {
		n.Attrs[k] = c.fromPlain(v)
	}
	for _, f := range n.Class.Fields {
		if _, ok := n.Attrs[f.name]; !ok && f.hasDef {
			n.Attrs[f.name] = c.eval(f.def, f.env)
		}
	}
}

func (c *call) edgeFromInfo(info EdgeInfo) *Instance {
	if e, ok := c.edges[info.ID]; ok {
		return e
	}
	cls := genericEdgeClass
	if info.Type != GenericEdge && info.Type != "" {
		cls = c.p.classes[info.Type]
		if cls == nil || cls.Kind != ast.KindEdge {
			cls = &Class{Name: info.Type, Kind: ast.KindEdge, Methods: map[string]*Func{}, Statics: map[string]Value{}}
			cls.mro = []*Class{cls}
		}
	}
	e := &Instance{Class: cls, Attrs: map[string]Value{}, node: &nodeState{edge: true, eid: info.ID}}
	e.node.src, e.node.dst = c.nodeByID(info.Src), c.nodeByID(info.Dst)
	c.edges[info.ID] = e
	c.loadFields(e, info.Fields)
	e.node.snap = c.snapshot(e)
	return e
}

// persist gives a node made in this call its host object.
func (c *call) persist(n *Instance) NodeID {
	if n.node.id != "" || n.node.edge {
		return n.node.id
	}
	if n.node.deleted {
		throw("RuntimeError", "node was deleted")
	}
	fields := c.plainFields(n)
	id, err := c.host.CreateNode(n.Class.Name, fields)
	hostErr(err)
	n.node.id = id
	n.node.snap = c.snapshot(n)
	c.nodes[id] = n
	return id
}

func (c *call) plainFields(n *Instance) map[string]any {
	m := make(map[string]any, len(n.Class.Fields))
	for _, f := range n.Class.Fields {
		m[f.name] = c.toPlainT(n.Attrs[f.name], true)
	}
	return m
}

// snapshot records n's declared fields as they are now, so that flush
// writes back only what changed: scalars as they are (they cannot change
// in place), other values by their canonical text. Comparing scalars
// spares encoding every field of every node a request reads.
func (c *call) snapshot(n *Instance) []Value {
	s := make([]Value, len(n.Class.Fields))
	for i, f := range n.Class.Fields {
		v := n.Attrs[f.name]
		if isScalar(v) {
			s[i] = v
		} else {
			s[i] = encoded(encodePlain(c.toPlainT(v, true)))
		}
	}
	return s
}

// encoded is the canonical text of a field value in a snapshot.
type encoded string

// changed tells whether n's declared fields differ from its snapshot.
func (c *call) changed(n *Instance) bool {
	if len(n.node.snap) != len(n.Class.Fields) {
		return true
	}
	for i, f := range n.Class.Fields {
		v, old := n.Attrs[f.name], n.node.snap[i]
		if isScalar(v) {
			if !sameScalar(old, v) {
				return true
			}
			continue
		}
		if e, ok := old.(encoded); !ok || string(e) != encodePlain(c.toPlainT(v, true)) {
			return true
		}
	}
	return false
}

// isScalar tells whether v is an immutable plain value: None, bool, int,
// float or str.
func isScalar(v Value) bool {
	switch v.(type) {
	case nil, bool, int64, float64, string:
		return true
	}
	return false
}

// sameScalar compares scalars as their stored form does: by type and
// value, a NaN being the same as a NaN.
func sameScalar(a, b Value) bool {
	if x, ok := a.(float64); ok {
		y, ok := b.(float64)
		return ok && (x == y || x != x && y != y)
	}
	return a == b
}

// flush writes back every node and edge whose fields changed.
func (c *call) flush() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = c.toError(r)
		}
	}()
	for id, n := range c.nodes {
		if n.node.deleted || n.Class == rootClass {
			continue
		}
		if c.changed(n) {
			if err := c.host.UpdateNode(id, c.plainFields(n)); err != nil {
				return err
			}
			n.node.snap = c.snapshot(n)
		}
	}
	for id, e := range c.edges {
		if e.node.deleted {
			continue
		}
		if c.changed(e) {
			if err := c.host.UpdateEdge(id, c.plainFields(e)); err != nil {
				return err
			}
			e.node.snap = c.snapshot(e)
		}
	}
	return nil
}

func (c *call) graphAttr(x *Instance, name string) (Value, bool) {
	if x.node.edge {
		switch name {
		case "source", "src":
			return x.node.src, x.node.src != nil
		case "target", "dst", "trg":
			return x.node.dst, x.node.dst != nil
		}
	}
	return nil, false
}

func isNode(v Value) (*Instance, bool) {
	n, ok := v.(*Instance)
	if ok && n.node != nil && !n.node.edge {
		return n, true
	}
	return nil, false
}

// nodesOf takes a node, an edge (its target) or a list of them.
func (c *call) nodesOf(v Value) []*Instance {
	switch x := v.(type) {
	case *Instance:
		if x.node != nil {
			if x.node.edge {
				return []*Instance{x.node.dst}
			}
			return []*Instance{x}
		}
	case *List, Tuple:
		c.enter()
		defer func() { c.nest-- }()
		var out []*Instance
		for _, e := range c.toSlice(x) {
			out = append(out, c.nodesOf(e)...)
		}
		return out
	case nil:
		return nil
	}
	throw("TypeError", "expected a node, not %s", typeName(v))
	return nil
}

func (c *call) edgeTypeName(x ast.Expr, e *env) (string, *Class) {
	if x == nil {
		return "", nil
	}
	v := c.eval(x, e)
	cls, ok := v.(*Class)
	if !ok || cls.Kind != ast.KindEdge {
		throw("TypeError", "expected an edge type, not %s", typeName(v))
	}
	if cls == genericEdgeClass {
		return GenericEdge, cls
	}
	return cls.Name, cls
}

// edgeRef evaluates [-->] and friends.
func (c *call) edgeRef(x *ast.EdgeRef, e *env) Value {
	var origin []*Instance
	if x.Origin == nil {
		origin = c.nodesOf(c.special(ast.Here, e))
	} else {
		origin = c.nodesOf(c.eval(x.Origin, e))
	}
	var edges []Value
	for si, st := range x.Steps {
		typ, _ := c.edgeTypeName(st.EdgeType, e)
		var next []*Instance
		seen := map[*Instance]bool{}
		edges = edges[:0]
		for _, n := range origin {
			if n.node.id == "" {
				continue // never connected: no edges
			}
			infos, err := c.host.Edges(n.node.id, st.Dir, typ)
			hostErr(err)
			for _, info := range infos {
				ed := c.edgeFromInfo(info)
				if len(st.EdgeConds) > 0 && !c.holds(ed, st.EdgeConds, e) {
					continue
				}
				var other *Instance
				if info.Src == n.node.id && st.Dir != ast.In {
					other = ed.node.dst
				} else {
					other = ed.node.src
				}
				if st.Filter != nil && !c.filterOK(other, st.Filter, e) {
					continue
				}
				if si == len(x.Steps)-1 && x.Edges {
					edges = append(edges, ed)
				}
				if !seen[other] {
					seen[other] = true
					next = append(next, other)
				}
			}
		}
		origin = next
	}
	if x.Edges {
		return &List{Items: append([]Value(nil), edges...)}
	}
	out := make([]Value, len(origin))
	for i, n := range origin {
		out[i] = n
	}
	return &List{Items: out}
}

// holds evaluates conditions with the object's fields as bare names.
func (c *call) holds(obj *Instance, conds []ast.Expr, e *env) bool {
	ce := e.child()
	for k, v := range obj.Attrs {
		ce.put(k, v)
	}
	for _, cond := range conds {
		if !truthy(c.eval(cond, ce)) {
			return false
		}
	}
	return true
}

func (c *call) filterOK(v Value, f *ast.Filter, e *env) bool {
	if len(f.Types) > 0 {
		ok := false
		for _, t := range f.Types {
			tv := c.eval(t, e)
			if c.isInstance(v, tv) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if len(f.Conds) > 0 {
		inst, ok := v.(*Instance)
		if !ok {
			return false
		}
		return c.holds(inst, f.Conds, e)
	}
	return true
}

func (c *call) filterExpr(x *ast.FilterExpr, e *env) Value {
	var out []Value
	c.iterate(c.eval(x.X, e), func(v Value) bool {
		if c.filterOK(v, x.Filter, e) {
			out = append(out, v)
		}
		return true
	})
	return &List{Items: out}
}

// connect is `a ++> b`: it returns the targets of the new edges (b for
// ++> and <++>, a for <++), as jaclang does.
func (c *call) connect(x *ast.Connect, e *env) Value {
	left := c.nodesOf(c.eval(x.X, e))
	right := c.nodesOf(c.eval(x.Y, e))
	var proto *Instance
	var cls *Class = genericEdgeClass
	if x.Edge != nil {
		switch v := c.eval(x.Edge, e).(type) {
		case *Class:
			cls = v
		case *Instance:
			proto, cls = v, v.Class
		}
		if cls.Kind != ast.KindEdge {
			throw("TypeError", "expected an edge type, not %s", cls.Name)
		}
	}
	out := make([]Value, 0, len(right))
	seen := map[*Instance]bool{}
	for _, r := range right {
		for _, l := range left {
			src, dst := l, r
			if x.Dir == ast.In {
				src, dst = r, l
			}
			ed := proto
			if ed == nil || ed.node.eid != "" {
				ed = c.instantiate(cls, nil, nil).(*Instance)
				if proto != nil {
					for k, v := range proto.Attrs {
						ed.Attrs[k] = v
					}
				}
			}
			sid, did := c.persist(src), c.persist(dst)
			typ := cls.Name
			id, err := c.host.Connect(sid, did, typ, c.plainFields(ed))
			hostErr(err)
			ed.node.eid, ed.node.src, ed.node.dst = id, src, dst
			ed.node.snap = c.snapshot(ed)
			c.edges[id] = ed
			if x.Dir == ast.Both {
				// an undirected connection is an edge each way
				id2, err := c.host.Connect(did, sid, typ, c.plainFields(ed))
				hostErr(err)
				e2 := &Instance{Class: cls, Attrs: ed.Attrs, node: &nodeState{edge: true, eid: id2, src: dst, dst: src, snap: ed.node.snap}}
				c.edges[id2] = e2
			}
			if !seen[dst] {
				seen[dst] = true
				out = append(out, dst)
			}
		}
	}
	return &List{Items: out}
}

func (c *call) disconnect(x *ast.Disconnect, e *env) Value {
	left := c.nodesOf(c.eval(x.X, e))
	right := c.nodesOf(c.eval(x.Y, e))
	typ, _ := c.edgeTypeName(x.EdgeType, e)
	targets := map[NodeID]bool{}
	for _, r := range right {
		if r.node.id != "" {
			targets[r.node.id] = true
		}
	}
	for _, l := range left {
		if l.node.id == "" {
			continue
		}
		infos, err := c.host.Edges(l.node.id, x.Dir, typ)
		hostErr(err)
		for _, info := range infos {
			other := info.Dst
			if info.Dst == l.node.id && x.Dir != ast.Out {
				other = info.Src
			}
			if targets[other] {
				hostErr(c.host.Disconnect(info.ID))
				if ed, ok := c.edges[info.ID]; ok {
					ed.node.deleted = true
				}
			}
		}
	}
	return nil
}

func (c *call) destroy(n *Instance) {
	if n.node.edge {
		if n.node.eid != "" && !n.node.deleted {
			hostErr(c.host.Disconnect(n.node.eid))
		}
		n.node.deleted = true
		return
	}
	if n.Class == rootClass {
		throw("RuntimeError", "the root node cannot be deleted")
	}
	if n.node.id != "" && !n.node.deleted {
		hostErr(c.host.DeleteNode(n.node.id))
	}
	n.node.deleted = true
}

func (c *call) destroyValue(v Value) {
	switch x := v.(type) {
	case *Instance:
		if x.node != nil {
			c.destroy(x)
			return
		}
	case *List:
		for _, e := range x.Items {
			c.destroyValue(e)
		}
		return
	}
	throw("TypeError", "cannot delete %s", typeName(v))
}

// ---- walkers ----

func (c *call) spawnExpr(x *ast.Spawn, e *env) Value {
	a, b := c.eval(x.X, e), c.eval(x.Y, e)
	w, ok := a.(*Instance)
	target := b
	if !ok || w.walker == nil {
		w, ok = b.(*Instance)
		target = a
		if !ok || w.walker == nil {
			throw("TypeError", "Invalid walker object")
		}
	}
	c.spawn(w, c.nodesOf(target)...)
	return w
}

func (c *call) spawn(w *Instance, starts ...*Instance) {
	s := &walkScope{walker: w}
	s.queue = append(s.first[:0:1], starts...)
	c.walks = append(c.walks, s)
	defer func() { c.walks = c.walks[:len(c.walks)-1] }()
	if len(s.queue) > 0 {
		c.runAbilities(w, w, s.queue[0], ast.Entry, nil, true, s)
	}
	for len(s.queue) > 0 && !s.disengaged {
		n := s.queue[0]
		s.queue = s.queue[1:]
		if !c.visitNode(s, n) {
			break
		}
	}
	if len(s.path) > 0 && !s.disengaged {
		c.runAbilities(w, w, s.path[len(s.path)-1], ast.Exit, nil, true, s)
	}
	if len(c.walks) > 1 {
		outer := c.walks[len(c.walks)-2]
		outer.reports = append(outer.reports, s.reports...)
		return
	}
	w.walker.reports = &List{Items: s.reports}
}

// visitNode runs the abilities at one location, then the locations queued
// meanwhile (depth first over the shared queue), then the exits. It keeps
// its own stack, as jaclang's kernel does, so that a long chain of nodes
// does not deepen the Go stack.
func (c *call) visitNode(s *walkScope, start *Instance) bool {
	type frame struct {
		n     *Instance
		phase int // 0: entries, 1: queued locations, 2: exits
	}
	w := s.walker
	stack := []frame{{start, 0}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.disengaged {
			return false
		}
		n := f.n
		switch f.phase {
		case 0:
			if n.node.deleted {
				continue
			}
			s.path = append(s.path, n)
			if c.runAbilities(w, w, n, ast.Entry, n.Class, false, s) ||
				c.runAbilities(n, w, n, ast.Entry, nil, true, s) ||
				c.runAbilities(n, w, n, ast.Entry, w.Class, false, s) {
				return false
			}
			stack = append(stack, frame{n, 1})
		case 1:
			if len(s.queue) > 0 {
				child := s.queue[0]
				s.queue = s.queue[1:]
				stack = append(stack, frame{n, 1}, frame{child, 0})
			} else {
				stack = append(stack, frame{n, 2})
			}
		case 2:
			if c.runAbilities(n, w, n, ast.Exit, w.Class, false, s) ||
				c.runAbilities(n, w, n, ast.Exit, nil, true, s) ||
				c.runAbilities(w, w, n, ast.Exit, n.Class, false, s) {
				return false
			}
		}
	}
	return !s.disengaged
}

// runAbilities runs owner's abilities for an event: the untyped ones, or
// the typed ones matching match. It reports whether the walk disengaged.
func (c *call) runAbilities(owner, w, here *Instance, ev ast.Event, match *Class, untyped bool, s *walkScope) bool {
	for _, ab := range abilitiesOf(owner.Class) {
		if ab.event != ev || (ab.types == nil) != untyped {
			continue
		}
		if !untyped && !matches(ab.types, match) {
			continue
		}
		s.here = here
		if owner != w {
			s.here = nil // a node's ability has self and visitor, no here (as in jaclang)
		}
		e := &env{parent: c.p.genv, self: owner, file: ab.owner.file}
		pos, file := c.pos, c.file
		c.file = ab.owner.file
		c.execBlock(ab.body, e)
		c.pos, c.file = pos, file
		if s.disengaged {
			return true
		}
	}
	return false
}

func matches(types []*Class, cls *Class) bool {
	if cls == nil {
		return false
	}
	for _, t := range types {
		if cls.isSub(t) {
			return true
		}
	}
	return false
}

// abilitiesOf lists a class's abilities with its bases' first; a
// redefinition by name replaces the inherited one.
func abilitiesOf(cls *Class) []*ability {
	if len(cls.mro) <= 1 {
		return cls.Abilities
	}
	var out []*ability
	idx := map[string]int{}
	for i := len(cls.mro) - 1; i >= 0; i-- {
		for _, ab := range cls.mro[i].Abilities {
			if j, ok := idx[ab.name]; ok && ab.name != "" {
				out[j] = ab
				continue
			}
			idx[ab.name] = len(out)
			out = append(out, ab)
		}
	}
	return out
}

func (c *call) visit(s *ast.Visit, e *env) {
	w := c.curWalk()
	if w == nil {
		throw("RuntimeError", "visit outside a walker")
	}
	nodes := c.nodesOf(c.eval(s.X, e))
	if len(nodes) == 0 {
		if s.Else != nil {
			c.execBlock(s.Else, e)
		}
		return
	}
	w.queue = append(w.queue, nodes...)
}

func (c *call) report(v Value) {
	if w := c.curWalk(); w != nil {
		w.reports = append(w.reports, v)
	}
	if c.printReports {
		c.host.Print(str(v) + "\n")
		return
	}
	if g, ok := v.(*Generator); ok { // report gen(): each value as it is made, for streaming
		c.iterate(g, func(x Value) bool {
			hostErr(c.host.Report(c.toPlainT(x, false)))
			return true
		})
		return
	}
	hostErr(c.host.Report(c.toPlainT(v, false)))
}
