package sdktest

import "github.com/walkerhost/walkerhost/abi"

// AddNode stores a node of the named declared type owned by the caller and
// returns its id, to set up a graph before a call. It panics on an
// undeclared type.
func (h *Host) AddNode(nodeType string, fields map[string]any) string {
	h.fake.Begin()
	n := h.fake.NodeCreate(h.typeID(h.manifest.Nodes, nodeType), encodeFields(fields))
	return h.fake.Resolve(uint32(n)).ID
}

// AddEdge stores an edge of the named type ("" for the generic edge) from
// src to dst and returns its id. It panics on an undeclared type or a
// missing node.
func (h *Host) AddEdge(src, dst, edgeType string, fields map[string]any) string {
	h.fake.Begin()
	typ := uint32(0)
	if edgeType != "" {
		typ = h.typeID(h.manifest.Edges, edgeType)
	}
	n := h.fake.EdgeConnect(h.fake.Issue(src), h.fake.Issue(dst), typ, encodeFields(fields))
	if n < 0 {
		panic("sdktest: AddEdge " + src + " -> " + dst + ": " + abi.Errno(n).String())
	}
	return h.fake.Resolve(uint32(n)).ID
}

func (h *Host) typeID(decls []abi.TypeDecl, name string) uint32 {
	for i, d := range decls {
		if d.Name == name {
			return uint32(i + 1)
		}
	}
	panic("sdktest: type " + name + " is not declared")
}

func encodeFields(fields map[string]any) []byte {
	b, err := abi.AppendMap(nil, fields)
	if err != nil {
		panic("sdktest: fields: " + err.Error())
	}
	return b
}
