package sdk

import (
	"maps"

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
	return o.id
}

// Fields returns a copy of the object's fields.
func (r ref) Fields() (map[string]any, error) {
	o, err := cur.load(r.h)
	if err != nil {
		return nil, err
	}
	return maps.Clone(o.fields), nil
}

// Get returns one field, or nil when it is absent or the object cannot be
// read; use Fields to see the error.
func (r ref) Get(name string) any {
	o, err := cur.load(r.h)
	if err != nil {
		return nil
	}
	return o.fields[name]
}

// Str returns a string field, or "" when it is absent or not a string.
func (r ref) Str(name string) string { s, _ := r.Get(name).(string); return s }

// Int returns an integer field, or 0 when it is absent or not an integer.
func (r ref) Int(name string) int64 { i, _ := r.Get(name).(int64); return i }

// Float returns a number field as a float64, or 0 when it is absent or not
// a number.
func (r ref) Float(name string) float64 {
	var f float64
	storeFloat(&f, r.Get(name))
	return f
}

// Bool returns a boolean field, or false when it is absent or not a bool.
func (r ref) Bool(name string) bool { b, _ := r.Get(name).(bool); return b }

// Set merges fields into the object's fields; a nil value removes a field.
// It needs WRITE access.
func (r ref) Set(fields map[string]any) error {
	_, err := send(abi.FuncObjUpdate, fields, func(b []byte) int32 { return hostObjUpdate(r.h, b) })
	if err != nil {
		return err
	}
	if o := cur.objs[r.h]; o != nil && o.data {
		merge(o.fields, clone(fields).(map[string]any))
	}
	return nil
}

// Delete deletes the object; deleting a node deletes its edges. It needs
// WRITE access.
func (r ref) Delete() error {
	if n := hostObjDelete(r.h); n < 0 {
		return hostErr(abi.FuncObjDelete, n)
	}
	delete(cur.objs, r.h)
	return nil
}
