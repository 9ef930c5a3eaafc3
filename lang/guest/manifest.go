package main

import (
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/lang/compile"
)

// manifestOf is the manifest of a described program; mainName, when set,
// adds the private walker running its `with entry` blocks.
func manifestOf(d *compile.Description, mainName string) *abi.Manifest {
	m := &abi.Manifest{ABI: abi.Version}
	for _, t := range d.Nodes {
		m.Nodes = append(m.Nodes, abi.TypeDecl{Name: t.Name, Fields: fieldsOf(t.Fields)})
	}
	for _, t := range d.Edges {
		m.Edges = append(m.Edges, abi.TypeDecl{Name: t.Name, Fields: fieldsOf(t.Fields)})
	}
	entry := func(e compile.Entry) abi.Entry {
		return abi.Entry{Name: e.Name, Access: e.Access, Method: e.Method, Path: e.Path, Webhook: e.Webhook,
			Fields: fieldsOf(e.Fields), Returns: e.Returns}
	}
	for _, e := range d.Walkers {
		m.Walkers = append(m.Walkers, entry(e))
	}
	for _, e := range d.Functions {
		m.Functions = append(m.Functions, entry(e))
	}
	if mainName != "" {
		m.Walkers = append(m.Walkers, abi.Entry{Name: mainName, Access: abi.AccessPrivate, Method: "POST"})
	}
	return m
}

func fieldsOf(fs []compile.Field) []abi.Field {
	out := make([]abi.Field, len(fs))
	for i, f := range fs {
		out[i] = abi.Field{Name: f.Name, Type: f.Type, Required: f.Required, Default: f.Default}
	}
	return out
}
