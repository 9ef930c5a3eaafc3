package sdk

// SDKVersion names this SDK in the manifest's "sdk" field.
const SDKVersion = "go/0.1.0"

var manifest []byte

// ManifestJSON returns the module's manifest (ABI.md "Manifest"), built from
// its declarations on first use and kept for the life of the instance. A
// declaration the manifest cannot describe (a bad field name, a default of
// the wrong kind, an ability on an undeclared type) panics, so that the
// module fails at load rather than on a request.
func ManifestJSON() []byte {
	if manifest == nil {
		manifest = buildManifest()
	}
	return manifest
}

func buildManifest() []byte {
	b := append([]byte(nil), `{"abi":1,"sdk":`...)
	b = appendJSONString(b, SDKVersion)
	b = append(b, `,"nodes":[`...)
	for i, k := range reg.nodes {
		b = appendTypeDecl(comma(b, i), k.name, k.fields)
	}
	b = append(b, `],"edges":[`...)
	for i, k := range reg.edges {
		b = appendTypeDecl(comma(b, i), k.name, k.fields)
	}
	b = append(b, `],"walkers":[`...)
	for i, h := range reg.walkers {
		checkAbilities(h)
		b = appendEntry(comma(b, i), h)
	}
	b = append(b, `],"functions":[`...)
	for i, h := range reg.functions {
		b = appendEntry(comma(b, i), h)
	}
	return append(b, "]}"...)
}

func comma(b []byte, i int) []byte {
	if i > 0 {
		return append(b, ',')
	}
	return b
}

func appendTypeDecl(b []byte, name string, fields []field) []byte {
	b = appendJSONString(append(b, `{"name":`...), name)
	b = appendFields(append(b, `,"fields":`...), name, fields)
	return append(b, '}')
}

func appendEntry(b []byte, h handler) []byte {
	ep := h.endpoint()
	b = appendJSONString(append(b, `{"name":`...), ep.name)
	b = appendJSONString(append(b, `,"access":`...), string(ep.access))
	b = appendJSONString(append(b, `,"method":`...), ep.method)
	if ep.path != "" {
		b = appendJSONString(append(b, `,"path":`...), ep.path)
	}
	if ep.webhook {
		b = append(b, `,"webhook":true`...)
	}
	if ep.returns != "" {
		b = appendJSONString(append(b, `,"returns":`...), string(ep.returns))
	}
	if ep.doc != "" {
		b = appendJSONString(append(b, `,"doc":`...), ep.doc)
	}
	b = appendFields(append(b, `,"fields":`...), ep.name, h.declFields())
	return append(b, '}')
}

func appendFields(b []byte, owner string, fs []field) []byte {
	b = append(b, '[')
	for i, f := range fs {
		checkField(owner, f, fs[:i])
		b = appendJSONString(append(comma(b, i), `{"name":`...), f.name)
		b = appendJSONString(append(b, `,"type":`...), string(f.typ))
		if f.required {
			b = append(b, `,"required":true`...)
		}
		if f.items != "" {
			b = appendJSONString(append(b, `,"items":`...), string(f.items))
		}
		if f.doc != "" {
			b = appendJSONString(append(b, `,"doc":`...), f.doc)
		}
		if f.hasDef {
			var ok bool
			if b, ok = appendJSON(append(b, `,"default":`...), f.def); !ok {
				panic("sdk: " + owner + "." + f.name + ": the default has no JSON form")
			}
		}
		b = append(b, '}')
	}
	return append(b, ']')
}
