package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
)

// FileName is the name of the store's file inside the data directory.
const FileName = "data.db"

// lockTimeout bounds how long Open waits for another process to release the
// data directory. A variable so that tests can shorten it.
var lockTimeout = 2 * time.Second

// boltBackend is the embedded store: one bbolt file in the data directory.
type boltBackend struct{ db *bolt.DB }

// openBolt creates dir if needed and opens dir/data.db.
func openBolt(dir string) (*boltBackend, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create data directory [%s]: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	if err := checkBoltFile(path); err != nil {
		return nil, err
	}
	b, err := openGuarded(path)
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("%w: [%s]", ErrLocked, dir)
	}
	if err != nil && !errors.Is(err, ErrCorrupt) {
		err = fmt.Errorf("store: open [%s]: %w", path, err)
	}
	if err != nil {
		return nil, err
	}
	return &boltBackend{db: b}, nil
}

// openGuarded opens the bbolt file at path, turning a panic or a memory
// fault while bbolt reads it (damage checkBoltFile cannot see) into
// ErrCorrupt instead of a crash.
func openGuarded(path string) (db *bolt.DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, corrupt(path, "reading it failed: %v", r)
		}
	}()
	return bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout, FreelistType: bolt.FreelistMapType})
}

func (b *boltBackend) View(fn func(BackendTx) error) error {
	return b.db.View(func(t *bolt.Tx) error { return fn(boltTx{t}) })
}

func (b *boltBackend) Update(fn func(BackendTx) error) error {
	return b.db.Update(func(t *bolt.Tx) error { return fn(boltTx{t}) })
}

func (b *boltBackend) Close() error { return b.db.Close() }

// boltTx is a bbolt transaction: one top-level bucket per app, holding one
// bucket per kind.
type boltTx struct{ tx *bolt.Tx }

func (t boltTx) Writable() bool { return t.tx.Writable() }

func (t boltTx) Bucket(app, kind string) (BackendBucket, error) {
	if !t.tx.Writable() {
		if top := t.tx.Bucket([]byte(app)); top != nil {
			if b := top.Bucket([]byte(kind)); b != nil {
				return &boltBucket{b: b}, nil
			}
		}
		return nil, nil
	}
	top, err := t.tx.CreateBucketIfNotExists([]byte(app))
	if err != nil {
		return nil, err
	}
	b, err := top.CreateBucketIfNotExists([]byte(kind))
	if err != nil {
		return nil, err
	}
	return &boltBucket{b: b}, nil
}

// boltBucket is one kind's bucket.
type boltBucket struct {
	b   *bolt.Bucket
	cur *bolt.Cursor // reused by Get, so lookups do not allocate
}

func (b *boltBucket) Get(key []byte) []byte {
	if b.cur == nil {
		b.cur = b.b.Cursor()
	}
	if k, v := b.cur.Seek(key); bytes.Equal(k, key) {
		return v
	}
	return nil
}

func (b *boltBucket) Put(key, val []byte) error { return b.b.Put(key, val) }

func (b *boltBucket) Delete(key []byte) error { return b.b.Delete(key) }

func (b *boltBucket) Scan(prefix []byte, fn func(k, v []byte) bool) error {
	c := b.b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if !fn(k, v) {
			break
		}
	}
	return nil
}

func (b *boltBucket) NextSequence() (uint64, error) { return b.b.NextSequence() }

var (
	_ Backend       = (*boltBackend)(nil)
	_ BackendTx     = boltTx{}
	_ BackendBucket = (*boltBucket)(nil)
)
