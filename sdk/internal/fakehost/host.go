// Package fakehost is an in-memory walker host that serves the ABI's host
// functions to the SDK in native (non-wasip1) builds. It follows ABI.md's
// rules for handles, variable-size results, errnos and error_take, but has
// no permissions (it records what the permission calls set, see ACL) and no
// limits, and its storage and key-value stores are maps: it exists so that
// the SDK and guests can be tested with go test. Package sdktest wraps it
// for guest authors.
package fakehost

import (
	"slices"
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

	// ACL is what the permission calls set; the fake host records it but
	// enforces nothing.
	ACL ACL

	epoch  uint64 // the request in which handle was issued
	handle uint32
	enc    []byte // Fields encoded, nil until needed; Fields must change only through the Host
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

	handles []*Object         // handle → object; index 0 unused
	epoch   uint64            // counts requests
	gone    map[string]uint32 // handles of objects deleted in this request
	pending []byte
	lastErr string
	hasErr  bool

	// ErrorTaken says whether the guest took the last errno's message with
	// error_take, which marks the error as handled.
	ErrorTaken bool

	Reports [][]byte // each report's value, this request
	Result  []byte   // the last output value, this request
	Logs    []string // "level: message" lines, this request

	// Discard makes Report and Output check each value's encoding and drop
	// it, without decoding or copying it; Discarded counts the reports
	// dropped this request. Benchmarks use it so that the host's work
	// does not hide the SDK's.
	Discard   bool
	Discarded int

	// DenyPerms makes the permission calls fail with ErrDenied, as the real
	// host does for a caller without WRITE.
	DenyPerms bool

	// Uploads are this request's files (upload_read, StoreUpload of an
	// upload id).
	Uploads []Upload
	// KVURIs are the URIs kv_call accepts besides the default ("").
	KVURIs []string

	files map[string]*storedFile // the storage, by clean path
	kv    map[string]*kvStore    // key-value stores, by kind and name

	out  []byte   // results being built, reused
	keys []string // map keys being sorted, reused
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
	h := &Host{NodeTypes: nodeTypes, EdgeTypes: edgeTypes, objs: map[string]*Object{}, gone: map[string]uint32{}}
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
	h.epoch++
	clear(h.gone)
	h.pending, h.lastErr, h.hasErr, h.ErrorTaken = nil, "", false, false
	h.Reports, h.Result, h.Logs, h.Discarded = nil, nil, nil, 0
	h.Uploads = nil
}

// Issue returns the handle of the object with id in this request (the same
// handle each time), or 0 if there is no such object.
func (h *Host) Issue(id string) uint32 {
	if o := h.objs[id]; o != nil {
		return h.issue(o)
	}
	return h.gone[id]
}

// issue returns o's handle in this request, issuing one if it has none.
func (h *Host) issue(o *Object) uint32 {
	if o.epoch != h.epoch {
		h.handles = append(h.handles, o)
		o.epoch, o.handle = h.epoch, uint32(len(h.handles)-1)
	}
	return o.handle
}

// remove deletes o from the graph; a handle it was issued in this request
// still names it, for Issue.
func (h *Host) remove(o *Object) {
	if o.epoch == h.epoch {
		h.gone[o.ID] = o.handle
	}
	delete(h.objs, o.ID)
}

// encoded returns o's fields encoded as a map value, encoding them once.
func (h *Host) encoded(o *Object) []byte {
	if o.enc == nil {
		o.enc = h.appendFields(nil, o.Fields)
	}
	return o.enc
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

// appendFields appends a field map with its keys in sorted order, as
// abi.AppendMap does, sorting in a reused buffer.
func (h *Host) appendFields(b []byte, m map[string]any) []byte {
	keys := h.keys[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = abi.AppendMapHeader(b, len(keys))
	for _, k := range keys {
		b, _ = abi.AppendValue(abi.AppendStr(b, k), m[k])
	}
	clear(keys)
	h.keys = keys[:0]
	return b
}

// result follows the variable-size rule: write data into buf when it fits,
// else keep it pending; return its length either way. data may be h.out:
// the next call that produces a result drops the pending one anyway.
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
