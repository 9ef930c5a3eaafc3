package store

// Tx is a store transaction, valid only inside the View, Update or Batch
// function it was given to, and only on that function's goroutine.
type Tx struct {
	be BackendTx
}

// Writable reports whether the transaction may write.
func (tx *Tx) Writable() bool { return tx.be.Writable() }

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
	b, err := tx.be.Bucket(app, kind)
	switch {
	case err != nil:
		return &Bucket{err: err}
	case b == nil:
		return &Bucket{err: ErrReadOnly}
	}
	return &Bucket{be: b, writable: tx.be.Writable()}
}
