package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/walkerhost/walkerhost/lang/ast"
	"github.com/walkerhost/walkerhost/lang/interp"
	"github.com/walkerhost/walkerhost/sdk"
)

// sdkHost is interp.Host over the SDK: the request's graph through node
// and edge handles, reports, the guest's output, permissions, storage and
// key-value stores. Handles are valid for one request only, so begin
// forgets them when a request starts.
type sdkHost struct {
	nodes map[interp.NodeID]sdk.Node
	edges map[interp.EdgeID]sdk.Edge
	kinds map[string]*sdk.NodeKind
	ekind map[string]*sdk.EdgeKind
	// out collects print() output instead of the log when set (jac run).
	out *strings.Builder
	// serving is set once a request has begun: host functions serve
	// requests only, so initialisation keeps the sandbox's own clock.
	serving bool
}

func newHost() *sdkHost {
	return &sdkHost{nodes: map[interp.NodeID]sdk.Node{}, edges: map[interp.EdgeID]sdk.Edge{},
		kinds: map[string]*sdk.NodeKind{}, ekind: map[string]*sdk.EdgeKind{}}
}

// begin starts a request: handles of earlier requests mean nothing now.
func (h *sdkHost) begin() {
	clear(h.nodes)
	clear(h.edges)
	h.out = nil
	h.serving = true
}

// Now is the wall clock for time.time() and datetime.now(): the host's
// (walker.now) during a request, since the sandbox's own clock is not the
// time of day.
func (h *sdkHost) Now() time.Time {
	if !h.serving {
		return time.Now()
	}
	return time.Unix(0, sdk.Now())
}

func (h *sdkHost) node(id interp.NodeID) (sdk.Node, error) {
	if n, ok := h.nodes[id]; ok {
		return n, nil
	}
	n, err := sdk.NodeByID(string(id))
	if err != nil {
		return n, err
	}
	h.nodes[id] = n
	return n, nil
}

func (h *sdkHost) keep(n sdk.Node) interp.NodeID {
	id := interp.NodeID(n.ID())
	h.nodes[id] = n
	return id
}

func (h *sdkHost) edge(id interp.EdgeID) (sdk.Edge, error) {
	if e, ok := h.edges[id]; ok {
		return e, nil
	}
	e, err := sdk.EdgeByID(string(id))
	if err != nil {
		return e, err
	}
	h.edges[id] = e
	return e, nil
}

func (h *sdkHost) Root() interp.NodeID { return h.keep(sdk.Root()) }

func (h *sdkHost) Node(id interp.NodeID) (string, map[string]any, error) {
	n, err := h.node(id)
	if err != nil {
		return "", nil, err
	}
	fields, err := n.Fields()
	if err != nil {
		return "", nil, err
	}
	typ := ""
	if k := n.Type(); k != nil {
		typ = k.Name()
	}
	return typ, fields, nil
}

func (h *sdkHost) CreateNode(typ string, fields map[string]any) (interp.NodeID, error) {
	k := h.kinds[typ]
	if k == nil {
		return "", fmt.Errorf("node type %s is not declared", typ)
	}
	n, err := k.Create(fields)
	if err != nil {
		return "", err
	}
	return h.keep(n), nil
}

func (h *sdkHost) UpdateNode(id interp.NodeID, fields map[string]any) error {
	n, err := h.node(id)
	if err != nil {
		return err
	}
	return replaceFields(n.Fields, n.Set, fields)
}

// replaceFields sets an object's fields to fields: Set merges, so fields
// that are gone are set to nil, which removes them.
func replaceFields(get func() (map[string]any, error), set func(map[string]any) error, fields map[string]any) error {
	old, err := get()
	if err != nil {
		return err
	}
	upd := make(map[string]any, len(fields))
	for k := range old {
		upd[k] = nil
	}
	for k, v := range fields {
		upd[k] = v
	}
	return set(upd)
}

func (h *sdkHost) DeleteNode(id interp.NodeID) error {
	n, err := h.node(id)
	if err != nil {
		return err
	}
	delete(h.nodes, id)
	return n.Delete()
}

func (h *sdkHost) edgeKind(typ string) *sdk.EdgeKind {
	if typ == interp.GenericEdge || typ == "" {
		return sdk.GenericEdge
	}
	return h.ekind[typ]
}

func (h *sdkHost) Connect(src, dst interp.NodeID, typ string, fields map[string]any) (interp.EdgeID, error) {
	k := h.edgeKind(typ)
	if k == nil {
		return "", fmt.Errorf("edge type %s is not declared", typ)
	}
	s, err := h.node(src)
	if err != nil {
		return "", err
	}
	d, err := h.node(dst)
	if err != nil {
		return "", err
	}
	e, err := s.Connect(d, k, fields)
	if err != nil {
		return "", err
	}
	id := interp.EdgeID(e.ID())
	h.edges[id] = e
	return id, nil
}

func (h *sdkHost) Edges(id interp.NodeID, dir ast.Dir, typ string) ([]interp.EdgeInfo, error) {
	n, err := h.node(id)
	if err != nil {
		return nil, err
	}
	var filters []sdk.Filter
	if typ != "" {
		k := h.edgeKind(typ)
		if k == nil {
			return nil, nil
		}
		filters = append(filters, k)
	}
	d := sdk.DirOut
	switch dir {
	case ast.In:
		d = sdk.DirIn
	case ast.Both:
		d = sdk.DirBoth
	}
	links, err := n.Links(d, filters...)
	if err != nil {
		return nil, err
	}
	out := make([]interp.EdgeInfo, 0, len(links))
	for _, l := range links {
		eid := interp.EdgeID(l.Edge.ID())
		h.edges[eid] = l.Edge
		other := h.keep(l.Node)
		info := interp.EdgeInfo{ID: eid, Type: interp.GenericEdge, Src: id, Dst: other}
		if k := l.Edge.Type(); k != nil && k != sdk.GenericEdge {
			info.Type = k.Name()
		}
		if d == sdk.DirIn || (d == sdk.DirBoth && l.Edge.Dst().ID() == string(id) && l.Edge.Src().ID() != string(id)) {
			info.Src, info.Dst = other, id
		}
		if info.Fields, err = l.Edge.Fields(); err != nil {
			return nil, err
		}
		out = append(out, info)
	}
	return out, nil
}

func (h *sdkHost) UpdateEdge(id interp.EdgeID, fields map[string]any) error {
	e, err := h.edge(id)
	if err != nil {
		return err
	}
	return replaceFields(e.Fields, e.Set, fields)
}

func (h *sdkHost) Disconnect(id interp.EdgeID) error {
	e, err := h.edge(id)
	if err != nil {
		return err
	}
	delete(h.edges, id)
	return e.Delete()
}

// Report sends a value with its nodes and edges as the SDK's references,
// which the host expands as it does for any guest.
func (h *sdkHost) Report(v any) error { return sdk.Report(h.sdkValue(v)) }

// sdkValue turns the node and edge references in v into the SDK's
// handles, and bytes into their Python text; a value without any is sent
// as it is, uncopied.
func (h *sdkHost) sdkValue(v any) any {
	if !needsConversion(v) {
		return v
	}
	return h.withHandles(v)
}

// needsConversion tells whether v holds a node or edge reference or
// bytes, which the walker ABI has no encoding for.
func needsConversion(v any) bool {
	switch x := v.(type) {
	case interp.NodeRef, interp.EdgeRef, []byte:
		return true
	case []any:
		for _, e := range x {
			if needsConversion(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if needsConversion(e) {
				return true
			}
		}
	}
	return false
}

func (h *sdkHost) withHandles(v any) any {
	switch x := v.(type) {
	case []byte:
		return interp.BytesText(x)
	case interp.NodeRef:
		if n, err := h.node(x.ID); err == nil {
			return n
		}
		return string(x.ID)
	case interp.EdgeRef:
		if e, err := h.edge(x.ID); err == nil {
			return e
		}
		return string(x.ID)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = h.withHandles(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = h.withHandles(e)
		}
		return out
	}
	return v
}

// Print writes to the guest's stdout, which the host keeps in the call's
// log, or to out when a run collects it.
func (h *sdkHost) Print(s string) {
	if h.out != nil {
		h.out.WriteString(s)
		return
	}
	os.Stdout.WriteString(s)
}

var errArgs = errors.New("wrong arguments")

func (h *sdkHost) Call(name string, args []any, kw map[string]any) (any, error) {
	arg := func(i int, key string) any {
		if i < len(args) {
			return args[i]
		}
		return kw[key]
	}
	switch {
	case strings.HasPrefix(name, "store."):
		return h.storeCall(strings.TrimPrefix(name, "store."), arg)
	case strings.HasPrefix(name, "kv."):
		if len(args) < 2 {
			return nil, errArgs
		}
		db, _ := args[0].(string)
		typ, _ := args[1].(string)
		if typ == "" {
			typ = string(sdk.MongoDB)
		}
		kv := sdk.KVStore(db, sdk.KVKind(strings.ToLower(typ)))
		rest := args[2:]
		return kvCall(kv, strings.TrimPrefix(name, "kv."), func(i int, key string) any {
			if i < len(rest) {
				return rest[i]
			}
			return kw[key]
		})
	}
	switch name {
	case "commit":
		return nil, nil
	case "jid":
		if r, ok := arg(0, "obj").(interp.NodeRef); ok {
			return string(r.ID), nil
		}
		return nil, errArgs
	case "perm_grant", "perm_revoke", "allow_root", "disallow_root":
		r, ok := arg(0, "obj").(interp.NodeRef)
		if !ok {
			return nil, fmt.Errorf("%s needs a node", name)
		}
		n, err := h.node(r.ID)
		if err != nil {
			return nil, err
		}
		switch name {
		case "perm_grant":
			return nil, n.Grant(level(arg(1, "level"), sdk.Read))
		case "perm_revoke":
			return nil, n.Revoke()
		case "allow_root":
			root, _ := arg(1, "root_id").(string)
			return nil, n.AllowRoot(root, level(arg(2, "level"), sdk.Read))
		default:
			root, _ := arg(1, "root_id").(string)
			return nil, n.DisallowRoot(root)
		}
	}
	return nil, fmt.Errorf("%s is not available in the sandbox", name)
}

func level(v any, def sdk.PermLevel) sdk.PermLevel {
	switch v {
	case "NO_ACCESS":
		return sdk.NoAccess
	case "READ":
		return sdk.Read
	case "CONNECT":
		return sdk.Connect
	case "WRITE":
		return sdk.Write
	}
	return def
}
