package graph

// PermGrant sets what object id grants to everyone (perm_grant). It needs
// Write.
func (t *Tx) PermGrant(id ID, l Level) error {
	if err := checkLevel(l); err != nil {
		return err
	}
	return t.modify(id, OpPermGrant, func(o *Object) { o.ACL.Everyone, o.ACL.HasEveryone = l, true })
}

// PermRevoke removes object id's grant to everyone (perm_revoke). It needs
// Write.
func (t *Tx) PermRevoke(id ID) error {
	return t.modify(id, OpPermRevoke, func(o *Object) { o.ACL.Everyone, o.ACL.HasEveryone = 0, false })
}

// AllowRoot sets object id's entry for root to l (allow_root). An entry wins
// over grants to everyone, so NoAccess shuts root out. It needs Write.
func (t *Tx) AllowRoot(id, root ID, l Level) error {
	if err := checkLevel(l); err != nil {
		return err
	}
	return t.modify(id, OpAllowRoot, func(o *Object) {
		if o.ACL.Roots == nil {
			o.ACL.Roots = map[ID]Level{}
		}
		o.ACL.Roots[root] = l
	})
}

// DisallowRoot removes object id's entry for root (disallow_root). It needs
// Write.
func (t *Tx) DisallowRoot(id, root ID) error {
	return t.modify(id, OpDisallowRoot, func(o *Object) {
		delete(o.ACL.Roots, root)
		if len(o.ACL.Roots) == 0 {
			o.ACL.Roots = nil
		}
	})
}
