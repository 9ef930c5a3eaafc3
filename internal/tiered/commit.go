package tiered

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// gcEvery is how many commits pass between deletions of old commit records;
// the last gcEvery records are kept.
const gcEvery = 1024

// held is the commit lock while this host holds it.
type held struct {
	token    string        // "" without Redis: writeMu alone is the lock
	stop     chan struct{} // ends the keep-alive
	lost     atomic.Bool   // the keep-alive found the lock taken over
	released bool          // publish released it
}

// lock takes the commit lock, waiting up to WriteWait for its holder or for
// Redis. The caller holds writeMu.
func (s *Store) lock() (*held, error) {
	if s.l2 == nil {
		return &held{}, nil
	}
	h := &held{token: newToken(), stop: make(chan struct{})}
	deadline := time.Now().Add(s.opt.WriteWait)
	pause := time.Millisecond
	for {
		ok, head, left, err := s.l2.acquire(h.token, newToken(), s.opt.LockTTL)
		if err == nil && ok {
			s.head = max(s.head, head)
			go s.keepAlive(h)
			return h, nil
		}
		if time.Now().After(deadline) {
			if err != nil {
				return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
			}
			return nil, fmt.Errorf("tiered: the commit lock stayed taken for %s", s.opt.WriteWait)
		}
		if err != nil {
			pause = 50 * time.Millisecond
		} else {
			pause = min(pause*2, 20*time.Millisecond, max(left, time.Millisecond))
		}
		time.Sleep(pause)
	}
}

// keepAlive renews the lock while h holds it, so a long commit keeps it;
// a frozen or dead host stops renewing and loses it after LockTTL.
func (s *Store) keepAlive(h *held) {
	t := time.NewTicker(s.opt.LockTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
			if ok, err := s.l2.extend(h.token, s.opt.LockTTL); err == nil && !ok {
				h.lost.Store(true)
				return
			}
		}
	}
}

// unlock releases h unless publish did.
func (s *Store) unlock(h *held) {
	if h.token == "" {
		return
	}
	close(h.stop)
	if !h.released {
		_ = s.l2.release(h.token)
	}
}

// commit makes ops durable as commit head+1, applies them to the key
// documents and announces them, under lock h. known lists the keys the
// transaction read as present.
//
// The record insert is the commit point: a crash after it leaves a commit
// that the next writer, or the next Open, completes (finishLast). When the
// sequence is taken, a commit this host had not seen came first: it is
// completed and the caller runs its transaction again.
func (s *Store) commit(h *held, ops []op, known map[string]bool) error {
	seq := s.head + 1
	err := s.l3.insertRecord(seq, appendOps(nil, ops))
	if errors.Is(err, errTaken) {
		if rerr := s.finishLast(); rerr != nil {
			return rerr
		}
		if s.l2 == nil {
			s.l1.flush()
			s.stats.flushes.Add(1)
			return ErrOtherWriter
		}
		return errRetry
	}
	if err != nil {
		// The insert may have landed before the error: recover before
		// the next commit decides its sequence.
		s.needRecovery = true
		return err
	}
	s.head = seq
	s.stats.commits.Add(1)
	s.needRecovery = true
	if h.lost.Load() {
		// Another host may be completing this commit now; applying it too
		// could reorder its writes with that host's next commit.
		return fmt.Errorf("%w: the commit lock expired", ErrUnpublished)
	}
	if err := s.l3.apply(seq, ops, known); err != nil {
		return fmt.Errorf("%w: %w", ErrUnpublished, err)
	}
	if err := s.announce(seq, ops, h); err != nil {
		return err
	}
	s.needRecovery = false
	s.setLocal(seq, ops)
	if seq%gcEvery == 0 {
		s.gc(seq - gcEvery)
	}
	return nil
}

// announce publishes commit seq to Redis, retrying while Redis is away for
// up to LockTTL (a restart takes less), and releases the lock.
func (s *Store) announce(seq uint64, ops []op, h *held) error {
	if s.l2 == nil {
		return nil
	}
	deadline := time.Now().Add(s.opt.LockTTL)
	for {
		err := s.l2.publish(seq, ops, h.token)
		if err == nil {
			h.released = true
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%w: %w", ErrUnpublished, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// setLocal puts the values of this host's commit seq into L1.
func (s *Store) setLocal(seq uint64, ops []op) {
	now := time.Now()
	for _, o := range ops {
		s.l1.set(cacheKey(o.bucket, o.key), l1Item{val: o.val, seq: seq, present: !o.del, at: now})
		s.l1.scans.invalidate(o.bucket, o.key)
	}
}

// finishLast completes the latest commit record, the only one that can be
// unfinished: every writer applies and announces its commit before it lets
// go of the lock. Applying and announcing again is harmless. The caller
// holds the lock.
func (s *Store) finishLast() error {
	last, err := s.l3.lastRecord()
	if err != nil {
		return err
	}
	if last == 0 {
		s.needRecovery = false
		return nil
	}
	ops, ok, err := s.l3.record(last)
	if err != nil {
		return err
	}
	if ok {
		if err := s.l3.apply(last, ops, nil); err != nil {
			return err
		}
		if s.l2 != nil {
			if err := s.l2.publish(last, ops, ""); err != nil {
				return err
			}
		}
		for _, o := range ops {
			s.l1.invalidate(o.bucket, o.key, 0)
		}
	}
	s.head, s.needRecovery = last, false
	s.stats.recoveries.Add(1)
	return nil
}

// gc deletes commit records before seq in the background.
func (s *Store) gc(before uint64) {
	if s.gcRunning.Swap(true) {
		return
	}
	go func() {
		defer s.gcRunning.Store(false)
		if err := s.l3.gc(before); err != nil {
			s.log.Warn("tiered: dropping old commit records failed", "err", err)
		}
	}()
}
