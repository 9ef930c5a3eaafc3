package sdk

import "github.com/walkerhost/walkerhost/abi"

// request is the state of the request being handled. An instance serves one
// request at a time, so it is a package variable (cur) reset per request.
type request struct {
	serial uint64             // distinguishes requests, for stale errors
	root   uint32             // handle of the caller's root
	errnos uint64             // errnos returned so far in this request
	objs   map[uint32]*object // what the SDK knows of each handle
}

var cur = request{objs: make(map[uint32]*object)}

// begin starts a request spawned on here (of type hereType) for root.
func (r *request) begin(root, here, hereType uint32) {
	r.serial++
	r.root = root
	r.errnos = 0
	clear(r.objs)
	r.obj(root).setNode(abi.TypeRoot)
	if here != root {
		r.obj(here).setNode(hereType)
	}
	if cap(scratch) > maxKeep {
		scratch = make([]byte, 4096)
	}
}

// obj returns the cache entry for handle h, creating an empty one.
func (r *request) obj(h uint32) *object {
	o := r.objs[h]
	if o == nil {
		o = new(object)
		r.objs[h] = o
	}
	return o
}

// load returns h's entry with its id and fields, reading the object from
// the host unless a previous call already brought them.
func (r *request) load(h uint32) (*object, error) {
	o := r.obj(h)
	if o.data && (o.kind != abi.ObjEdge || o.ends) {
		return o, nil
	}
	b, err := callVar(abi.FuncObjRead, func(buf []byte) int32 { return hostObjRead(h, buf) })
	if err != nil {
		return o, err
	}
	return o, o.decode(b)
}
