package tck

func graph() []Behaviour {
	return []Behaviour{
		{Name: "every graph call", Section: "Graph", Steps: []Step{
			walker("crud", nil).want(M{"reports": L{
				M{"id_known": true, "count": 5, "name": "y", "weight": 2.5, "src_is_root": true, "dst_is_item": true,
					"is_item": true, "edge_type": "Has", "disconnected": 1,
					// deleted later in the request: expanded as null
					"node": nil},
				true, nil, Any}}).save("item", "reports.0.id"),
			walker("lookup", M{"id": "${item}"}).want(reports("not found")),
		}},
		{Name: "an object keeps its handle within a request", Section: "Conventions", Steps: []Step{
			walker("crud", nil).want(M{"reports": L{M{"same_handle": true}, true, nil, Any}}),
		}},
		{Name: "objects read back", Section: "Object record", Steps: []Step{
			walker("crud", nil).want(M{"reports": L{M{"src_is_root": true, "dst_is_item": true, "edge_type": "Has"}, true, nil, Any}}),
		}},
		{Name: "a query result larger than the first buffer", Section: "Host imports", Steps: []Step{
			walker("bulk", M{"n": 200}).want(reports(L{200, 200 * 199 / 2})),
		}},
		{Name: "hits in edge creation order", Section: "Query record", Steps: []Step{
			walker("make_item", M{"values": M{"name": "a"}}),
			walker("make_item", M{"values": M{"name": "b"}}),
			walker("make_item", M{"values": M{"name": "c", "count": 3}}),
			{Method: "GET", Path: "/walker/items", Data: reports(M{"name": "a", "count": 0}, M{"name": "b", "count": 0}, M{"name": "c", "count": 3})},
		}},
		{Name: "writes are held to the declared types", Section: "Declared types", Steps: []Step{
			walker("make_item", M{"values": M{"name": "x", "count": 3.0}}).want(reports(M{"_jac_type": "Item", "count": 3})),
			walker("make_item", M{"values": M{}}).fails(422, M{"code": "VALIDATION_ERROR",
				"message": `node type Item: field "name" is required`,
				"details": L{M{"loc": L{"node", "Item", "name"}, "type": "missing"}}}),
			walker("make_item", M{"values": M{"name": 1}}).fails(422, M{"code": "VALIDATION_ERROR",
				"details": L{M{"loc": L{"node", "Item", "name"}, "type": "type"}}}),
			walker("make_item", M{"values": M{"name": "x", "colour": "red"}}).fails(422, M{"code": "VALIDATION_ERROR",
				"message": `node type Item has no field "colour"`}),
			walker("make_item", M{"values": M{"name": "x", "count": 1.5}, "handle": true}).want(reports(failed(errBadArgument))),
			{Method: "GET", Path: "/walker/items", Data: reports(M{"name": "x", "count": 3})},
		}},
		{Name: "lookups", Section: "Support", Steps: []Step{
			walker("lookup", M{"id": "nope"}).want(reports("not found")),
			walker("lookup_raw", M{"id": "nope"}).fails(500, M{"code": "EXECUTION_ERROR", "message": "~obj_get"}),
		}},
	}
}
