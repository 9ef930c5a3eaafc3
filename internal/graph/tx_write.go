package graph

import "fmt"

// Get returns the node or edge id. It needs Read. Errors wrap ErrNotFound or
// ErrDenied.
func (t *Tx) Get(id ID) (*Object, error) {
	e, err := t.lookup(id)
	if err != nil {
		return nil, err
	}
	if err := t.require(e.obj, Read, OpGet); err != nil {
		return nil, err
	}
	return e.obj, nil
}

// CreateNode creates a node of type typ, owned by the caller's root, with a
// copy of fields (nil values are left out). typ must be 1 to MaxTypeLen
// bytes, not RootType and not AnyType.
func (t *Tx) CreateNode(typ string, fields map[string]any) (*Object, error) {
	if err := t.canCreate(typ, true); err != nil {
		return nil, err
	}
	f, err := copyFields(fields)
	if err != nil {
		return nil, err
	}
	o := &Object{ID: NewID(), Kind: KindNode, Type: typ, Owner: t.caller.Root, Fields: dropNils(f), Version: 1}
	t.add(o)
	return o, nil
}

// canCreate checks what every new object needs.
func (t *Tx) canCreate(typ string, node bool) error {
	if t.err != nil {
		return t.err
	}
	if t.caller.Root.IsZero() {
		return ErrNoRoot
	}
	return checkType(typ, node)
}

// add caches a new object and lists it for Commit.
func (t *Tx) add(o *Object) *entry {
	e := &entry{id: o.ID, obj: o, created: true}
	t.objs[o.ID] = e
	t.markDirty(e)
	return e
}

// Update merges fields into object id: a nil value removes that field. It
// needs Write.
func (t *Tx) Update(id ID, fields map[string]any) error { return t.UpdateChecked(id, fields, nil) }

// UpdateChecked is Update with check, when not nil, run after the
// permission check on the object and a copy of fields: it may refuse the
// change or amend the copy (the host checks a module's declared types this
// way without telling a caller who may not write what the object is).
func (t *Tx) UpdateChecked(id ID, fields map[string]any, check func(o *Object, fields map[string]any) error) error {
	f, err := copyFields(fields)
	if err != nil {
		return err
	}
	if check != nil {
		e, err := t.lookup(id)
		if err != nil {
			return err
		}
		if err := t.require(e.obj, Write, OpUpdate); err != nil {
			return err
		}
		if err := check(e.obj, f); err != nil {
			return err
		}
	}
	return t.modify(id, OpUpdate, func(o *Object) { mergeFields(o.Fields, f) })
}

// modify applies change to a copy of object id, which becomes the Tx's
// snapshot, and keeps change to replay on the stored object at Commit. It
// needs Write.
func (t *Tx) modify(id ID, op Op, change func(*Object)) error {
	e, err := t.lookup(id)
	if err != nil {
		return err
	}
	if err := t.require(e.obj, Write, op); err != nil {
		return err
	}
	n := e.obj.shallow()
	change(n)
	if !e.created {
		if e.patch == nil {
			n.Version++
		}
		e.patch = append(e.patch, change)
	}
	e.obj = n
	t.markDirty(e)
	return nil
}

// Delete deletes node or edge id. It needs Write. Deleting a node deletes
// every edge to or from it, whoever owns the edge. Roots cannot be deleted.
func (t *Tx) Delete(id ID) error {
	e, err := t.lookup(id)
	if err != nil {
		return err
	}
	o := e.obj
	if err := t.require(o, Write, OpDelete); err != nil {
		return err
	}
	if o.IsRoot() {
		return fmt.Errorf("%w: delete [%s]", ErrRoot, id)
	}
	e.deleted = true
	t.markDirty(e)
	if o.IsNode() {
		for _, ee := range t.edges {
			if ee.obj.Src == id || ee.obj.Dst == id {
				ee.deleted = true
			}
		}
	}
	return nil
}
