package sdk

// checkField panics on a field the manifest cannot carry: an invalid or
// repeated name, or a field both required and defaulted.
func checkField(owner string, f field, before []field) {
	where := "sdk: " + owner + "." + f.name + ": "
	if !validName(f.name) {
		panic(where + "field names must match [A-Za-z_][A-Za-z0-9_]*")
	}
	for _, o := range before {
		if o.name == f.name {
			panic(where + "field declared twice")
		}
	}
	if f.required && f.hasDef {
		panic(where + "a required field cannot have a default")
	}
	if f.typ == TypeFile && f.hasDef {
		panic(where + "a file field cannot have a default")
	}
}

// checkAbilities panics when a walker has an ability on a node type the
// module does not declare, most likely a misspelt name.
func checkAbilities(h handler) {
	t, ok := h.(interface{ abilityTypes() []string })
	if !ok {
		return
	}
	for _, name := range t.abilityTypes() {
		if !declaredNode(name) {
			panic("sdk: walker " + quote(h.endpoint().name) + ": ability on undeclared node type " + quote(name))
		}
	}
}

func declaredNode(name string) bool {
	if name == RootType.name {
		return true
	}
	for _, k := range reg.nodes {
		if k.name == name {
			return true
		}
	}
	return false
}
