package sdk

import "github.com/walkerhost/walkerhost/abi"

// object is what the SDK knows of one handle during a request. Edge queries
// and reads fill it, so that reading a field after a query costs no call.
type object struct {
	kind   byte   // abi.ObjNode, abi.ObjEdge, or 0 while unknown
	typ    uint32 // type id, valid when typed
	typed  bool
	data   bool // id and fields are known
	ends   bool // src and dst are known (edges)
	id     string
	fields map[string]any
	src    uint32
	dst    uint32
}

// rd decodes host results; results are decoded before the next host call.
var rd abi.Reader

func (o *object) setNode(typ uint32) {
	o.kind, o.typ, o.typed = abi.ObjNode, typ, true
}

func (o *object) setEdge(typ uint32) {
	o.kind, o.typ, o.typed = abi.ObjEdge, typ, true
}

func (o *object) setData(id string, fields map[string]any) {
	o.id, o.fields, o.data = id, fields, true
}

// decode fills o from an obj_read record (ABI.md "Object record").
func (o *object) decode(b []byte) error {
	rd.Reset(b)
	kind, typ, id := rd.Byte(), rd.U32(), rd.Str()
	var src, dst uint32
	if kind == abi.ObjEdge {
		src, dst = rd.U32(), rd.U32()
	}
	fields, ok := readMap(&rd)
	if !ok || rd.Done() != nil || (kind != abi.ObjNode && kind != abi.ObjEdge) {
		return errMalformed(abi.FuncObjRead)
	}
	o.kind, o.typ, o.typed = kind, typ, true
	o.setData(id, fields)
	if kind == abi.ObjEdge {
		o.src, o.dst, o.ends = src, dst, true
		cur.obj(src).kind = abi.ObjNode
		cur.obj(dst).kind = abi.ObjNode
	}
	return nil
}

// readMap reads a value that must be a map.
func readMap(r *abi.Reader) (map[string]any, bool) {
	if r.Peek() != abi.TagMap {
		return nil, false
	}
	m, ok := r.Value().(map[string]any)
	return m, ok && r.Err() == nil
}

// merge applies an obj_update map to cached fields: null removes a field.
func merge(dst, src map[string]any) {
	for k, v := range src {
		if v == nil {
			delete(dst, k)
		} else {
			dst[k] = v
		}
	}
}
