package tiered

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
)

// seqBucket is the internal bucket holding each bucket's NextSequence
// counter, keyed by bucket name. No app is named "", so it cannot clash.
const seqBucket = "/seq"

// bucketName names the (app, kind) bucket; '/' never appears in either.
func bucketName(app, kind string) string { return app + "/" + kind }

// collectionOf is the MongoDB collection of a bucket.
func collectionOf(bucket string) string {
	if bucket == seqBucket {
		return "seq"
	}
	return "kv/" + bucket
}

// docID is a key's document _id: its bytes in lowercase hex, which keeps
// byte order and is a string, as MongoDB _id lookups want.
func docID(key []byte) string { return hex.EncodeToString(key) }

// prefixRange returns the _id range [lo, hi) of the keys starting with
// prefix: 'g' sorts after every hex digit.
func prefixRange(prefix []byte) (lo, hi string) {
	lo = docID(prefix)
	return lo, lo + "g"
}

// recordID is the _id of commit record seq: fixed-width hex, so that string
// order is numeric order.
func recordID(seq uint64) string { return fmt.Sprintf("%016x", seq) }

// op is one write of a commit: a put of val, or a delete.
type op struct {
	bucket string
	key    []byte
	val    []byte // nil for a delete
	del    bool
}

// appendOps encodes ops: a count, then per op the bucket, the key, a flag
// (0 delete, 1 put) and for a put the value, each length-prefixed.
func appendOps(b []byte, ops []op) []byte {
	b = binary.AppendUvarint(b, uint64(len(ops)))
	for _, o := range ops {
		b = appendBytes(b, []byte(o.bucket))
		b = appendBytes(b, o.key)
		if o.del {
			b = append(b, 0)
			continue
		}
		b = append(b, 1)
		b = appendBytes(b, o.val)
	}
	return b
}

// decodeOps is the inverse of appendOps. It never panics on bad input.
func decodeOps(b []byte) ([]op, error) {
	r := reader{b: b}
	n := r.uvarint()
	if n > uint64(len(b)) { // every op takes at least one byte
		return nil, fmt.Errorf("%w: %d ops in %d bytes", ErrCorrupt, n, len(b))
	}
	ops := make([]op, 0, n)
	for range n {
		o := op{bucket: string(r.bytes()), key: r.bytes()}
		switch r.byte() {
		case 0:
			o.del = true
		case 1:
			o.val = r.bytes()
			if o.val == nil {
				o.val = []byte{}
			}
		default:
			r.fail()
		}
		ops = append(ops, o)
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, fmt.Errorf("%w: commit ops", ErrCorrupt)
	}
	return ops, nil
}

// appendKeys encodes the (bucket, key) pairs of an invalidation message.
func appendKeys(b []byte, ops []op) []byte {
	for _, o := range ops {
		b = appendBytes(b, []byte(o.bucket))
		b = appendBytes(b, o.key)
	}
	return b
}

// decodeKeys calls fn for each pair appendKeys encoded.
func decodeKeys(b []byte, fn func(bucket string, key []byte)) error {
	r := reader{b: b}
	for len(r.b) > 0 && r.err == nil {
		bucket, key := r.bytes(), r.bytes()
		if r.err == nil {
			fn(string(bucket), key)
		}
	}
	if r.err != nil {
		return fmt.Errorf("%w: invalidation keys", ErrCorrupt)
	}
	return nil
}

// L2 values: 16 hex digits of the commit sequence that wrote the value (0
// for a value read from MongoDB whose version is unknown), a state byte,
// then the value. Hex keeps the sequence comparable in Redis scripts.
const (
	l2Absent  = '0' // the key does not exist
	l2Present = '1' // the value follows
	l2Stub    = '2' // too large to cache: read MongoDB
	l2Header  = 17
)

// encodeL2 encodes a value cached in Redis.
func encodeL2(seq uint64, state byte, val []byte) []byte {
	b := make([]byte, 0, l2Header+len(val))
	b = fmt.Appendf(b, "%016x", seq)
	b = append(b, state)
	return append(b, val...)
}

// decodeL2 is the inverse of encodeL2.
func decodeL2(b []byte) (seq uint64, state byte, val []byte, err error) {
	if len(b) < l2Header {
		return 0, 0, nil, fmt.Errorf("%w: cached value of %d bytes", ErrCorrupt, len(b))
	}
	seq, err = strconv.ParseUint(string(b[:16]), 16, 64)
	state = b[16]
	if err != nil || state != l2Absent && state != l2Present && state != l2Stub {
		return 0, 0, nil, fmt.Errorf("%w: cached value header %q", ErrCorrupt, b[:l2Header])
	}
	return seq, state, b[l2Header:], nil
}

func appendBytes(b, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

// reader decodes length-prefixed fields with a sticky error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail() { r.err, r.b = ErrCorrupt, nil }

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 || n != len(binary.AppendUvarint(nil, v)) { // only the shortest form
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0xff
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) bytes() []byte {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.fail()
		return nil
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v
}
