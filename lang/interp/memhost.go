package interp

import (
	"fmt"
	"maps"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/walkerhost/walkerhost/lang/ast"
)

// MemHost is an in-memory Host: one user's graph in maps, output in a
// buffer. It serves tests and tools; it is safe for concurrent use.
type MemHost struct {
	mu      sync.Mutex
	nodes   map[NodeID]*memNode
	edges   map[EdgeID]*EdgeInfo
	adj     map[NodeID][]EdgeID // each node's edges (either end), in creation order
	next    int
	Out     strings.Builder   // everything printed
	Reports []any             // every report, as plain values
	Calls   []string          // service calls, "name(args)"
	KV      map[string]any    // kv.get/kv.set store
	Files   map[string][]byte // store() files by path
}

type memNode struct {
	typ    string
	fields map[string]any
}

// NewMemHost makes an empty graph with its root node "root".
func NewMemHost() *MemHost {
	return &MemHost{nodes: map[NodeID]*memNode{"root": {typ: RootType, fields: map[string]any{}}},
		edges: map[EdgeID]*EdgeInfo{}, adj: map[NodeID][]EdgeID{}, KV: map[string]any{}, Files: map[string][]byte{}}
}

func (h *MemHost) Root() NodeID { return "root" }

func (h *MemHost) Node(id NodeID) (string, map[string]any, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	n, ok := h.nodes[id]
	if !ok {
		return "", nil, &Error{Type: "KeyError", Msg: "no node " + string(id)}
	}
	return n.typ, maps.Clone(n.fields), nil
}

func (h *MemHost) CreateNode(typ string, fields map[string]any) (NodeID, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.next++
	id := NodeID("n" + strconv.Itoa(h.next))
	h.nodes[id] = &memNode{typ: typ, fields: maps.Clone(fields)}
	return id, nil
}

func (h *MemHost) UpdateNode(id NodeID, fields map[string]any) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	n, ok := h.nodes[id]
	if !ok {
		return &Error{Type: "KeyError", Msg: "no node " + string(id)}
	}
	n.fields = maps.Clone(fields)
	return nil
}

func (h *MemHost) DeleteNode(id NodeID) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.nodes, id)
	for _, eid := range h.adj[id] {
		delete(h.edges, eid)
	}
	delete(h.adj, id)
	return nil
}

func (h *MemHost) Connect(src, dst NodeID, typ string, fields map[string]any) (EdgeID, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.nodes[src] == nil || h.nodes[dst] == nil {
		return "", &Error{Type: "RuntimeError", Msg: "connect: no such node"}
	}
	h.next++
	id := EdgeID("e" + strconv.Itoa(h.next))
	h.edges[id] = &EdgeInfo{ID: id, Type: typ, Src: src, Dst: dst, Fields: maps.Clone(fields)}
	h.adj[src] = append(h.adj[src], id)
	if dst != src {
		h.adj[dst] = append(h.adj[dst], id)
	}
	return id, nil
}

func (h *MemHost) Edges(id NodeID, dir ast.Dir, typ string) ([]EdgeInfo, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []EdgeInfo
	live := h.adj[id][:0]
	for _, eid := range h.adj[id] {
		e, ok := h.edges[eid]
		if ok {
			live = append(live, eid)
		}
		if !ok || (typ != "" && e.Type != typ) {
			continue
		}
		if (dir != ast.In && e.Src == id) || (dir != ast.Out && e.Dst == id) {
			c := *e
			c.Fields = maps.Clone(e.Fields)
			out = append(out, c)
		}
	}
	h.adj[id] = live // drop removed edges
	return out, nil
}

func (h *MemHost) UpdateEdge(id EdgeID, fields map[string]any) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if e, ok := h.edges[id]; ok {
		e.Fields = maps.Clone(fields)
	}
	return nil
}

func (h *MemHost) Disconnect(id EdgeID) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.edges, id)
	return nil
}

func (h *MemHost) Report(v any) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.Reports = append(h.Reports, v)
	return nil
}

func (h *MemHost) Print(s string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.Out.WriteString(s)
}

// Call records the call; kv.get/kv.set/kv.delete work on KV, everything
// else answers nil.
func (h *MemHost) Call(name string, args []any, kw map[string]any) (any, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.Calls = append(h.Calls, fmt.Sprintf("%s%v", name, args))
	if strings.HasPrefix(name, "store.") {
		return h.store(strings.TrimPrefix(name, "store."), args)
	}
	switch name {
	case "kv.set":
		if len(args) >= 4 {
			h.KV[fmt.Sprint(args[2])] = args[3]
		}
	case "kv.get":
		if len(args) >= 3 {
			return h.KV[fmt.Sprint(args[2])], nil
		}
	case "kv.find", "kv.scan_keys":
		return []any{}, nil
	case "allroots":
		return []any{NodeRef{ID: "root"}}, nil
	case "kv.delete":
		if len(args) >= 3 {
			_, ok := h.KV[fmt.Sprint(args[2])]
			delete(h.KV, fmt.Sprint(args[2]))
			return ok, nil
		}
	}
	return nil, nil
}

// NodeCount is the number of nodes, the root included.
func (h *MemHost) NodeCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.nodes)
}

// Fields returns a copy of a node's fields.
func (h *MemHost) Fields(id NodeID) map[string]any {
	h.mu.Lock()
	defer h.mu.Unlock()
	if n, ok := h.nodes[id]; ok {
		return maps.Clone(n.fields)
	}
	return nil
}

// store is an in-memory store() with local storage's answers.
func (h *MemHost) store(method string, args []any) (any, error) {
	str := func(i int) string {
		if i < len(args) {
			s, _ := args[i].(string)
			return s
		}
		return ""
	}
	notFound := func(p string) error { return &Error{Type: "FileNotFoundError", Msg: "File not found: " + p} }
	switch method {
	case "upload":
		var data []byte
		switch d := args[0].(type) {
		case []byte:
			data = d
		case string:
			data = []byte(d)
		case *Upload:
			b, err := d.Read()
			if err != nil {
				return nil, err
			}
			data = b
		}
		h.Files[str(1)] = append([]byte(nil), data...)
		return str(1), nil
	case "download":
		d, ok := h.Files[str(0)]
		if !ok {
			return nil, notFound(str(0))
		}
		return append([]byte(nil), d...), nil
	case "exists":
		_, ok := h.Files[str(0)]
		return ok, nil
	case "delete":
		_, ok := h.Files[str(0)]
		delete(h.Files, str(0))
		return ok, nil
	case "get_metadata":
		d, ok := h.Files[str(0)]
		if !ok {
			return nil, notFound(str(0))
		}
		return map[string]any{"path": str(0), "size": int64(len(d)), "name": path.Base(str(0)), "is_dir": false}, nil
	case "copy", "move":
		d, ok := h.Files[str(0)]
		if !ok {
			return nil, notFound(str(0))
		}
		h.Files[str(1)] = d
		if method == "move" {
			delete(h.Files, str(0))
		}
		return true, nil
	case "list_files":
		prefix := strings.TrimSuffix(str(0), "/")
		recursive := len(args) > 1 && args[1] == true
		var out []any
		for p := range h.Files {
			rest, ok := strings.CutPrefix(p, prefix+"/")
			if prefix == "" {
				rest, ok = p, true
			}
			if ok && (recursive || !strings.Contains(rest, "/")) {
				out = append(out, p)
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].(string) < out[j].(string) })
		return out, nil
	}
	return nil, nil
}
