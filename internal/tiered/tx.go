package tiered

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/walkerhost/walkerhost/host/store"
)

// tx is a transaction: reads go L1 → L2 → L3, writes are buffered until
// Update commits them.
type tx struct {
	s        *Store
	writable bool
	err      error // the first read that failed; View and Update return it
	l1       int8  // 0: not decided, 1: L1 may be served, -1: it may not
	buckets  map[string]*bucket
	known    map[string]bool // keys read as present, by cacheKey
}

func newTx(s *Store, writable bool) *tx {
	t := &tx{s: s, writable: writable, buckets: map[string]*bucket{}}
	if writable {
		t.known = map[string]bool{}
	}
	return t
}

func (t *tx) Writable() bool { return t.writable }

func (t *tx) Bucket(app, kind string) (store.BackendBucket, error) {
	return t.bucket(bucketName(app, kind)), nil
}

func (t *tx) bucket(name string) *bucket {
	b := t.buckets[name]
	if b == nil {
		b = &bucket{t: t, name: name, writes: map[string]write{}}
		t.buckets[name] = b
	}
	return b
}

func (t *tx) fail(err error) {
	if t.err == nil {
		t.err = err
	}
}

// useL1 reports whether the transaction may serve reads from L1: only after
// the invalidation stream was read, once, after the transaction began.
// Without Redis this host is the only writer and L1 is always current.
func (t *tx) useL1() bool {
	if t.l1 == 0 {
		t.l1 = 1
		if t.s.sync != nil && (!t.s.l2.up() || t.s.sync.wait() != nil) {
			t.l1 = -1
		}
	}
	return t.l1 == 1
}

// read returns the committed value of key in bucket.
func (t *tx) read(bucket string, key []byte) ([]byte, bool) {
	s := t.s
	ck := cacheKey(bucket, key)
	useL1 := t.useL1()
	if useL1 {
		if it, ok := s.l1.get(ck); ok {
			s.stats.l1Hits.Add(1)
			return it.val, it.present
		}
		s.stats.l1Misses.Add(1)
	}
	tok := s.l1.token(ck)
	val, seq, present, err := s.readThrough(bucket, key)
	if err != nil {
		t.fail(err)
		return nil, false
	}
	if useL1 {
		s.l1.fill(ck, l1Item{val: val, seq: seq, present: present, at: time.Now()}, tok)
	}
	return val, present
}

// readThrough reads key from Redis, else from MongoDB, caching what MongoDB
// answered in Redis.
func (s *Store) readThrough(bucket string, key []byte) ([]byte, uint64, bool, error) {
	fill := false
	if s.l2 != nil && s.l2.up() {
		seq, state, val, ok, err := s.l2.get(bucket, key)
		if ok && state != l2Stub {
			s.stats.l2Hits.Add(1)
			return val, seq, state == l2Present, nil
		}
		s.stats.l2Misses.Add(1)
		fill = err == nil && !ok
	}
	s.stats.l3Reads.Add(1)
	val, seq, present, err := s.l3.get(bucket, key)
	if err != nil {
		return nil, 0, false, err
	}
	if fill {
		_ = s.l2.fill(bucket, key, seq, present, val)
	}
	return val, seq, present, nil
}

// scan returns the committed keys of bucket under prefix, in order.
func (t *tx) scan(bucket string, prefix []byte) ([]kv, error) {
	s := t.s
	useL1 := t.useL1()
	if useL1 {
		if kvs, ok := s.l1.scans.get(bucket, prefix, s.opt.L1MaxAge); ok {
			s.stats.l1ScanHits.Add(1)
			return kvs, nil
		}
	}
	tok := s.l1.scans.token(bucket)
	s.stats.l3Scans.Add(1)
	kvs, err := s.l3.scan(bucket, prefix)
	if err != nil {
		return nil, err
	}
	if useL1 {
		s.l1.scans.fill(bucket, prefix, kvs, tok)
	}
	return kvs, nil
}

// ops returns the buffered writes, by bucket and key.
func (t *tx) ops() []op {
	var ops []op
	for _, name := range slices.Sorted(maps.Keys(t.buckets)) {
		b := t.buckets[name]
		for _, k := range slices.Sorted(maps.Keys(b.writes)) {
			w := b.writes[k]
			ops = append(ops, op{bucket: name, key: []byte(k), val: w.val, del: w.del})
		}
	}
	return ops
}

// write is a buffered Put (val) or Delete.
type write struct {
	val []byte
	del bool
}

// bucket is one bucket of a tx.
type bucket struct {
	t      *tx
	name   string
	writes map[string]write
}

func (b *bucket) Get(key []byte) []byte {
	if w, ok := b.writes[string(key)]; ok {
		return w.val // nil for a delete
	}
	v, present := b.t.read(b.name, key)
	if !present {
		return nil
	}
	if b.t.writable {
		b.t.known[cacheKey(b.name, key)] = true
	}
	if v == nil {
		v = []byte{}
	}
	return v
}

func (b *bucket) Put(key, val []byte) error {
	if len(val) > MaxValue {
		return fmt.Errorf("%w: %d bytes at key %.40q of %s", ErrTooLarge, len(val), key, b.name)
	}
	if val == nil {
		val = []byte{}
	}
	b.writes[string(key)] = write{val: val}
	return nil
}

func (b *bucket) Delete(key []byte) error {
	b.writes[string(key)] = write{del: true}
	return nil
}

func (b *bucket) Scan(prefix []byte, fn func(k, v []byte) bool) error {
	base, err := b.t.scan(b.name, prefix)
	if err != nil {
		b.t.fail(err)
		return err
	}
	var own []string
	for k := range b.writes {
		if bytes.HasPrefix([]byte(k), prefix) {
			own = append(own, k)
		}
	}
	slices.Sort(own)
	// Merge the stored keys with this transaction's writes, in key order.
	i, j := 0, 0
	for i < len(base) || j < len(own) {
		var k, v []byte
		switch {
		case j == len(own) || i < len(base) && bytes.Compare(base[i].k, []byte(own[j])) < 0:
			k, v = base[i].k, base[i].v
			i++
		default:
			if i < len(base) && bytes.Equal(base[i].k, []byte(own[j])) {
				i++
			}
			w := b.writes[own[j]]
			k, v = []byte(own[j]), w.val
			j++
			if w.del {
				continue
			}
		}
		if !fn(k, v) {
			return nil
		}
	}
	return nil
}

// NextSequence counts in the internal seqBucket, under the commit lock, so
// the values are unique across hosts.
func (b *bucket) NextSequence() (uint64, error) {
	seqs := b.t.bucket(seqBucket)
	var n uint64
	if v := seqs.Get([]byte(b.name)); len(v) == 8 {
		n = binary.BigEndian.Uint64(v)
	}
	if b.t.err != nil {
		return 0, b.t.err
	}
	n++
	return n, seqs.Put([]byte(b.name), binary.BigEndian.AppendUint64(nil, n))
}

var (
	_ store.BackendTx     = (*tx)(nil)
	_ store.BackendBucket = (*bucket)(nil)
)
