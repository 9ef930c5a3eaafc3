package fakehost

import (
	"encoding/binary"

	"github.com/walkerhost/walkerhost/abi"
)

// EdgeQuery is edge_query: the hits in edge creation order.
func (h *Host) EdgeQuery(n uint32, dir, etype, ntype, flags int32, buf []byte) int32 {
	o, e := h.node(n)
	if e < 0 {
		return e
	}
	if dir < abi.DirOut || dir > abi.DirBoth {
		return h.fail(abi.ErrBadArgument, "dir must be 1, 2 or 3")
	}
	hits := append(h.out[:0], 0, 0, 0, 0) // the count, set below
	count := uint32(0)
	for _, x := range h.edges {
		nb := neighbour(x, o.ID, dir)
		if nb == "" || (etype != abi.TypeAny && x.Type != uint32(etype)) {
			continue
		}
		nbo := h.objs[nb]
		if ntype != abi.TypeAny && nbo.Type != uint32(ntype) {
			continue
		}
		hits = h.appendHit(hits, x, nbo, flags)
		count++
	}
	binary.LittleEndian.PutUint32(hits, count)
	h.out = hits
	return h.result(hits, buf)
}

// neighbour returns the id at the other end of x from id in direction dir,
// or "" when x does not go that way.
func neighbour(x *Object, id string, dir int32) string {
	if dir&abi.DirOut != 0 && x.Src == id {
		return x.Dst
	}
	if dir&abi.DirIn != 0 && x.Dst == id {
		return x.Src
	}
	return ""
}

func (h *Host) appendHit(b []byte, edge, node *Object, flags int32) []byte {
	b = abi.AppendU32(b, h.issue(edge))
	b = abi.AppendU32(b, edge.Type)
	b = abi.AppendU32(b, h.issue(node))
	b = abi.AppendU32(b, node.Type)
	if flags&abi.QueryNodeData != 0 {
		b = append(abi.AppendStr(b, node.ID), h.encoded(node)...)
	}
	if flags&abi.QueryEdgeData != 0 {
		b = append(abi.AppendStr(b, edge.ID), h.encoded(edge)...)
	}
	return b
}
