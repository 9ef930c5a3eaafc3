package sdk

import (
	"maps"
	"math"

	"github.com/walkerhost/walkerhost/abi"
)

// ref is what Node and Edge share: a handle and the field access through
// it. A handle is valid only in the request that issued it.
type ref struct{ h uint32 }

// ID returns the object's id, or "" when it cannot be read.
func (r ref) ID() string {
	o, err := cur.load(r.h)
	if err != nil {
		return ""
	}
	return o.ID()
}

// Fields returns a copy of the object's fields.
func (r ref) Fields() (map[string]any, error) {
	o, err := cur.load(r.h)
	if err != nil {
		return nil, err
	}
	return maps.Clone(o.fieldMap()), nil
}

// Get returns one field, or nil when it is absent or the object cannot be
// read; use Fields to see the error.
func (r ref) Get(name string) any {
	o, err := cur.load(r.h)
	if err != nil {
		return nil
	}
	return o.get(name)
}

// field returns the encoding of field name while the object's fields are
// still encoded (nil if absent or unreadable), or else its decoded value.
// The typed getters below use it to read a scalar without boxing it.
func (r ref) field(name string) (val []byte, v any) {
	o, err := cur.load(r.h)
	if err != nil {
		return nil, nil
	}
	if val, encoded := o.rawField(name); encoded {
		return val, nil
	}
	return nil, o.fieldMap()[name]
}

// Str returns a string field, or "" when it is absent or not a string.
func (r ref) Str(name string) string {
	val, v := r.field(name)
	if val != nil {
		if val[0] == abi.TagString {
			return newString(strAt(val, 1))
		}
		return ""
	}
	s, _ := v.(string)
	return s
}

// Int returns an integer field, or 0 when it is absent or not an integer.
func (r ref) Int(name string) int64 {
	val, v := r.field(name)
	if val != nil {
		if val[0] == abi.TagInt {
			return int64(le64(val, 1))
		}
		return 0
	}
	i, _ := v.(int64)
	return i
}

// Float returns a number field as a float64, or 0 when it is absent or not
// a number.
func (r ref) Float(name string) float64 {
	val, v := r.field(name)
	if val != nil {
		switch val[0] {
		case abi.TagFloat:
			return math.Float64frombits(le64(val, 1))
		case abi.TagInt:
			return float64(int64(le64(val, 1)))
		}
		return 0
	}
	var f float64
	storeFloat(&f, v)
	return f
}

// Bool returns a boolean field, or false when it is absent or not a bool.
func (r ref) Bool(name string) bool {
	val, v := r.field(name)
	if val != nil {
		return val[0] == abi.TagTrue
	}
	b, _ := v.(bool)
	return b
}

// Set merges fields into the object's fields; a nil value removes a field
// (or puts its declared default back). The host checks the change against
// the declared type and refuses it with ErrBadArgument. It needs WRITE
// access.
func (r ref) Set(fields map[string]any) error {
	b, err := appendValue(enc[:0], fields)
	if err != nil {
		return err
	}
	n := hostObjUpdate(r.h, b)
	enc = keep(b)
	if n < 0 {
		return hostErr(abi.FuncObjUpdate, n)
	}
	if o := cur.known(r.h); o != nil {
		if hasNil(fields) {
			cur.forget(r.h) // the host may have put a declared default back
		} else {
			merge(o.fieldMap(), clone(fields).(map[string]any))
		}
	}
	return nil
}

func hasNil(fields map[string]any) bool {
	for _, v := range fields {
		if v == nil {
			return true
		}
	}
	return false
}

// Delete deletes the object; deleting a node deletes its edges. It needs
// WRITE access.
func (r ref) Delete() error {
	if n := hostObjDelete(r.h); n < 0 {
		return hostErr(abi.FuncObjDelete, n)
	}
	cur.forget(r.h)
	return nil
}
