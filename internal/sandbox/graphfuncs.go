package sandbox

import (
	"context"

	"github.com/tetratelabs/wazero/api"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/graph"
)

func nodeCreate(ctx context.Context, _ api.Module, stack []uint64) {
	s := enter(ctx)
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
		stack[0] = s.failGraph(err)
		return
	}
	stack[0] = uint64(s.issue(obj.ID))
}

func objGet(ctx context.Context, _ api.Module, stack []uint64) {
	s := enter(ctx)
	id, err := graph.ParseID(string(s.read(abi.FuncObjGet, u32(stack[0]), u32(stack[1]))))
	if err != nil {
		stack[0] = s.fail(abi.ErrNotFound, err)
		return
	}
	if _, err := s.tx.Get(id); err != nil {
		stack[0] = s.failGraph(err)
		return
	}
	stack[0] = uint64(s.issue(id))
}

func objRead(ctx context.Context, _ api.Module, stack []uint64) {
	s := enter(ctx)
	obj, errno := s.object(u32(stack[0]))
	if obj == nil {
		stack[0] = errno
		return
	}
	b := s.appendObject(s.scratch[:0], obj)
	s.scratch = b
	stack[0] = s.give(abi.FuncObjRead, u32(stack[1]), u32(stack[2]), b)
}

func objUpdate(ctx context.Context, _ api.Module, stack []uint64) {
	a := argsOf(ctx, stack)
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

func objDelete(ctx context.Context, _ api.Module, stack []uint64) {
	a := argsOf(ctx, stack)
	if id := a.handle(0); a.ok() {
		a.done(a.s.tx.Delete(id))
	}
}

func edgeConnect(ctx context.Context, _ api.Module, stack []uint64) {
	s := enter(ctx)
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
		stack[0] = s.failGraph(err)
		return
	}
	stack[0] = uint64(s.issue(edge.ID))
}

func edgeDisconnect(ctx context.Context, _ api.Module, stack []uint64) {
	s := enter(ctx)
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
		stack[0] = s.failGraph(err)
		return
	}
	stack[0] = uint64(n)
}

func edgeQuery(ctx context.Context, _ api.Module, stack []uint64) {
	s := enter(ctx)
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
		stack[0] = s.failGraph(err)
		return
	}
	s.scratch = s.appendHits(s.scratch[:0], hits, s32(stack[4]))
	stack[0] = s.give(abi.FuncEdgeQuery, u32(stack[5]), u32(stack[6]), s.scratch)
}

var directions = map[int32]graph.Dir{abi.DirOut: graph.Out, abi.DirIn: graph.In, abi.DirBoth: graph.Both}
