package sandbox

import (
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/wjson"
)

// appendRef expands a reported node or edge handle to
// {"_jac_type", "_jac_id", "_jac_archetype", ...fields}; a handle that is
// not this call's, or an object deleted since, becomes null.
func (s *session) appendRef(dst []byte, ref abi.Ref) ([]byte, error) {
	id, ok := s.id(ref.Handle)
	if !ok {
		return append(dst, "null"...), nil
	}
	obj, err := s.tx.Get(id)
	if err != nil {
		return append(dst, "null"...), nil
	}
	start := len(dst)
	typ, arch := obj.Type, "node"
	if ref.Tag == abi.TagEdge {
		arch = "edge"
		if typ == GenericEdge {
			typ = "GenericEdge"
		}
	}
	dst = append(dst, `{"_jac_type":`...)
	dst = wjson.AppendString(dst, typ)
	dst = append(dst, `,"_jac_id":"`...)
	dst = append(dst, obj.ID.String()...)
	dst = append(dst, `","_jac_archetype":"`...)
	dst = append(dst, arch...)
	dst = append(dst, '"')
	for _, k := range sortedKeys(obj.Fields) {
		dst = append(dst, ',')
		dst = wjson.AppendString(dst, k)
		dst = append(dst, ':')
		dst = wjson.AppendAny(dst, obj.Fields[k])
	}
	dst = append(dst, '}')
	// A handle is a few bytes in the report but expands to the whole object
	// here, so the expansion counts against the report limit too.
	return dst, s.chargeExpansion(len(dst) - start)
}
