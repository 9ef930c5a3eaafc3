package sdk

import "github.com/walkerhost/walkerhost/abi"

// object is what the SDK knows of one handle during a request. Edge queries
// and reads fill it, so that reading a field after a query costs no call.
//
// Ids and fields arrive encoded, and stay so in the request's arena (at
// the offsets below) until guest code asks for them: a walk that only
// moves through or reports nodes never decodes their fields. Keeping
// offsets rather than slices also spares the write barriers of pointer
// stores, which cost branches in wasm.
type object struct {
	kind    byte // abi.ObjNode, abi.ObjEdge, or 0 while unknown
	typed   bool // typ is valid
	data    bool // id and fields are known
	ends    bool // src and dst are known (edges)
	idOK    bool // id holds the id
	fieldOK bool // fields holds the decoded fields
	typ     uint32
	src     uint32
	dst     uint32
	idAt    uint32 // the id's bytes are cur.arena[idAt:idEnd],
	idEnd   uint32
	rawAt   uint32 // the encoded field map's cur.arena[rawAt:rawEnd]
	rawEnd  uint32
	id      string
	fields  map[string]any
}

// rd decodes values in their generic Go form; a decode is finished before
// the next one starts.
var rd abi.Reader

func (o *object) setNode(typ uint32) {
	o.kind, o.typ, o.typed = abi.ObjNode, typ, true
}

func (o *object) setEdge(typ uint32) {
	o.kind, o.typ, o.typed = abi.ObjEdge, typ, true
}

// setData records where the object's encoded id and field map (validated)
// are in the request's arena.
func (o *object) setData(idAt, idEnd, rawAt, rawEnd int) {
	o.idAt, o.idEnd, o.rawAt, o.rawEnd = uint32(idAt), uint32(idEnd), uint32(rawAt), uint32(rawEnd)
	o.data, o.idOK, o.fieldOK = true, false, false
}

// ID returns the object's id.
func (o *object) ID() string {
	if !o.idOK {
		o.id, o.idOK = newString(cur.arena[o.idAt:o.idEnd]), true
	}
	return o.id
}

// fieldMap returns the object's fields, decoding them on first use; nil if
// they are not known.
func (o *object) fieldMap() map[string]any {
	if !o.fieldOK && o.data {
		rd.Reset(cur.arena[o.rawAt:o.rawEnd])
		o.fields, _ = rd.Value().(map[string]any)
		o.fieldOK = true
	}
	if !o.fieldOK {
		return nil
	}
	return o.fields
}

// rawField returns the encoding of field name while the fields are still
// encoded (nil when there is no such field), and encoded=false once they
// are decoded or when they are not known. A repeated key counts as it
// would in a map: the last wins.
func (o *object) rawField(name string) (val []byte, encoded bool) {
	if o.fieldOK || !o.data {
		return nil, false
	}
	b := cur.arena[o.rawAt:o.rawEnd]
	at := -1
	n, i := countAt(b, 1, 5)
	for ; n > 0; n-- {
		k := strAt(b, i)
		i += 4 + len(k)
		if string(k) == name {
			at = i
		}
		i = skipElem(b, i, 1)
	}
	if at < 0 {
		return nil, true
	}
	return b[at:], true
}

// get returns field name, or nil when it is absent.
func (o *object) get(name string) any {
	if val, encoded := o.rawField(name); encoded {
		if val == nil {
			return nil
		}
		if v, ok := scalarAt(val, 0); ok {
			return v
		}
	}
	return o.fieldMap()[name]
}

// decode fills o from an obj_read record (ABI.md "Object record").
func (o *object) decode(b []byte) error {
	if len(b) < 5 {
		return errMalformed(abi.FuncObjRead)
	}
	kind, typ := b[0], le32(b, 1)
	i := skipStr(b, 5)
	var src, dst uint32
	if kind == abi.ObjEdge && i >= 0 {
		if len(b)-i < 8 {
			return errMalformed(abi.FuncObjRead)
		}
		src, dst = le32(b, i), le32(b, i+4)
		i += 8
	}
	f := i
	if i = skipMap(b, i); i != len(b) || (kind != abi.ObjNode && kind != abi.ObjEdge) {
		return errMalformed(abi.FuncObjRead)
	}
	base := cur.stash(b)
	o.kind, o.typ, o.typed = kind, typ, true
	o.setData(base+9, base+9+len(strAt(b, 5)), base+f, base+len(b))
	if kind == abi.ObjEdge {
		o.src, o.dst, o.ends = src, dst, true
		cur.obj(src).kind = abi.ObjNode
		cur.obj(dst).kind = abi.ObjNode
	}
	return nil
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
