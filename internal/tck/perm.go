package tck

// Permission levels of ABI.md "Permissions".
const (
	levelRead    = 0
	levelConnect = 1
	levelWrite   = 2
)

// roots saves each user's root id: ada's as ada_root, bob's as bob_root,
// cy's as cy_root.
func roots() []Step {
	var steps []Step
	for _, u := range []string{"ada", "bob", "cy"} {
		steps = append(steps, walker("crud", nil).as(u).save(u+"_root", "reports.0.root._jac_id"))
	}
	return steps
}

func permissions() []Behaviour {
	steps := func(s ...Step) []Step { return append(roots(), s...) }
	return []Behaviour{
		{Name: "the calls reach the host", Section: "Permissions", Steps: steps(
			walker("perms", M{"root": "${bob_root}", "level": levelConnect, "share": true}).
				want(reports(M{"grant": 0, "allow": 0, "edge_grant": 0, "root_allow": 0})).
				save("item", "reports.0.id", "edge", "reports.0.edge"),
			// the grant to everyone: cy may read the item, and the edge
			walker("lookup", M{"id": "${item}"}).as("cy").want(reports(M{"_jac_id": "${item}"})),
			walker("lookup_edge", M{"id": "${edge}"}).as("cy").want(reports(M{"_jac_id": "${edge}"})),
			// ... at CONNECT: cy may connect to it, not change it
			walker("perm_other", M{"id": "${item}", "level": levelWrite}).as("cy").
				want(reports(M{"grant": errDenied, "update": errDenied, "connect": 0})),
			// CONNECT, not WRITE, for bob on the item
			walker("perm_other", M{"id": "${item}", "level": levelWrite}).as("bob").
				want(reports(M{"grant": errDenied, "allow": errDenied, "revoke": errDenied, "disallow": errDenied,
					"update": errDenied, "connect": 0})),
			// the entry on ada's root covers what ada makes later, for bob only
			walker("make_item", M{"values": M{"name": "later"}}).save("later", "reports.0._jac_id"),
			walker("lookup", M{"id": "${later}"}).as("bob").want(reports(M{"_jac_id": "${later}", "name": "later"})),
			walker("perm_other", M{"id": "${later}", "level": levelWrite}).as("bob").
				want(reports(M{"grant": errDenied, "update": errDenied, "connect": 0})),
			walker("lookup", M{"id": "${later}"}).as("cy").want(reports("denied")),
		)},
		{Name: "revoke and disallow", Section: "Permissions", Steps: steps(
			walker("perms", M{"root": "${bob_root}", "level": levelWrite, "undo": true}).
				want(reports(M{"grant": 0, "allow": 0, "revoke": 0, "disallow": 0})).save("item", "reports.0.id"),
			walker("lookup", M{"id": "${item}"}).as("cy").want(reports("denied")),
			walker("lookup", M{"id": "${item}"}).as("bob").want(reports("denied")),
		)},
		{Name: "bad levels and root ids", Section: "Permissions", Steps: steps(
			walker("perms", M{"root": "${bob_root}", "level": 3}).
				want(reports(M{"grant": errBadArgument, "allow": errBadArgument})),
			walker("perms", M{"root": "", "level": levelRead}).
				want(reports(M{"grant": 0, "allow": errBadArgument})),
		)},
		{Name: "a caller without WRITE is denied and changes nothing", Section: "Permissions", Steps: steps(
			walker("perms", M{"root": "${ada_root}", "level": levelRead}).save("item", "reports.0.id"),
			walker("perm_other", M{"id": "${item}", "level": levelWrite}).as("bob").
				want(reports(M{"grant": errDenied, "allow": errDenied, "revoke": errDenied, "disallow": errDenied,
					"update": errDenied, "connect": errDenied})),
			walker("lookup", M{"id": "${item}"}).as("cy").want(reports(M{"_jac_id": "${item}", "name": "p"})),
		)},
		{Name: "an ignored denial is a warning, a handled one is not", Section: "Permissions", Steps: steps(
			walker("perms", M{"root": "${ada_root}", "level": levelRead}).save("item", "reports.0.id"),
			walker("perm_other", M{"id": "${item}", "ignore": true}).as("bob").
				want(M{"warnings": L{M{"code": "PERMISSION_DENIED", "op": "perm_grant", "node": "${item}"}}}),
			walker("perm_other", M{"id": "${item}"}).as("bob").want(M{"warnings": Absent}),
			// the same for error_take through an ignored, an inspected and a
			// returned lookup
			walker("make_item", M{"values": M{"name": "private"}}).save("private", "reports.0._jac_id"),
			walker("lookup_ignored", M{"id": "${private}"}).as("bob").
				want(M{"warnings": L{M{"code": "PERMISSION_DENIED", "op": "get", "node": "${private}"}}}),
			walker("lookup", M{"id": "${private}"}).as("bob").want(M{"reports": L{"denied"}, "warnings": Absent}),
			walker("lookup_raw", M{"id": "${private}"}).as("bob").fails(500, M{"code": "EXECUTION_ERROR", "message": "~denied"}),
		)},
	}
}
