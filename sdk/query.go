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
type Filter interface{ narrow(q *query) }

func (k *EdgeKind) narrow(q *query) { q.etype = int32(k.id) }
func (k *NodeKind) narrow(q *query) { q.ntype = int32(k.id) }

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
	links, err := n.query(dir, abi.QueryNodeData, filters)
	nodes := make([]Node, len(links))
	for i, l := range links {
		nodes[i] = l.Node
	}
	return nodes, err
}

// Links returns the edges in direction dir with their neighbours, both with
// their fields.
func (n Node) Links(dir Dir, filters ...Filter) ([]Link, error) {
	return n.query(dir, abi.QueryNodeData|abi.QueryEdgeData, filters)
}

func (n Node) query(dir Dir, flags int32, filters []Filter) ([]Link, error) {
	q := query{dir: int32(dir), etype: abi.TypeAny, ntype: abi.TypeAny, flags: flags}
	for _, f := range filters {
		f.narrow(&q)
	}
	b, err := callVar(abi.FuncEdgeQuery, func(buf []byte) int32 {
		return hostEdgeQuery(n.h, q.dir, q.etype, q.ntype, q.flags, buf)
	})
	if err != nil {
		return nil, err
	}
	return q.decode(n.h, b)
}

// decode reads a query record (ABI.md "Query record") into links and the
// handle cache.
func (q *query) decode(from uint32, b []byte) ([]Link, error) {
	rd.Reset(b)
	count := rd.U32()
	if uint64(count)*16 > uint64(rd.Len()) {
		return nil, errMalformed(abi.FuncEdgeQuery)
	}
	links := make([]Link, 0, count)
	for i := uint32(0); i < count; i++ {
		l, ok := q.hit(from)
		if !ok {
			return nil, errMalformed(abi.FuncEdgeQuery)
		}
		links = append(links, l)
	}
	if rd.Done() != nil {
		return nil, errMalformed(abi.FuncEdgeQuery)
	}
	return links, nil
}

func (q *query) hit(from uint32) (Link, bool) {
	eh, et, nh, nt := rd.U32(), rd.U32(), rd.U32(), rd.U32()
	e, n := cur.obj(eh), cur.obj(nh)
	e.setEdge(et)
	n.setNode(nt)
	ok := true
	if q.flags&abi.QueryNodeData != 0 {
		ok = readData(n)
	}
	if q.flags&abi.QueryEdgeData != 0 && ok {
		ok = readData(e)
	}
	switch q.dir {
	case abi.DirOut:
		e.src, e.dst, e.ends = from, nh, true
	case abi.DirIn:
		e.src, e.dst, e.ends = nh, from, true
	}
	return Link{Edge{ref{eh}}, Node{ref{nh}}}, ok && rd.Err() == nil
}

// readData reads an id and a field map into o.
func readData(o *object) bool {
	id := rd.Str()
	fields, ok := readMap(&rd)
	if ok {
		o.setData(id, fields)
	}
	return ok
}
