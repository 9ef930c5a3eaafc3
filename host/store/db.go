package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// FileName is the name of the store's file inside the data directory.
const FileName = "data.db"

// lockTimeout bounds how long Open waits for another process to release the
// data directory. A variable so that tests can shorten it.
var lockTimeout = 2 * time.Second

// DB is an open store. It is safe for concurrent use; Close it once when the
// host stops.
type DB struct {
	bolt *bolt.DB
	dir  string

	mu      sync.Mutex // guards pending and running
	pending []*call    // Batch calls waiting for the next group commit
	running bool       // a group-commit goroutine is active

	observe func(op string, took time.Duration) // see Observe
}

// Operations that Observe reports.
const (
	OpUpdate = "update" // one read-write transaction, a group commit included
	OpBatch  = "batch"  // one Batch call: its wait for the group commit and the commit
)

// Observe makes the store report how long each OpUpdate and OpBatch took,
// for metrics. Call it once, before the store is used concurrently.
func (db *DB) Observe(fn func(op string, took time.Duration)) { db.observe = fn }

// timed runs fn and reports its duration as op when an observer is set.
func (db *DB) timed(op string, fn func() error) error {
	if db.observe == nil {
		return fn()
	}
	start := time.Now()
	err := fn()
	db.observe(op, time.Since(start))
	return err
}

// Ping checks that the store is open and answers a read transaction.
func (db *DB) Ping() error {
	if err := db.View(func(*Tx) error { return nil }); err != nil {
		return fmt.Errorf("store: ping [%s]: %w", db.dir, err)
	}
	return nil
}

// Open creates dir if needed and opens dir/data.db. When another process
// holds the directory, Open fails after a short wait with an error wrapping
// ErrLocked.
func Open(dir string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create data directory [%s]: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout, FreelistType: bolt.FreelistMapType})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("%w: [%s]", ErrLocked, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open [%s]: %w", path, err)
	}
	return &DB{bolt: b, dir: dir}, nil
}

// Dir returns the data directory the store was opened in.
func (db *DB) Dir() string { return db.dir }

// View runs fn in a read-only transaction. Many Views run at once, and they
// see a consistent snapshot of the store.
func (db *DB) View(fn func(*Tx) error) error {
	return db.bolt.View(func(t *bolt.Tx) error { return fn(&Tx{bolt: t}) })
}

// Update runs fn in a read-write transaction and commits it when fn returns
// nil. When fn returns an error or panics, nothing fn wrote is kept. Writers
// run one at a time.
func (db *DB) Update(fn func(*Tx) error) error {
	return db.timed(OpUpdate, func() error {
		return db.bolt.Update(func(t *bolt.Tx) error { return fn(&Tx{bolt: t}) })
	})
}

// Close closes the store, waiting for running transactions to finish.
func (db *DB) Close() error { return db.bolt.Close() }
