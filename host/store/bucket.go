package store

import (
	"bytes"
	"fmt"
)

// Bucket is the key space of one (app, kind) inside a transaction. Keys are
// kept in byte order. A Bucket is valid only while its transaction is.
type Bucket struct {
	be       BackendBucket // nil: reads are empty, writes fail with err
	err      error         // why be is nil
	writable bool
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
	if b.be == nil {
		return nil
	}
	return b.be.Get(key)
}

// Put stores val at key. Neither slice may be modified until the transaction
// ends.
func (b *Bucket) Put(key, val []byte) error {
	if err := b.writableKey(key); err != nil {
		return err
	}
	return b.be.Put(key, val)
}

// Delete removes key; removing a missing key is not an error.
func (b *Bucket) Delete(key []byte) error {
	if err := b.writableKey(key); err != nil {
		return err
	}
	return b.be.Delete(key)
}

// writableKey returns the error a write of key to b would meet before
// reaching the backend.
func (b *Bucket) writableKey(key []byte) error {
	if b.be == nil {
		return b.err
	}
	if len(key) == 0 {
		return ErrEmptyKey
	}
	if !b.writable {
		return ErrReadOnly
	}
	return nil
}

// Scan calls fn for each key starting with prefix, in key order, until fn
// returns false. A nil prefix scans the whole bucket. The slices fn gets are
// valid only during that call and must not be modified, and fn must not
// write to the bucket. Scan returns the bucket's error, if any: a missing
// bucket in a read-only transaction scans as empty.
func (b *Bucket) Scan(prefix []byte, fn func(k, v []byte) bool) error {
	if b.be == nil {
		return b.readErr()
	}
	return b.be.Scan(prefix, fn)
}

// NextSequence returns the next value of the bucket's counter, starting at 1.
// It needs a writable transaction. On a shared backend the values are unique
// across every host.
func (b *Bucket) NextSequence() (uint64, error) {
	if b.be == nil {
		return 0, b.err
	}
	if !b.writable {
		return 0, ErrReadOnly
	}
	n, err := b.be.NextSequence()
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
