package sdktest

import "github.com/walkerhost/walkerhost/abi"

// decode decodes a value the guest passed to report or output, expanding
// node and edge refs into maps as the host does: {"_jac_type": type name,
// "_jac_id": id, "_jac_archetype": "node" or "edge", ...fields}.
func (h *Host) decode(b []byte) any {
	if b == nil {
		return nil
	}
	v, err := abi.DecodeValue(b)
	if err != nil {
		return nil
	}
	return h.expand(v)
}

func (h *Host) expand(v any) any {
	switch x := v.(type) {
	case abi.Ref:
		return h.expandRef(x)
	case []any:
		for i, e := range x {
			x[i] = h.expand(e)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = h.expand(e)
		}
	}
	return v
}

func (h *Host) expandRef(r abi.Ref) map[string]any {
	o := h.fake.Resolve(r.Handle)
	if o == nil {
		return map[string]any{"_jac_id": nil}
	}
	m := copyMap(o.Fields)
	m["_jac_id"] = o.ID
	m["_jac_type"] = h.typeName(o.Kind, o.Type)
	m["_jac_archetype"] = "node"
	if o.Kind == abi.ObjEdge {
		m["_jac_archetype"] = "edge"
	}
	return m
}

func (h *Host) typeName(kind byte, typ uint32) string {
	decls, builtin := h.manifest.Nodes, "Root"
	if kind == abi.ObjEdge {
		decls, builtin = h.manifest.Edges, "GenericEdge"
	}
	if typ == 0 {
		return builtin
	}
	if int(typ) <= len(decls) {
		return decls[typ-1].Name
	}
	return ""
}
