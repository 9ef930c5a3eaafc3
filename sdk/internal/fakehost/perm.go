package fakehost

import "github.com/walkerhost/walkerhost/abi"

// ACL is an object's permissions as the permission calls left them.
type ACL struct {
	Everyone    int32 // the grant to everyone; counts only when HasEveryone
	HasEveryone bool
	Roots       map[string]int32 // per-root entries, by root id
}

// permTarget resolves the object of a permission call and checks the level.
func (h *Host) permTarget(n uint32, level int32) (*Object, int32) {
	o, e := h.object(n)
	if e < 0 {
		return nil, e
	}
	if level < abi.LevelNoAccess || level > abi.LevelWrite {
		return nil, h.fail(abi.ErrBadArgument, "level must be -1 (NO_ACCESS), 0 (READ), 1 (CONNECT) or 2 (WRITE)")
	}
	if h.DenyPerms {
		return nil, h.fail(abi.ErrDenied, "changing the permissions of "+o.ID+" needs WRITE")
	}
	return o, 0
}

// PermGrant is perm_grant.
func (h *Host) PermGrant(n uint32, level int32) int32 {
	o, e := h.permTarget(n, level)
	if e < 0 {
		return e
	}
	o.ACL.Everyone, o.ACL.HasEveryone = level, true
	return 0
}

// PermRevoke is perm_revoke.
func (h *Host) PermRevoke(n uint32) int32 {
	o, e := h.permTarget(n, abi.LevelRead)
	if e < 0 {
		return e
	}
	o.ACL.Everyone, o.ACL.HasEveryone = 0, false
	return 0
}

// AllowRoot is allow_root. Any non-empty id is accepted, as the real host
// accepts any well-formed id.
func (h *Host) AllowRoot(n uint32, root string, level int32) int32 {
	o, e := h.permTarget(n, level)
	if e < 0 {
		return e
	}
	if root == "" {
		return h.fail(abi.ErrBadArgument, "root id is empty")
	}
	if o.ACL.Roots == nil {
		o.ACL.Roots = map[string]int32{}
	}
	o.ACL.Roots[root] = level
	return 0
}

// DisallowRoot is disallow_root.
func (h *Host) DisallowRoot(n uint32, root string) int32 {
	o, e := h.permTarget(n, abi.LevelRead)
	if e < 0 {
		return e
	}
	if root == "" {
		return h.fail(abi.ErrBadArgument, "root id is empty")
	}
	delete(o.ACL.Roots, root)
	return 0
}
