package sdk

import "github.com/walkerhost/walkerhost/abi"

// handler is a declared walker or function as HandleRecord runs it.
type handler interface {
	endpoint() *endpoint
	// declFields lists the fields for the manifest.
	declFields() []field
	// serve binds the record's fields, runs the call and passes its result
	// or failure to output.
	serve(r *record) abi.Status
}

// registry holds everything a module declares, in declaration order. Go
// runs the declarations during _initialize, before the host asks for the
// manifest, so the registry needs no locking.
type registry struct {
	nodes     []*NodeKind
	edges     []*EdgeKind
	walkers   []handler
	functions []handler
	byName    [2]map[string]handler // walkers, functions
	names     [2][]string           // walkers' and functions' names, in declaration order
}

// scanMax is the number of walkers or functions up to which lookup compares
// names instead of hashing: in wasm a few comparisons of short strings are
// cheaper than one hash.
const scanMax = 16

var reg = registry{byName: [2]map[string]handler{{}, {}}}

func (r *registry) addNode(k *NodeKind) {
	checkName("node type", k.name)
	for _, o := range r.nodes {
		if o.name == k.name {
			panic("sdk: node type " + quote(k.name) + " declared twice")
		}
	}
	r.nodes = append(r.nodes, k)
	k.id = uint32(len(r.nodes))
}

func (r *registry) addEdge(k *EdgeKind) {
	checkName("edge type", k.name)
	for _, o := range r.edges {
		if o.name == k.name {
			panic("sdk: edge type " + quote(k.name) + " declared twice")
		}
	}
	r.edges = append(r.edges, k)
	k.id = uint32(len(r.edges))
}

// add registers a walker (kind abi.KindWalker) or a function.
func (r *registry) add(kind byte, h handler) {
	what, list := "walker", &r.walkers
	if kind == abi.KindFunction {
		what, list = "function", &r.functions
	}
	name := h.endpoint().name
	checkName(what, name)
	m := r.byName[kind-1]
	if m[name] != nil {
		panic("sdk: " + what + " " + quote(name) + " declared twice")
	}
	m[name] = h
	*list = append(*list, h)
	r.names[kind-1] = append(r.names[kind-1], name)
}

// lookup finds a walker or function by kind and name; nil if unknown.
func (r *registry) lookup(kind byte, name []byte) handler {
	if kind != abi.KindWalker && kind != abi.KindFunction {
		return nil
	}
	names := r.names[kind-1]
	if len(names) > scanMax {
		return r.byName[kind-1][string(name)]
	}
	for i, n := range names {
		if n == string(name) {
			if kind == abi.KindWalker {
				return r.walkers[i]
			}
			return r.functions[i]
		}
	}
	return nil
}
