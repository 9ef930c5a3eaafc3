package store

import (
	bolt "go.etcd.io/bbolt"
)

// Tx is a store transaction, valid only inside the View, Update or Batch
// function it was given to, and only on that function's goroutine.
type Tx struct {
	bolt *bolt.Tx
}

// Writable reports whether the transaction may write.
func (tx *Tx) Writable() bool { return tx.bolt.Writable() }

// Bucket returns the bucket of kind for app. App and kind are names of 1 to
// 64 ASCII letters, digits, '_', '-' and '.', starting with a letter or
// digit.
//
// In a writable transaction the bucket is created on demand. In a read-only
// transaction a bucket that does not exist yet reads as empty. A bad name or
// a failed creation gives a bucket whose reads are empty and whose writes
// return the error.
func (tx *Tx) Bucket(app, kind string) *Bucket {
	if err := checkName("app", app); err != nil {
		return &Bucket{err: err}
	}
	if err := checkName("kind", kind); err != nil {
		return &Bucket{err: err}
	}
	if !tx.bolt.Writable() {
		return tx.readBucket(app, kind)
	}
	top, err := tx.bolt.CreateBucketIfNotExists([]byte(app))
	if err != nil {
		return &Bucket{err: err}
	}
	b, err := top.CreateBucketIfNotExists([]byte(kind))
	if err != nil {
		return &Bucket{err: err}
	}
	return &Bucket{bolt: b}
}

// readBucket looks a bucket up without creating it.
func (tx *Tx) readBucket(app, kind string) *Bucket {
	if top := tx.bolt.Bucket([]byte(app)); top != nil {
		if b := top.Bucket([]byte(kind)); b != nil {
			return &Bucket{bolt: b}
		}
	}
	return &Bucket{err: ErrReadOnly}
}
