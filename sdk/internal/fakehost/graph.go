package fakehost

import (
	"slices"

	"github.com/walkerhost/walkerhost/abi"
)

// object resolves a handle to a live object, or returns the errno.
func (h *Host) object(n uint32) (*Object, int32) {
	o := h.Resolve(n)
	if o == nil {
		return nil, h.fail(abi.ErrBadHandle, "handle was not issued to this request")
	}
	if h.objs[o.ID] != o {
		return nil, h.fail(abi.ErrNotFound, "object "+o.ID+" was deleted")
	}
	return o, 0
}

// fieldMap decodes a fields argument: a map value without refs.
func (h *Host) fieldMap(b []byte) (map[string]any, int32) {
	v, err := abi.DecodeValue(b)
	m, ok := v.(map[string]any)
	if err != nil || !ok || abi.HasRef(m) {
		return nil, h.fail(abi.ErrBadArgument, "fields must be a map value without node or edge refs")
	}
	return m, 0
}

// NodeCreate is node_create.
func (h *Host) NodeCreate(typ uint32, fields []byte) int32 {
	if typ == 0 || typ > uint32(h.NodeTypes) {
		return h.fail(abi.ErrUnknownType, "node type is not declared")
	}
	m, e := h.fieldMap(fields)
	if e < 0 {
		return e
	}
	o := &Object{ID: h.newID(), Kind: abi.ObjNode, Type: typ, Fields: m}
	h.objs[o.ID] = o
	return int32(h.issue(o))
}

// ObjGet is obj_get.
func (h *Host) ObjGet(id string) int32 {
	if h.objs[id] == nil {
		return h.fail(abi.ErrNotFound, "no object with id "+id)
	}
	return int32(h.Issue(id))
}

// ObjRead is obj_read.
func (h *Host) ObjRead(n uint32, buf []byte) int32 {
	o, e := h.object(n)
	if e < 0 {
		return e
	}
	b := abi.AppendU32(append(h.out[:0], o.Kind), o.Type)
	b = abi.AppendStr(b, o.ID)
	if o.Kind == abi.ObjEdge {
		b = abi.AppendU32(abi.AppendU32(b, h.Issue(o.Src)), h.Issue(o.Dst))
	}
	h.out = append(b, h.encoded(o)...)
	return h.result(h.out, buf)
}

// ObjUpdate is obj_update: the map is merged, a null removes a field.
func (h *Host) ObjUpdate(n uint32, fields []byte) int32 {
	o, e := h.object(n)
	if e < 0 {
		return e
	}
	m, e := h.fieldMap(fields)
	if e < 0 {
		return e
	}
	for k, v := range m {
		if v == nil {
			delete(o.Fields, k)
		} else {
			o.Fields[k] = v
		}
	}
	o.enc = nil
	return 0
}

// ObjDelete is obj_delete; a node takes its edges with it.
func (h *Host) ObjDelete(n uint32) int32 {
	o, e := h.object(n)
	if e < 0 {
		return e
	}
	if o.Kind == abi.ObjNode && o.Type == abi.TypeRoot {
		return h.fail(abi.ErrDenied, "a root node cannot be deleted")
	}
	h.remove(o)
	h.edges = slices.DeleteFunc(h.edges, func(x *Object) bool {
		gone := x == o || x.Src == o.ID || x.Dst == o.ID
		if gone && x != o {
			h.remove(x)
		}
		return gone
	})
	return 0
}

// EdgeConnect is edge_connect.
func (h *Host) EdgeConnect(src, dst, typ uint32, fields []byte) int32 {
	s, e := h.node(src)
	if e < 0 {
		return e
	}
	d, e := h.node(dst)
	if e < 0 {
		return e
	}
	if typ > uint32(h.EdgeTypes) {
		return h.fail(abi.ErrUnknownType, "edge type is not declared")
	}
	m, e := h.fieldMap(fields)
	if e < 0 {
		return e
	}
	o := &Object{ID: h.newID(), Kind: abi.ObjEdge, Type: typ, Fields: m, Src: s.ID, Dst: d.ID}
	h.objs[o.ID] = o
	h.edges = append(h.edges, o)
	return int32(h.issue(o))
}

// EdgeDisconnect is edge_disconnect.
func (h *Host) EdgeDisconnect(src, dst uint32, typ int32) int32 {
	s, e := h.node(src)
	if e < 0 {
		return e
	}
	d, e := h.node(dst)
	if e < 0 {
		return e
	}
	count := int32(0)
	h.edges = slices.DeleteFunc(h.edges, func(x *Object) bool {
		gone := x.Src == s.ID && x.Dst == d.ID && (typ == abi.TypeAny || x.Type == uint32(typ))
		if gone {
			h.remove(x)
			count++
		}
		return gone
	})
	return count
}

// node resolves a handle that must name a node.
func (h *Host) node(n uint32) (*Object, int32) {
	o, e := h.object(n)
	if e == 0 && o.Kind != abi.ObjNode {
		return nil, h.fail(abi.ErrBadArgument, "handle names an edge, not a node")
	}
	return o, e
}
