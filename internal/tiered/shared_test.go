package tiered

import (
	"encoding/binary"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/host/store/storetest"
)

// Two Stores on one database stand for two host processes: they share
// nothing but the servers.

func readUint(t testing.TB, db *store.DB, key string) uint64 {
	t.Helper()
	var n uint64
	err := db.View(func(tx *store.Tx) error {
		if v := tx.Bucket("app", "kind").Get([]byte(key)); len(v) == 8 {
			n = binary.BigEndian.Uint64(v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// incr adds one to the counter at key in a Batch and returns the new value.
func incr(db *store.DB, key string) (uint64, error) {
	var n uint64
	err := db.Batch(func(tx *store.Tx) error {
		b := tx.Bucket("app", "kind")
		n = 0
		if v := b.Get([]byte(key)); len(v) == 8 {
			n = binary.BigEndian.Uint64(v)
		}
		n++
		return b.Put([]byte(key), binary.BigEndian.AppendUint64(nil, n))
	})
	return n, err
}

func TestShared_ReadsAreFresh(t *testing.T) {
	name := database(t)
	a, _ := openDB(t, testOptions(t, name, true))
	b, _ := openDB(t, testOptions(t, name, true))
	steps := []struct {
		name  string
		write func(db *store.DB)
		want  string
	}{
		{"put on a", func(db *store.DB) { storetest.Put(t, db, "app", "kind", "k", "1") }, "1"},
		{"update on b", func(db *store.DB) { storetest.Put(t, db, "app", "kind", "k", "2") }, "2"},
		{"update on a", func(db *store.DB) { storetest.Put(t, db, "app", "kind", "k", "3") }, "3"},
		{"delete on b", func(db *store.DB) {
			if err := db.Update(func(tx *store.Tx) error { return tx.Bucket("app", "kind").Delete([]byte("k")) }); err != nil {
				t.Fatal(err)
			}
		}, ""},
	}
	for i, s := range steps {
		writer := []*store.DB{a, b}[i%2]
		s.write(writer)
		for j, db := range []*store.DB{a, b} {
			if got := storetest.Get(t, db, "app", "kind", "k"); got != s.want {
				t.Fatalf("%s: store %d read %q, want %q", s.name, j, got, s.want)
			}
		}
	}
}

// TestShared_Hammer updates a counter on one store while readers on the
// other check that no read ever shows a value older than one whose Update
// had returned before the read began.
func TestShared_Hammer(t *testing.T) {
	name := database(t)
	a, _ := openDB(t, testOptions(t, name, true))
	b, sb := openDB(t, testOptions(t, name, true))
	var acked atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var reads atomic.Uint64
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				floor := acked.Load()
				if got := readUint(t, b, "n"); got < floor {
					t.Errorf("read %d after %d was acknowledged", got, floor)
					return
				}
				reads.Add(1)
			}
		})
	}
	const rounds = 300
	for range rounds {
		n, err := incr(a, "n")
		if err != nil {
			t.Fatal(err)
		}
		acked.Store(n)
	}
	close(stop)
	wg.Wait()
	if got := readUint(t, b, "n"); got != rounds {
		t.Fatalf("final %d, want %d", got, rounds)
	}
	st := sb.Stats()
	if st.L1Hits == 0 || st.Invalidations == 0 {
		t.Fatalf("reader stats %+v: want L1 hits and invalidations", st)
	}
	t.Logf("%d reads; reader stats %+v", reads.Load(), st)
}

// TestShared_ConcurrentWriters increments one counter from both stores at
// once: the commit lock orders them, so no increment is lost.
func TestShared_ConcurrentWriters(t *testing.T) {
	name := database(t)
	dbs := []*store.DB{}
	for range 2 {
		db, _ := openDB(t, testOptions(t, name, true))
		dbs = append(dbs, db)
	}
	const per = 60
	var wg sync.WaitGroup
	for _, db := range dbs {
		for range 4 {
			wg.Go(func() {
				for range per / 4 {
					if _, err := incr(db, "n"); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	for i, db := range dbs {
		if got := readUint(t, db, "n"); got != 2*per {
			t.Fatalf("store %d reads %d, want %d", i, got, 2*per)
		}
	}
}

// TestShared_NextSequence draws sequence numbers on two stores at once.
func TestShared_NextSequence(t *testing.T) {
	name := database(t)
	const per = 50
	got := make(chan uint64, 2*per)
	var wg sync.WaitGroup
	for range 2 {
		db, _ := openDB(t, testOptions(t, name, true))
		for range per {
			wg.Go(func() {
				err := db.Batch(func(tx *store.Tx) error {
					n, err := tx.Bucket("app", "kind").NextSequence()
					if err == nil {
						got <- n
					}
					return err
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	close(got)
	seen := map[uint64]bool{}
	for n := range got {
		if seen[n] {
			t.Fatalf("sequence %d drawn twice", n)
		}
		seen[n] = true
	}
	for n := uint64(1); n <= 2*per; n++ {
		if !seen[n] {
			t.Fatalf("sequence %d never drawn (%d drawn)", n, len(seen))
		}
	}
}

// TestMongoAlone_OtherWriter checks that a second host writing to the same
// database without Redis is refused instead of silently diverging.
func TestMongoAlone_OtherWriter(t *testing.T) {
	name := database(t)
	a, _ := openDB(t, testOptions(t, name, false))
	b, _ := openDB(t, testOptions(t, name, false))
	storetest.Put(t, a, "app", "kind", "k", "a")
	err := b.Update(func(tx *store.Tx) error { return tx.Bucket("app", "kind").Put([]byte("k"), []byte("b")) })
	if !errors.Is(err, ErrOtherWriter) {
		t.Fatalf("got %v, want %v", err, ErrOtherWriter)
	}
	if got := storetest.Get(t, a, "app", "kind", "k"); got != "a" {
		t.Fatalf("got %q, want %q", got, "a")
	}
}
