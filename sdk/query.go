package sdk

import "github.com/walkerhost/walkerhost/abi"

// Dir is the direction of an edge query.
type Dir int32

// Directions, relative to the node queried.
const (
	DirOut  Dir = Dir(abi.DirOut)
	DirIn   Dir = Dir(abi.DirIn)
	DirBoth Dir = Dir(abi.DirBoth)
)

// Filter narrows an edge query: an *EdgeKind keeps edges of that type, a
// *NodeKind keeps neighbours of that type. Without filters a query returns
// every neighbour the caller may read.
type Filter interface{ narrow(q query) query }

func (k *EdgeKind) narrow(q query) query {
	q.etype = int32(k.id)
	return q
}

func (k *NodeKind) narrow(q query) query {
	q.ntype = int32(k.id)
	return q
}

// Link is one hit of an edge query: the edge and the neighbour it leads to.
type Link struct {
	Edge Edge
	Node Node
}

type query struct {
	dir, etype, ntype, flags int32
}

// Out returns the neighbours n's outgoing edges lead to, in edge creation
// order. One host call brings the neighbours' fields too.
func (n Node) Out(filters ...Filter) ([]Node, error) { return n.neighbours(DirOut, filters) }

// In returns the neighbours whose edges lead to n.
func (n Node) In(filters ...Filter) ([]Node, error) { return n.neighbours(DirIn, filters) }

// Neighbours returns the neighbours over edges in either direction.
func (n Node) Neighbours(filters ...Filter) ([]Node, error) { return n.neighbours(DirBoth, filters) }

func (n Node) neighbours(dir Dir, filters []Filter) ([]Node, error) {
	_, nodes, err := n.query(dir, abi.QueryNodeData, filters, false)
	if err != nil {
		return []Node{}, err
	}
	return nodes, nil
}

// Links returns the edges in direction dir with their neighbours, both with
// their fields.
func (n Node) Links(dir Dir, filters ...Filter) ([]Link, error) {
	links, _, err := n.query(dir, abi.QueryNodeData|abi.QueryEdgeData, filters, true)
	return links, err
}

// query runs an edge query and returns its hits as links or, without
// wantLinks, as the neighbour nodes only.
func (n Node) query(dir Dir, flags int32, filters []Filter, wantLinks bool) ([]Link, []Node, error) {
	q := query{dir: int32(dir), etype: abi.TypeAny, ntype: abi.TypeAny, flags: flags}
	for _, f := range filters {
		q = f.narrow(q)
	}
	b, err := varResult(abi.FuncEdgeQuery, hostEdgeQuery(n.h, q.dir, q.etype, q.ntype, q.flags, scratch))
	if err != nil {
		return nil, nil, err
	}
	return q.decode(n.h, b, wantLinks)
}

// decode reads a query record (ABI.md "Query record") into links or nodes
// and the handle cache. Ids and fields stay encoded in the request's arena
// until guest code reads them.
func (q *query) decode(from uint32, b []byte, wantLinks bool) ([]Link, []Node, error) {
	if len(b) < 4 || uint64(le32(b, 0))*16 > uint64(len(b)-4) {
		return nil, nil, errMalformed(abi.FuncEdgeQuery)
	}
	count := int(le32(b, 0))
	nodeData, edgeData := q.flags&abi.QueryNodeData != 0, q.flags&abi.QueryEdgeData != 0
	base := 0 // b's offset in the arena
	if nodeData || edgeData {
		base = cur.stash(b)
	}
	var links []Link
	var nodes []Node
	if wantLinks {
		links = make([]Link, count)
	} else {
		nodes = make([]Node, count)
	}
	i := 4
	for c := 0; c < count; c++ {
		if len(b)-i < 16 {
			return nil, nil, errMalformed(abi.FuncEdgeQuery)
		}
		eh, et, nh, nt := le32(b, i), le32(b, i+4), le32(b, i+8), le32(b, i+12)
		i += 16
		e := cur.dense(eh)
		if e == nil {
			e = cur.newObj(eh)
		}
		n := cur.dense(nh)
		if n == nil {
			n = cur.newObj(nh)
		}
		e.kind, e.typ, e.typed = abi.ObjEdge, et, true
		n.kind, n.typ, n.typed = abi.ObjNode, nt, true
		if nodeData {
			i = readData(n, b, i, base)
		}
		if edgeData && i >= 0 {
			i = readData(e, b, i, base)
		}
		switch q.dir {
		case abi.DirOut:
			e.src, e.dst, e.ends = from, nh, true
		case abi.DirIn:
			e.src, e.dst, e.ends = nh, from, true
		}
		if i < 0 {
			return nil, nil, errMalformed(abi.FuncEdgeQuery)
		}
		if wantLinks {
			links[c] = Link{Edge{ref{eh}}, Node{ref{nh}}}
		} else {
			nodes[c] = Node{ref{nh}}
		}
	}
	if i != len(b) {
		return nil, nil, errMalformed(abi.FuncEdgeQuery)
	}
	return links, nodes, nil
}

// readData validates an id and a field map at b[i:], which is at offset
// base in the arena, records them in o and returns the offset after them,
// or -1.
func readData(o *object, b []byte, i, base int) int {
	f := skipStr(b, i)
	if f < 0 || f >= len(b) || b[f] != abi.TagMap {
		return -1
	}
	n, j := countAt(b, f+1, 5)
	end := skipEntries(b, j, n, 1) // skipMap, inlined
	if end >= 0 {
		o.setData(base+i+4, base+f, base+f, base+end)
	}
	return end
}
