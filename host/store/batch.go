package store

import "fmt"

// call is one Batch caller waiting for its group commit.
type call struct {
	fn   func(*Tx) error
	done chan error
}

// Batch runs fn in a read-write transaction like Update, but may share that
// transaction, and its disk sync, with other Batch calls made at the same
// time. A lone caller is committed at once; callers that arrive while a
// commit is in flight are committed together in the next one.
//
// # Notes
//
//   - fn may run more than once, so it must depend only on what it reads in
//     the transaction and not change state outside it.
//   - When fn returns an error (or panics), it is run again alone, and that
//     result is what Batch returns; the other calls of its group are retried
//     without it. Either way each call's writes commit all together or not
//     at all.
func (db *DB) Batch(fn func(*Tx) error) error {
	return db.timed(OpBatch, func() error { return db.batch(fn) })
}

func (db *DB) batch(fn func(*Tx) error) error {
	c := &call{fn: fn, done: make(chan error, 1)}
	db.mu.Lock()
	db.pending = append(db.pending, c)
	if !db.running {
		db.running = true
		go db.commitLoop()
	}
	db.mu.Unlock()
	return <-c.done
}

// commitLoop commits pending calls in groups until none are left.
func (db *DB) commitLoop() {
	for {
		db.mu.Lock()
		group := db.pending
		db.pending = nil
		if len(group) == 0 {
			db.running = false
			db.mu.Unlock()
			return
		}
		db.mu.Unlock()
		db.commitGroup(group)
	}
}

// commitGroup commits group in one transaction. A failing call is taken out
// and run alone; the rest are retried.
func (db *DB) commitGroup(group []*call) {
	for len(group) > 0 {
		failed := -1
		err := db.Update(func(tx *Tx) error {
			for i, c := range group {
				if err := safeCall(c.fn, tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if failed < 0 {
			for _, c := range group {
				c.done <- err
			}
			return
		}
		c := group[failed]
		group = append(group[:failed:failed], group[failed+1:]...)
		c.done <- db.Update(func(tx *Tx) error { return safeCall(c.fn, tx) })
	}
}

// safeCall runs fn, turning a panic into an error wrapping ErrPanic.
func safeCall(fn func(*Tx) error, tx *Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", ErrPanic, p)
		}
	}()
	return fn(tx)
}
