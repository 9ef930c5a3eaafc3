package store

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// DB is an open store. It is safe for concurrent use; Close it once when the
// host stops.
type DB struct {
	be  Backend
	dir string // data directory of the embedded store; "" for other backends

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

// Ping checks that the store is open and answers: the backend's own check
// when it has one (the tiered store reaches its servers), else an empty
// read transaction.
func (db *DB) Ping(ctx context.Context) error {
	if p, ok := db.be.(interface{ Ping(context.Context) error }); ok {
		return p.Ping(ctx)
	}
	if err := db.View(func(*Tx) error { return nil }); err != nil {
		return fmt.Errorf("store: ping [%s]: %w", db.dir, err)
	}
	return nil
}

// Open creates dir if needed and opens the embedded store, dir/data.db.
// When another process holds the directory, Open fails after a short wait
// with an error wrapping ErrLocked.
func Open(dir string) (*DB, error) {
	b, err := openBolt(dir)
	if err != nil {
		return nil, err
	}
	return &DB{be: b, dir: dir}, nil
}

// New returns a store kept in be, such as the tiered Redis and MongoDB
// store. Closing the DB closes be.
func New(be Backend) *DB { return &DB{be: be} }

// Dir returns the data directory of the embedded store, or "" when the DB
// runs on another backend.
func (db *DB) Dir() string { return db.dir }

// Backend returns the backend the DB runs on, for its own methods (health
// checks, statistics).
func (db *DB) Backend() Backend { return db.be }

// View runs fn in a read-only transaction. Many Views run at once. On the
// embedded store they see a consistent snapshot; on the tiered store each
// read sees the latest committed value of its key (docs/STORE.md).
func (db *DB) View(fn func(*Tx) error) error {
	return db.be.View(func(t BackendTx) error { return fn(&Tx{be: t}) })
}

// Update runs fn in a read-write transaction and commits it when fn returns
// nil. When fn returns an error or panics, nothing fn wrote is kept. Writers
// run one at a time.
//
// # Notes
//
//   - A shared backend may run fn again when it finds, at commit, a commit
//     of another host it had not seen (docs/STORE.md). As with Batch, fn
//     must therefore depend only on what it reads in the transaction.
func (db *DB) Update(fn func(*Tx) error) error {
	return db.timed(OpUpdate, func() error {
		return db.be.Update(func(t BackendTx) error { return fn(&Tx{be: t}) })
	})
}

// Close closes the store, waiting for running transactions to finish.
func (db *DB) Close() error { return db.be.Close() }
