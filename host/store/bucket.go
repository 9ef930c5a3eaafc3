package store

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Bucket is the key space of one (app, kind) inside a transaction. Keys are
// kept in byte order. A Bucket is valid only while its transaction is.
type Bucket struct {
	bolt *bolt.Bucket // nil: reads are empty, writes fail with err
	err  error        // why bolt is nil
	cur  *bolt.Cursor // reused by Peek, so lookups do not allocate
}

// Get returns a copy of the value stored at key, or nil when there is none.
func (b *Bucket) Get(key []byte) []byte {
	if v := b.Peek(key); v != nil {
		return bytes.Clone(v)
	}
	return nil
}

// Peek returns the value stored at key without copying it, or nil. The
// slice is valid only until the transaction ends and must not be modified.
func (b *Bucket) Peek(key []byte) []byte {
	if b.bolt == nil {
		return nil
	}
	if b.cur == nil {
		b.cur = b.bolt.Cursor()
	}
	if k, v := b.cur.Seek(key); bytes.Equal(k, key) {
		return v
	}
	return nil
}

// Put stores val at key. Neither slice may be modified until the transaction
// ends.
func (b *Bucket) Put(key, val []byte) error {
	if err := b.writable(key); err != nil {
		return err
	}
	return b.bolt.Put(key, val)
}

// Delete removes key; removing a missing key is not an error.
func (b *Bucket) Delete(key []byte) error {
	if err := b.writable(key); err != nil {
		return err
	}
	return b.bolt.Delete(key)
}

// writable returns the error a write to b would meet before reaching bolt.
func (b *Bucket) writable(key []byte) error {
	if b.bolt == nil {
		return b.err
	}
	if len(key) == 0 {
		return ErrEmptyKey
	}
	if !b.bolt.Writable() {
		return ErrReadOnly
	}
	return nil
}

// Scan calls fn for each key starting with prefix, in key order, until fn
// returns false. A nil prefix scans the whole bucket. The slices fn gets are
// valid only during that call and must not be modified. Scan returns the
// bucket's error, if any: a missing bucket in a read-only transaction scans
// as empty.
func (b *Bucket) Scan(prefix []byte, fn func(k, v []byte) bool) error {
	if b.bolt == nil {
		return b.readErr()
	}
	c := b.bolt.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if !fn(k, v) {
			break
		}
	}
	return nil
}

// NextSequence returns the next value of the bucket's counter, starting at 1.
// It needs a writable transaction.
func (b *Bucket) NextSequence() (uint64, error) {
	if b.bolt == nil {
		return 0, b.err
	}
	if !b.bolt.Writable() {
		return 0, ErrReadOnly
	}
	n, err := b.bolt.NextSequence()
	if err != nil {
		return 0, fmt.Errorf("store: next sequence: %w", err)
	}
	return n, nil
}

// readErr is the error reads report: none for a bucket that is merely absent.
func (b *Bucket) readErr() error {
	if b.err == ErrReadOnly {
		return nil
	}
	return b.err
}
