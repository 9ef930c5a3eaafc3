package graph

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/walkerhost/walkerhost/abi"
)

// codecVersion is the first byte of every encoded object.
const codecVersion = 1

// aclEveryone is the ACL flag bit for HasEveryone.
const aclEveryone = 1

// AppendObject appends the stored form of o to b:
//
//	u8 format (1) | u8 kind | id | owner | [src | dst, edges only] |
//	u64le version | u8 len + type | u8 acl flags | i8 everyone |
//	u32le n + n × (root id | i8 level), by root id | fields as an abi map
//
// IDs are 16 raw bytes. It fails on a type longer than MaxTypeLen, an
// invalid level, or a field value with no abi encoding.
func AppendObject(b []byte, o *Object) ([]byte, error) {
	if len(o.Type) > MaxTypeLen {
		return b, fmt.Errorf("%w: [%.80q] is longer than %d bytes", ErrBadType, o.Type, MaxTypeLen)
	}
	b = append(b, codecVersion, byte(o.Kind))
	b = append(append(b, o.ID[:]...), o.Owner[:]...)
	if o.Kind == KindEdge {
		b = append(append(b, o.Src[:]...), o.Dst[:]...)
	}
	b = binary.LittleEndian.AppendUint64(b, o.Version)
	b = append(append(b, byte(len(o.Type))), o.Type...)
	b, err := appendACL(b, o.ACL)
	if err != nil {
		return b, fmt.Errorf("%w: object [%s]", err, o.ID)
	}
	if b, err = abi.AppendMap(b, o.Fields); err != nil {
		return b, fmt.Errorf("%w: object [%s]: %v", ErrBadField, o.ID, err)
	}
	return b, nil
}

func appendACL(b []byte, a ACL) ([]byte, error) {
	var flags, everyone byte
	if a.HasEveryone {
		if err := checkLevel(a.Everyone); err != nil {
			return b, err
		}
		flags, everyone = aclEveryone, byte(a.Everyone)
	}
	b = append(b, flags, everyone)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(a.Roots)))
	roots := make([]ID, 0, len(a.Roots))
	for id := range a.Roots {
		roots = append(roots, id)
	}
	slices.SortFunc(roots, func(x, y ID) int { return bytes.Compare(x[:], y[:]) })
	for _, id := range roots {
		l := a.Roots[id]
		if err := checkLevel(l); err != nil {
			return b, err
		}
		b = append(append(b, id[:]...), byte(l))
	}
	return b, nil
}

// DecodeObject decodes what AppendObject wrote. Malformed input is an error
// wrapping ErrCorrupt, never a panic. The result shares no memory with b.
func DecodeObject(b []byte) (*Object, error) { return decodeObject(b, nil) }

// decodeObject is DecodeObject taking type names and field keys from names.
func decodeObject(b []byte, names names) (*Object, error) {
	d := decoder{b: b}
	o := &Object{}
	if d.byte() != codecVersion {
		return nil, d.fail("unknown format")
	}
	o.Kind = Kind(d.byte())
	if o.Kind != KindNode && o.Kind != KindEdge {
		return nil, d.fail("unknown kind")
	}
	o.ID, o.Owner = d.id(), d.id()
	if o.Kind == KindEdge {
		o.Src, o.Dst = d.id(), d.id()
	}
	o.Version = d.u64()
	o.Type = names.get(d.take(int(d.byte())))
	o.ACL = d.acl()
	if d.err != nil {
		return nil, d.err
	}
	fields, err := decodeFields(d.b, names)
	if err != nil {
		return nil, fmt.Errorf("%w: object [%s]: %v", ErrCorrupt, o.ID, err)
	}
	o.Fields = fields
	return o, nil
}

// decodeFields decodes the trailing abi map and rejects handles, which are
// never stored.
func decodeFields(b []byte, names names) (map[string]any, error) {
	r := abi.NewReader(b)
	if r.Byte() != abi.TagMap {
		return nil, fmt.Errorf("fields are not a map")
	}
	n := int(r.U32())
	if n > r.Len()/5 { // a key length and a tag at least
		return nil, abi.ErrTruncated
	}
	m := make(map[string]any, n)
	for i := 0; i < n && r.Err() == nil; i++ {
		k := names.get(r.StrBytes())
		v := r.Value()
		if abi.HasRef(v) {
			return nil, fmt.Errorf("field [%s] holds a handle", k)
		}
		m[k] = v
	}
	if err := r.Done(); err != nil {
		return nil, err
	}
	return m, nil
}

// names interns the type names and field keys a Tx decodes, which repeat
// across objects. A nil names interns nothing.
type names map[string]string

// maxNames bounds how many strings one names keeps.
const maxNames = 1024

func (n names) get(b []byte) string {
	if s, ok := n[string(b)]; ok {
		return s
	}
	s := string(b)
	if n != nil && len(n) < maxNames {
		n[s] = s
	}
	return s
}
