package tiered

import (
	"sync"
)

// syncBatch is how many stream entries one read takes.
const syncBatch = 512

// syncer keeps L1 in step with the commits of every host. Before a
// transaction serves anything from L1 it calls wait, which returns once a
// read of the invalidation stream that began after the call has been
// applied: then every commit acknowledged before the transaction began has
// dropped its keys from L1. Concurrent callers share reads, so a busy host
// makes one round trip to Redis per group of transactions, not per
// transaction.
//
// A read that finds the stream trimmed past the last entry seen, or a new
// epoch (Redis lost its data), empties L1; so does the first read after
// Redis could not be reached.
type syncer struct {
	read func() error // one stream read, applied to L1

	mu      sync.Mutex
	cond    *sync.Cond
	started uint64 // reads begun
	done    uint64 // reads finished
	running bool
	err     error // of the last finished read
}

func newSyncer(read func() error) *syncer {
	y := &syncer{read: read}
	y.cond = sync.NewCond(&y.mu)
	return y
}

// wait returns the result of a stream read that began after the call.
func (y *syncer) wait() error {
	y.mu.Lock()
	defer y.mu.Unlock()
	// A running read began before this call; the next one to begin, after.
	want := y.started + 1
	for y.done < want {
		if y.running {
			y.cond.Wait()
			continue
		}
		y.running = true
		y.started++
		gen := y.started
		y.mu.Unlock()
		err := y.read()
		y.mu.Lock()
		y.running, y.done, y.err = false, gen, err
		y.cond.Broadcast()
	}
	return y.err
}

// streamState is where this host is in the invalidation stream; only the
// read function of the syncer touches it.
type streamState struct {
	epoch string // "" before the first read
	last  uint64 // sequence of the last entry applied
	lost  bool   // the last read failed: L1 may have missed entries
}

// readStream reads the invalidation stream from where this host left it
// and drops the keys it lists from L1.
func (s *Store) readStream() error {
	st := &s.stream
	for {
		epoch, entries, last, err := s.l2.read(st.last, syncBatch)
		if err != nil {
			st.lost = true
			return err
		}
		gap := len(entries) > 0 && entries[0].seq != st.last+1 || last < st.last
		if epoch != st.epoch || gap || st.lost {
			// The stream cannot say what changed: start over from its end.
			s.l1.flush()
			s.stats.flushes.Add(1)
			st.epoch, st.last, st.lost = epoch, last, false
			return nil
		}
		for _, e := range entries {
			err := decodeKeys(e.keys, func(bucket string, key []byte) {
				if s.l1.invalidate(bucket, key, e.seq) {
					s.stats.invalidations.Add(1)
				}
			})
			if err != nil {
				s.l1.flush()
				s.stats.flushes.Add(1)
			}
			st.last = e.seq
		}
		if len(entries) < syncBatch {
			return nil
		}
	}
}
