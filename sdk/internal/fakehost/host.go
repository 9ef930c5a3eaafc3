// Package fakehost is an in-memory walker host that serves the ABI's host
// functions to the SDK in native (non-wasip1) builds. It follows ABI.md's
// rules for handles, variable-size results, errnos and error_take, but has
// no permissions and no limits: it exists so that the SDK and guests can be
// tested with go test. Package sdktest wraps it for guest authors.
package fakehost

import (
	"strconv"
	"time"

	"github.com/walkerhost/walkerhost/abi"
)

// Object is a node or an edge of the fake graph.
type Object struct {
	ID     string
	Kind   byte   // abi.ObjNode or abi.ObjEdge
	Type   uint32 // type id; 0 is Root for nodes, the generic edge for edges
	Fields map[string]any
	Src    string // edges: the node ids they connect
	Dst    string
}

// Host is the fake host: a graph that outlives requests, and the state of
// the current request (handles, pending result, last error, what the guest
// reported).
type Host struct {
	NodeTypes int          // declared node types, ids 1..NodeTypes
	EdgeTypes int          // declared edge types, ids 1..EdgeTypes
	Clock     func() int64 // the now import; wall clock when nil

	objs  map[string]*Object
	edges []*Object // in creation order, deleted ones removed
	seq   uint64

	handles []*Object // handle → object; index 0 unused
	byID    map[string]uint32
	pending []byte
	lastErr string
	hasErr  bool

	// ErrorTaken says whether the guest took the last errno's message with
	// error_take, which marks the error as handled.
	ErrorTaken bool

	Reports [][]byte // each report's value, this request
	Result  []byte   // the last output value, this request
	Logs    []string // "level: message" lines, this request
}

var active *Host

// Use makes h the host the SDK's stub imports call.
func Use(h *Host) { active = h }

// Active returns the host in use, making an empty one when none is.
func Active() *Host {
	if active == nil {
		active = New(0, 0)
	}
	return active
}

// New returns an empty host for a module with the given numbers of declared
// node and edge types.
func New(nodeTypes, edgeTypes int) *Host {
	h := &Host{NodeTypes: nodeTypes, EdgeTypes: edgeTypes, objs: map[string]*Object{}}
	h.Begin()
	return h
}

// NewRoot creates a root node (type 0) and returns its id.
func (h *Host) NewRoot() string {
	o := &Object{ID: h.newID(), Kind: abi.ObjNode, Type: abi.TypeRoot, Fields: map[string]any{}}
	h.objs[o.ID] = o
	return o.ID
}

// Begin starts a request: handles, the pending result, the last error and
// the captured output are cleared.
func (h *Host) Begin() {
	h.handles = h.handles[:0]
	h.handles = append(h.handles, nil)
	h.byID = map[string]uint32{}
	h.pending, h.lastErr, h.hasErr, h.ErrorTaken = nil, "", false, false
	h.Reports, h.Result, h.Logs = nil, nil, nil
}

// Issue returns the handle of the object with id in this request (the same
// handle each time), or 0 if there is no such object.
func (h *Host) Issue(id string) uint32 {
	if n, ok := h.byID[id]; ok {
		return n
	}
	o := h.objs[id]
	if o == nil {
		return 0
	}
	h.handles = append(h.handles, o)
	n := uint32(len(h.handles) - 1)
	h.byID[id] = n
	return n
}

// Resolve returns the object a handle names, or nil.
func (h *Host) Resolve(n uint32) *Object {
	if n == 0 || int(n) >= len(h.handles) {
		return nil
	}
	return h.handles[n]
}

// Object returns the object with id, or nil.
func (h *Host) Object(id string) *Object { return h.objs[id] }

// newID makes a UUID-shaped id from a counter, so that ids look like the
// real host's and sort by creation.
func (h *Host) newID() string {
	h.seq++
	s := strconv.FormatUint(h.seq, 16)
	for len(s) < 12 {
		s = "0" + s
	}
	return "00000000-0000-4000-8000-" + s
}

// fail records msg as the message of errno e and returns e.
func (h *Host) fail(e abi.Errno, msg string) int32 {
	h.lastErr, h.hasErr, h.ErrorTaken = msg, true, false
	return int32(e)
}

// result follows the variable-size rule: write data into buf when it fits,
// else keep it pending; return its length either way.
func (h *Host) result(data, buf []byte) int32 {
	h.pending = nil
	if len(data) <= len(buf) {
		copy(buf, data)
	} else {
		h.pending = data
	}
	return int32(len(data))
}

func (h *Host) now() int64 {
	if h.Clock != nil {
		return h.Clock()
	}
	return time.Now().UnixMilli() * int64(time.Millisecond)
}
