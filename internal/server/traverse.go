package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/fields"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/web"
)

// TraverseLimits bound a /traverse answer so that a huge graph cannot take
// the host down; zero values take the defaults.
type TraverseLimits struct {
	MaxDepth int // 10 when zero
	MaxNodes int // 1000 when zero
}

func (l TraverseLimits) withDefaults() TraverseLimits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = 10
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = 1000
	}
	return l
}

// traverseQuery is the input of /traverse (docs/API.md "Traversal").
type traverseQuery struct {
	Source    string   `json:"source"`
	Depth     *int     `json:"depth"`
	Detailed  bool     `json:"detailed"`
	NodeTypes []string `json:"node_types"`
	EdgeTypes []string `json:"edge_types"`
}

type traverseNode struct {
	ID     string         `json:"id"`
	Type   string         `json:"type"`
	Edges  []string       `json:"edges"`
	Fields map[string]any `json:"fields,omitempty"`
}

type traverseEdge struct {
	ID     string         `json:"id"`
	Type   string         `json:"type"`
	Source string         `json:"source"`
	Target string         `json:"target"`
	Fields map[string]any `json:"fields,omitempty"`
}

type traverseResult struct {
	Nodes     []traverseNode `json:"nodes"`
	Edges     []traverseEdge `json:"edges"`
	Truncated string         `json:"truncated,omitempty"` // the cap reached, if any
}

// traverse answers /traverse: a breadth-first walk along outgoing edges
// from the source, showing only what the caller may READ.
func (s *Server) traverse(ctx *fasthttp.RequestCtx) error {
	root, err := s.caller(ctx, "protected")
	if err != nil {
		return err
	}
	q, bad := readTraverseQuery(ctx)
	if bad != nil {
		return invalidFields("traverse input is invalid", []fields.Error{*bad})
	}
	tx := s.graph.Begin(s.app, graph.Caller{Root: root})
	defer tx.Rollback()
	start := root
	if q.Source != "" {
		var err error
		if start, err = graph.ParseID(q.Source); err != nil {
			return web.NewError(fasthttp.StatusNotFound, CodeNotFound, "source "+q.Source+" not found", nil)
		}
	}
	res, err := s.walkGraph(tx, start, q)
	if err != nil {
		return err
	}
	return web.RespondValue(ctx, fasthttp.StatusOK, res)
}

// walkGraph collects the nodes within q.Depth hops of start (an edge as
// source starts at its target) and the edges between them.
func (s *Server) walkGraph(tx *graph.Tx, start graph.ID, q traverseQuery) (*traverseResult, error) {
	lim := s.traverseLimits
	obj, err := tx.Get(start)
	if err != nil {
		return nil, err
	}
	res := &traverseResult{Nodes: []traverseNode{}, Edges: []traverseEdge{}}
	if !obj.IsNode() {
		res.Edges = append(res.Edges, edgeView(obj, q.Detailed))
		if obj, err = tx.Get(obj.Dst); err != nil {
			return nil, err
		}
	}
	depth := lim.MaxDepth
	if q.Depth != nil && *q.Depth < depth {
		depth = max(*q.Depth, 0)
	} else if q.Depth != nil && *q.Depth > depth {
		res.Truncated = "max_depth"
	}
	seen := map[graph.ID]bool{obj.ID: true}
	frontier := []*graph.Object{obj}
	res.Nodes = append(res.Nodes, nodeView(obj, q.Detailed))
	for level := 0; level < depth && len(frontier) > 0; level++ {
		var next []*graph.Object
		for _, n := range frontier {
			hits, err := tx.Edges(n.ID, graph.Out, graph.AnyType, graph.AnyType)
			if err != nil {
				return nil, err
			}
			for _, h := range hits {
				if !typeAllowed(q.EdgeTypes, h.Edge.Type) || !typeAllowed(q.NodeTypes, h.Node.Type) {
					continue
				}
				if seen[h.Node.ID] {
					continue
				}
				if len(res.Nodes) >= lim.MaxNodes {
					res.Truncated = "max_nodes"
					return res, nil
				}
				seen[h.Node.ID] = true
				res.Edges = append(res.Edges, edgeView(h.Edge, q.Detailed))
				res.Nodes = append(res.Nodes, nodeView(h.Node, q.Detailed))
				next = append(next, h.Node)
			}
		}
		frontier = next
	}
	linkEdges(res)
	return res, nil
}

// linkEdges lists, on each node, the ids of the answer's edges leaving it.
func linkEdges(res *traverseResult) {
	at := make(map[string]int, len(res.Nodes))
	for i, n := range res.Nodes {
		at[n.ID] = i
	}
	for _, e := range res.Edges {
		if i, ok := at[e.Source]; ok {
			res.Nodes[i].Edges = append(res.Nodes[i].Edges, e.ID)
		}
	}
}

func nodeView(o *graph.Object, detailed bool) traverseNode {
	v := traverseNode{ID: o.ID.String(), Type: o.Type, Edges: []string{}}
	if detailed {
		v.Fields = nonNil(o.Fields)
	}
	return v
}

func edgeView(o *graph.Object, detailed bool) traverseEdge {
	v := traverseEdge{ID: o.ID.String(), Type: edgeTypeName(o.Type), Source: o.Src.String(), Target: o.Dst.String()}
	if detailed {
		v.Fields = nonNil(o.Fields)
	}
	return v
}

func edgeTypeName(t string) string {
	if t == "" {
		return "GenericEdge"
	}
	return t
}

func nonNil(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func typeAllowed(allowed []string, typ string) bool {
	if len(allowed) == 0 {
		return true
	}
	for _, a := range allowed {
		if a == typ || (typ == "" && a == "GenericEdge") {
			return true
		}
	}
	return false
}

// readTraverseQuery reads the JSON body (POST) or the query string (GET);
// invalid input is one FastAPI-style validation issue.
func readTraverseQuery(ctx *fasthttp.RequestCtx) (traverseQuery, *fields.Error) {
	var q traverseQuery
	if body := bytes.TrimSpace(ctx.PostBody()); len(body) > 0 {
		if err := json.Unmarshal(body, &q); err != nil {
			return q, traverseBodyError(err)
		}
		return q, nil
	}
	args := ctx.QueryArgs()
	q.Source = string(args.Peek("source"))
	if d := args.Peek("depth"); len(d) > 0 {
		n, err := strconv.Atoi(string(d))
		if err != nil {
			return q, &fields.Error{Loc: []any{"query", "depth"}, Type: "int_parsing",
				Msg: "Input should be a valid integer, unable to parse string as an integer"}
		}
		q.Depth = &n
	}
	q.Detailed = args.GetBool("detailed")
	q.NodeTypes = splitList(string(args.Peek("node_types")))
	q.EdgeTypes = splitList(string(args.Peek("edge_types")))
	return q, nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// kindNames name the Go kinds of traverseQuery's fields as FastAPI does.
// (type prefix, word in the message).
var kindNames = map[reflect.Kind][2]string{
	reflect.String: {"string", "string"}, reflect.Int: {"int", "integer"},
	reflect.Bool: {"bool", "boolean"}, reflect.Slice: {"list", "list"},
}

// traverseBodyError locates a JSON body that does not decode into a
// traverseQuery: a field of the wrong type, or the body itself.
func traverseBodyError(err error) *fields.Error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		want := kindNames[te.Type.Kind()]
		return &fields.Error{Loc: []any{"body", strings.SplitN(te.Field, ".", 2)[0]}, Type: want[0] + "_type",
			Msg: "Input should be a valid " + want[1]}
	}
	if errors.As(err, &te) {
		return &fields.Error{Loc: []any{"body"}, Type: "model_attributes_type",
			Msg: "Input should be a valid dictionary or object to extract fields from"}
	}
	return &fields.Error{Loc: []any{"body"}, Type: "json_invalid", Msg: "JSON decode error"}
}
