package sandbox

import (
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/graph"
)

// nodeCreate is node_create (abi/ABI.md "Graph").
func nodeCreate(s *session, stack []uint64) {
	fields, err := s.fields(abi.FuncNodeCreate, u32(stack[1]), u32(stack[2]))
	if err != nil {
		stack[0] = s.fail(abi.ErrBadArgument, err)
		return
	}
	typ, ok := typeName(s.inst.m.nodeTypes, s32(stack[0]), "")
	if !ok || typ == RootType || typ == "" {
		stack[0] = s.fail(abi.ErrUnknownType, errUnknownType(s32(stack[0]), "node"))
		return
	}
	if fields == nil {
		fields = map[string]any{}
	}
	if err := s.checkWrite(graph.KindNode, typ, fields, true); err != nil {
		stack[0] = s.fail(abi.ErrBadArgument, err)
		return
	}
	obj, err := s.tx.CreateNode(typ, fields)
	if err != nil {
		stack[0] = s.Fail(err)
		return
	}
	stack[0] = uint64(s.issue(obj.ID))
}

// objGet is obj_get (abi/ABI.md "Graph").
func objGet(s *session, stack []uint64) {
	id, err := graph.ParseID(string(s.read(abi.FuncObjGet, u32(stack[0]), u32(stack[1]))))
	if err != nil {
		stack[0] = s.fail(abi.ErrNotFound, err)
		return
	}
	if _, err := s.tx.Get(id); err != nil {
		stack[0] = s.Fail(err)
		return
	}
	stack[0] = uint64(s.issue(id))
}

// objRead is obj_read (abi/ABI.md "Graph", "Object record").
func objRead(s *session, stack []uint64) {
	obj, errno := s.object(u32(stack[0]))
	if obj == nil {
		stack[0] = errno
		return
	}
	b := s.appendObject(s.scratch[:0], obj)
	s.scratch = b
	stack[0] = s.give(abi.FuncObjRead, u32(stack[1]), u32(stack[2]), b)
}

// objUpdate is obj_update (abi/ABI.md "Graph").
func objUpdate(s *session, stack []uint64) {
	a := argsOf(s, stack)
	id := a.handle(0)
	if !a.ok() {
		return
	}
	fields, err := a.s.fields(abi.FuncObjUpdate, u32(stack[1]), u32(stack[2]))
	if err != nil {
		stack[0] = a.s.fail(abi.ErrBadArgument, err)
		return
	}
	a.done(a.s.tx.UpdateChecked(id, fields, func(o *graph.Object, f map[string]any) error {
		return a.s.checkWrite(o.Kind, o.Type, f, false)
	}))
}

// objDelete is obj_delete (abi/ABI.md "Graph").
func objDelete(s *session, stack []uint64) {
	a := argsOf(s, stack)
	if id := a.handle(0); a.ok() {
		a.done(a.s.tx.Delete(id))
	}
}

// edgeConnect is edge_connect (abi/ABI.md "Graph").
func edgeConnect(s *session, stack []uint64) {
	src, dst, errno := s.pair(stack[0], stack[1])
	if errno != 0 {
		stack[0] = errno
		return
	}
	typ, ok := typeName(s.inst.m.edgeTypes, s32(stack[2]), "")
	if !ok || s32(stack[2]) == abi.TypeAny {
		stack[0] = s.fail(abi.ErrUnknownType, errUnknownType(s32(stack[2]), "edge"))
		return
	}
	fields, err := s.fields(abi.FuncEdgeConnect, u32(stack[3]), u32(stack[4]))
	if err != nil {
		stack[0] = s.fail(abi.ErrBadArgument, err)
		return
	}
	if fields == nil {
		fields = map[string]any{}
	}
	if err := s.checkWrite(graph.KindEdge, typ, fields, true); err != nil {
		stack[0] = s.fail(abi.ErrBadArgument, err)
		return
	}
	edge, err := s.tx.Connect(src, dst, typ, fields)
	if err != nil {
		stack[0] = s.Fail(err)
		return
	}
	stack[0] = uint64(s.issue(edge.ID))
}

// edgeDisconnect is edge_disconnect (abi/ABI.md "Graph").
func edgeDisconnect(s *session, stack []uint64) {
	src, dst, errno := s.pair(stack[0], stack[1])
	if errno != 0 {
		stack[0] = errno
		return
	}
	typ, ok := typeName(s.inst.m.edgeTypes, s32(stack[2]), graph.AnyType)
	if !ok {
		stack[0] = s.fail(abi.ErrUnknownType, errUnknownType(s32(stack[2]), "edge"))
		return
	}
	n, err := s.tx.Disconnect(src, dst, typ)
	if err != nil {
		stack[0] = s.Fail(err)
		return
	}
	stack[0] = uint64(n)
}

// edgeQuery is edge_query (abi/ABI.md "Graph", "Query record").
func edgeQuery(s *session, stack []uint64) {
	id, errno := s.handle(stack[0])
	if errno != 0 {
		stack[0] = errno
		return
	}
	dir, ok := directions[s32(stack[1])]
	etype, eok := typeName(s.inst.m.edgeTypes, s32(stack[2]), graph.AnyType)
	ntype, nok := typeName(s.inst.m.nodeTypes, s32(stack[3]), graph.AnyType)
	if !ok || !eok || !nok {
		stack[0] = s.fail(abi.ErrBadArgument, errQuery)
		return
	}
	hits, err := s.tx.Edges(id, dir, etype, ntype)
	if err != nil {
		stack[0] = s.Fail(err)
		return
	}
	s.scratch = s.appendHits(s.scratch[:0], hits, s32(stack[4]))
	stack[0] = s.give(abi.FuncEdgeQuery, u32(stack[5]), u32(stack[6]), s.scratch)
}

var directions = map[int32]graph.Dir{abi.DirOut: graph.Out, abi.DirIn: graph.In, abi.DirBoth: graph.Both}
