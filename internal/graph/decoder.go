package graph

import (
	"encoding/binary"
	"fmt"
)

// decoder reads the fixed part of an encoded object. The first error
// sticks; later reads return zero values.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(what string) error {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", ErrCorrupt, what)
	}
	return d.err
}

func (d *decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n > len(d.b) {
		d.fail("truncated")
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	if v := d.take(1); v != nil {
		return v[0]
	}
	return 0
}

func (d *decoder) id() (id ID) {
	copy(id[:], d.take(len(id)))
	return id
}

func (d *decoder) u32() uint32 {
	if v := d.take(4); v != nil {
		return binary.LittleEndian.Uint32(v)
	}
	return 0
}

func (d *decoder) u64() uint64 {
	if v := d.take(8); v != nil {
		return binary.LittleEndian.Uint64(v)
	}
	return 0
}

func (d *decoder) level() Level {
	l := Level(int8(d.byte()))
	if !l.Valid() {
		d.fail("invalid level")
	}
	return l
}

func (d *decoder) acl() ACL {
	var a ACL
	flags := d.byte()
	if flags&^aclEveryone != 0 {
		d.fail("unknown acl flags")
	}
	if a.Everyone = d.level(); flags&aclEveryone != 0 {
		a.HasEveryone = true
	} else {
		a.Everyone = 0
	}
	n := int(d.u32())
	if n > len(d.b)/17 {
		d.fail("acl count too large")
		return a
	}
	if n > 0 {
		a.Roots = make(map[ID]Level, n)
	}
	for i := 0; i < n && d.err == nil; i++ {
		id := d.id()
		a.Roots[id] = d.level()
	}
	return a
}
