package sandbox

import (
	"errors"
	"fmt"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/graph"
)

var errQuery = errors.New("sandbox: edge_query: bad direction or type id")

func errBadHandle(h uint32) error {
	return fmt.Errorf("sandbox: handle %d was not issued to this request", h)
}

func errUnknownType(id int32, kind string) error {
	return fmt.Errorf("sandbox: %s type id %d is not declared in the manifest", kind, id)
}

// handle resolves a handle argument, or returns the errno to answer.
func (s *session) handle(v uint64) (graph.ID, uint64) {
	id, ok := s.id(u32(v))
	if !ok {
		return id, s.fail(abi.ErrBadHandle, errBadHandle(u32(v)))
	}
	return id, 0
}

// object resolves a handle to its object, or returns the errno to answer.
func (s *session) object(h uint32) (*graph.Object, uint64) {
	id, errno := s.handle(uint64(h))
	if errno != 0 {
		return nil, errno
	}
	obj, err := s.tx.Get(id)
	if err != nil {
		return nil, s.Fail(err)
	}
	return obj, 0
}

// pair resolves the two node handles of a connect or disconnect.
func (s *session) pair(a, b uint64) (graph.ID, graph.ID, uint64) {
	src, errno := s.handle(a)
	if errno != 0 {
		return src, src, errno
	}
	dst, errno := s.handle(b)
	return src, dst, errno
}

// done answers 0 for success or the errno of a graph error.
func (s *session) done(err error) uint64 {
	if err != nil {
		return s.Fail(err)
	}
	return 0
}

func (s *session) typeID(obj *graph.Object) uint32 {
	if obj.Kind == graph.KindEdge {
		return s.inst.m.edgeTypeID(obj.Type)
	}
	return s.inst.m.nodeTypeID(obj.Type)
}

// appendObject appends an object record (abi/ABI.md "Object record").
func (s *session) appendObject(b []byte, obj *graph.Object) []byte {
	kind := abi.ObjNode
	if obj.Kind == graph.KindEdge {
		kind = abi.ObjEdge
	}
	b = append(b, kind)
	b = abi.AppendU32(b, s.typeID(obj))
	b = abi.AppendStr(b, obj.ID.String())
	if kind == abi.ObjEdge {
		b = abi.AppendU32(b, s.issue(obj.Src))
		b = abi.AppendU32(b, s.issue(obj.Dst))
	}
	b, _ = abi.AppendMap(b, obj.Fields)
	return b
}

// appendHits appends a query record (abi/ABI.md "Query record").
func (s *session) appendHits(b []byte, hits []graph.Hit, flags int32) []byte {
	b = abi.AppendU32(b, uint32(len(hits)))
	for _, h := range hits {
		eh, nh := s.issueHit(h.Edge.ID, h.Node.ID)
		b = abi.AppendU32(b, eh)
		b = abi.AppendU32(b, s.typeID(h.Edge))
		b = abi.AppendU32(b, nh)
		b = abi.AppendU32(b, s.typeID(h.Node))
		if flags&abi.QueryNodeData != 0 {
			b = abi.AppendStr(b, h.Node.ID.String())
			b, _ = abi.AppendMap(b, h.Node.Fields)
		}
		if flags&abi.QueryEdgeData != 0 {
			b = abi.AppendStr(b, h.Edge.ID.String())
			b, _ = abi.AppendMap(b, h.Edge.Fields)
		}
	}
	return b
}
