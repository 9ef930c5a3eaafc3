package store

// Backend is what a DB keeps its data in: the embedded bbolt file (Open) or
// a shared tier such as internal/tiered (New). DB, Tx and Bucket check
// names, keys and writability before a call reaches the backend, so a
// backend implements only the storage itself.
type Backend interface {
	// View runs fn in a read-only transaction.
	View(fn func(BackendTx) error) error
	// Update runs fn in a read-write transaction and commits its writes,
	// all or none, when fn returns nil. A backend may run fn more than
	// once before it commits (see DB.Update).
	Update(fn func(BackendTx) error) error
	// Close releases the backend.
	Close() error
}

// BackendTx is one transaction of a Backend, used by one goroutine.
type BackendTx interface {
	// Writable reports whether the transaction may write.
	Writable() bool
	// Bucket returns the key space of (app, kind), names already checked.
	// In a read-only transaction it may return nil, nil for a bucket that
	// does not exist; a writable one creates the bucket on demand.
	Bucket(app, kind string) (BackendBucket, error)
}

// BackendBucket is the key space of one (app, kind) in a BackendTx. Keys
// given to it are never empty, and writes only reach it in a writable
// transaction.
type BackendBucket interface {
	// Get returns the value at key or nil. The slice is valid until the
	// transaction ends and must not be modified.
	Get(key []byte) []byte
	// Put stores val at key; the transaction's later reads see it.
	Put(key, val []byte) error
	// Delete removes key.
	Delete(key []byte) error
	// Scan calls fn for each key with prefix, in byte order, until fn
	// returns false, seeing the transaction's own writes.
	Scan(prefix []byte, fn func(k, v []byte) bool) error
	// NextSequence returns the bucket's next counter value, starting at 1.
	NextSequence() (uint64, error)
}
