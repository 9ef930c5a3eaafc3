package sdk

import "github.com/walkerhost/walkerhost/abi"

// NodeKind is a node type: the built-in RootType or one declared with
// NodeType. Its id is its 1-based position among the module's node types.
type NodeKind struct {
	name   string
	id     uint32
	fields []field
}

// EdgeKind is an edge type: the built-in GenericEdge or one declared with
// EdgeType.
type EdgeKind struct {
	name   string
	id     uint32
	fields []field
}

// RootType is the type of every user's root node; GenericEdge is the type
// of an edge connected without a declared type.
var (
	RootType    = &NodeKind{name: "Root", id: abi.TypeRoot}
	GenericEdge = &EdgeKind{name: "GenericEdge", id: abi.TypeGenericEdge}
)

// NodeType declares a node type. Call it in a package variable initialiser:
// type ids follow declaration order, which the manifest lists.
func NodeType(name string, fields ...FieldDecl) *NodeKind {
	k := &NodeKind{name: name, fields: decls(fields)}
	reg.addNode(k)
	return k
}

// EdgeType declares an edge type, like NodeType.
func EdgeType(name string, fields ...FieldDecl) *EdgeKind {
	k := &EdgeKind{name: name, fields: decls(fields)}
	reg.addEdge(k)
	return k
}

func decls(ds []FieldDecl) []field {
	fs := make([]field, len(ds))
	for i, d := range ds {
		fs[i] = d.decl()
	}
	return fs
}

// Name returns the type's name.
func (k *NodeKind) Name() string { return k.name }

// Name returns the type's name.
func (k *EdgeKind) Name() string { return k.name }

// Create makes a node of this type, owned by the caller's root, with the
// given fields and the declared defaults of those not given. It is not
// connected to anything yet. The host refuses fields that do not fit the
// type (a required one missing, a value of another kind, an undeclared
// one) with ErrBadArgument; a walker that returns that error answers 422.
func (k *NodeKind) Create(fields map[string]any) (Node, error) {
	b, err := appendValue(enc[:0], fields)
	if err != nil {
		return Node{}, err
	}
	h := hostNodeCreate(k.id, b)
	enc = keep(b)
	if h < 0 {
		return Node{}, hostErr(abi.FuncNodeCreate, h)
	}
	cur.obj(uint32(h)).setNode(k.id)
	return Node{ref{uint32(h)}}, nil
}

// nodeKind returns the node type with id, or nil for a type this module
// does not declare.
func nodeKind(id uint32) *NodeKind {
	if id == abi.TypeRoot {
		return RootType
	}
	if id <= uint32(len(reg.nodes)) {
		return reg.nodes[id-1]
	}
	return nil
}

// edgeKind returns the edge type with id, or nil for an undeclared one.
func edgeKind(id uint32) *EdgeKind {
	if id == abi.TypeGenericEdge {
		return GenericEdge
	}
	if id <= uint32(len(reg.edges)) {
		return reg.edges[id-1]
	}
	return nil
}
