package sdk

import "github.com/walkerhost/walkerhost/abi"

// request is the state of the request being handled. An instance serves one
// request at a time, so it is a package variable (cur) reset per request.
type request struct {
	serial uint64 // distinguishes requests, for stale errors
	root   uint32 // handle of the caller's root
	errnos uint64 // errnos returned so far in this request

	// What the SDK knows of each handle. The host issues handles from 1
	// upwards, so entries live in pages indexed by handle, kept across
	// requests: looking one up neither hashes nor allocates, and a pointer
	// to an entry stays valid while more pages are added. Handles from
	// maxDense on, which few requests reach, go to a map.
	pages []*page // allocated in order, as handles reach them
	hi    uint32  // highest dense handle with an entry this request
	big   map[uint32]*object

	// arena holds copies of the host results that entries point into (ids
	// and encoded fields, decoded on first use). Reused across requests.
	arena []byte
}

const (
	pageBits = 7
	pageSize = 1 << pageBits
	maxDense = 1 << 16
)

type page [pageSize]object

var cur request

// begin starts a request spawned on here (of type hereType) for root.
func (r *request) begin(root, here, hereType uint32) {
	r.serial++
	r.root = root
	r.errnos = 0
	r.reset()
	r.obj(root).setNode(abi.TypeRoot)
	if here != root {
		r.obj(here).setNode(hereType)
	}
	if cap(scratch) > maxKeep {
		scratch = make([]byte, 4096)
	}
	r.arena = keep(r.arena)
	resetEncoder()
	visits.depth = 0
}

// reset forgets the previous request's entries: those up to hi.
func (r *request) reset() {
	if r.hi < pageSize && len(r.pages) > 0 {
		clear(r.pages[0][:r.hi+1])
	} else {
		r.resetPages()
	}
	r.hi = 0
	if len(r.big) > 0 {
		clear(r.big)
	}
}

func (r *request) resetPages() {
	last := int(r.hi >> pageBits)
	for p := 0; p <= last && p < len(r.pages); p++ {
		n := pageSize
		if p == last {
			n = int(r.hi&(pageSize-1)) + 1
		}
		clear(r.pages[p][:n])
	}
}

// obj returns the entry for handle h, creating an empty one.
func (r *request) obj(h uint32) *object {
	if o := r.dense(h); o != nil {
		return o
	}
	return r.newObj(h)
}

// dense is obj's fast path, which the compiler inlines: the entry for h if
// its page exists, else nil. Hot loops call it and newObj themselves.
func (r *request) dense(h uint32) *object {
	if p := h >> pageBits; p < uint32(len(r.pages)) {
		r.hi = max(r.hi, h)
		return &r.pages[p][h&(pageSize-1)]
	}
	return nil
}

// newObj is obj for a handle without a page yet, or beyond maxDense.
func (r *request) newObj(h uint32) *object {
	if h >= maxDense {
		return r.bigObj(h)
	}
	for len(r.pages) <= int(h>>pageBits) {
		r.pages = append(r.pages, new(page))
	}
	return r.obj(h)
}

func (r *request) bigObj(h uint32) *object {
	o := r.big[h]
	if o == nil {
		if r.big == nil {
			r.big = make(map[uint32]*object)
		}
		o = new(object)
		r.big[h] = o
	}
	return o
}

// known returns h's entry if the request has one with data, else nil.
func (r *request) known(h uint32) *object {
	var o *object
	if h >= maxDense {
		o = r.big[h]
	} else if p := int(h >> pageBits); p < len(r.pages) {
		o = &r.pages[p][h&(pageSize-1)]
	}
	if o == nil || !o.data {
		return nil
	}
	return o
}

// forget drops h's entry, after the object was deleted.
func (r *request) forget(h uint32) {
	if h >= maxDense {
		delete(r.big, h)
		return
	}
	if p := int(h >> pageBits); p < len(r.pages) {
		r.pages[p][h&(pageSize-1)] = object{}
	}
}

// load returns h's entry with its id and fields, reading the object from
// the host unless a previous call already brought them.
func (r *request) load(h uint32) (*object, error) {
	o := r.obj(h)
	if o.data && (o.kind != abi.ObjEdge || o.ends) {
		return o, nil
	}
	b, err := varResult(abi.FuncObjRead, hostObjRead(h, scratch))
	if err != nil {
		return o, err
	}
	return o, o.decode(b)
}

// stash copies a host result into the arena, where entries keep offsets
// until the request ends, and returns the copy's offset.
func (r *request) stash(b []byte) int {
	n := len(r.arena)
	if len(b) > maxArena-n {
		panic("sdk: host results exceed 4 GiB in one request")
	}
	r.arena = append(r.arena, b...)
	return n
}

// maxArena bounds the host results one request keeps, so that offsets fit
// in an object's uint32 fields.
const maxArena = 1<<32 - 1
