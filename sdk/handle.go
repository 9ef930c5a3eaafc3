package sdk

import "github.com/walkerhost/walkerhost/abi"

// record is a decoded request record (ABI.md "Request record"). Its slices
// alias the input, which stays unchanged while the request is bound.
type record struct {
	kind     byte
	name     []byte
	root     uint32
	here     uint32
	hereType uint32
	fields   []byte  // the field map value
	entries  []entry // its entries, in record order
}

// entry is one key of a record's field map: the offsets in record.fields
// of the key (an untagged string) and of its value.
type entry struct{ key, val int }

// rec is the record being handled; its entries buffer is reused.
var rec record

// decode reads b into r and validates it the way abi.Reader would: a kind
// byte, a name, three u32s, then exactly one map value, whose entries it
// records.
func (r *record) decode(b []byte) bool {
	if len(b) < 5 {
		return false
	}
	i := 5 + int(le32(b, 1))
	if i > len(b)-12 {
		return false
	}
	r.kind, r.name = b[0], b[5:i]
	r.root, r.here, r.hereType = le32(b, i), le32(b, i+4), le32(b, i+8)
	b = b[i+12:]
	r.fields, r.entries = b, r.entries[:0]
	if len(b) == 0 || b[0] != abi.TagMap {
		return false
	}
	n, i := countAt(b, 1, 5)
	for ; n > 0; n-- {
		if i < 0 || len(b)-i < 4 {
			return false
		}
		k := i
		if i += 4 + int(le32(b, i)); i >= len(b) {
			return false
		}
		r.entries = append(r.entries, entry{k, i})
		i = skipElem(b, i, 1)
	}
	return i == len(b)
}

// HandleRecord runs one request record and returns what walker_handle
// returns: the wasip1 export calls it on the input arena, and package
// sdktest calls it natively. A record that does not decode, names an
// unknown walker or function, or lacks a required field is
// StatusBadRequest, a host/guest mismatch; a walker or function that returns
// an error is StatusFailed, and one that panics is StatusPanicked (the host
// then discards the instance). Either way the reason is passed to output as
// a string.
func HandleRecord(b []byte) abi.Status {
	r := &rec
	if !r.decode(b) {
		return badRequest("malformed request record")
	}
	h := reg.lookup(r.kind, r.name)
	if h == nil {
		return badRequest("no walker or function named " + quote(string(r.name)))
	}
	cur.begin(r.root, r.here, r.hereType)
	return h.serve(r)
}

// finish passes a call's result, or its failure, to output.
func finish(out any, err error) abi.Status {
	if err == nil {
		if err = output(out); err == nil {
			return abi.StatusOK
		}
	}
	return failed(err)
}

// failed passes err's message (or an HTTPError's status and message) to
// output: StatusPanicked when err is a
// recovered panic (the walker's, or a spawned walker's it returned), else
// StatusFailed.
func failed(err error) abi.Status {
	_ = output(failure(err))
	if isPanic(err) {
		return abi.StatusPanicked
	}
	return abi.StatusFailed
}

func badRequest(msg string) abi.Status {
	_ = output("sdk: bad request: " + msg)
	return abi.StatusBadRequest
}
