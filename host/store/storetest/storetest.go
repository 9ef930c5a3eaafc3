// Package storetest is the conformance suite of store backends: the
// behaviour the graph and identity rely on, run against every backend (the
// embedded bbolt store and the tiered Redis and MongoDB store), so that both
// keep the same contract.
package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/walkerhost/walkerhost/host/store"
)

// Open returns a new, empty store that the test may use until it ends.
type Open func(t testing.TB) *store.DB

// Run runs the whole suite against stores made by open.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(*testing.T, Open)
	}{
		{"GetPutDelete", testGetPutDelete},
		{"GetCopies", testGetCopies},
		{"Scan", testScan},
		{"ScanSeesOwnWrites", testScanSeesOwnWrites},
		{"PeekSeesOwnWrites", testPeekSeesOwnWrites},
		{"NextSequence", testNextSequence},
		{"NextSequence_Hammer", testNextSequenceHammer},
		{"Namespaces", testNamespaces},
		{"UpdateAtomic", testUpdateAtomic},
		{"Errors", testErrors},
		{"BadNameReadsEmpty", testBadNameReadsEmpty},
		{"Batch", testBatch},
		{"Batch_Hammer", testBatchHammer},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

// Put writes key=val into (app, kind) in its own Update.
func Put(t testing.TB, db *store.DB, app, kind, key, val string) {
	t.Helper()
	err := db.Update(func(tx *store.Tx) error { return tx.Bucket(app, kind).Put([]byte(key), []byte(val)) })
	if err != nil {
		t.Fatal(err)
	}
}

// Get reads key from (app, kind) in its own View; "" when absent.
func Get(t testing.TB, db *store.DB, app, kind, key string) string {
	t.Helper()
	var v []byte
	if err := db.View(func(tx *store.Tx) error { v = tx.Bucket(app, kind).Get([]byte(key)); return nil }); err != nil {
		t.Fatal(err)
	}
	return string(v)
}

func testGetPutDelete(t *testing.T, open Open) {
	db := open(t)
	Put(t, db, "app", "kind", "a", "1")
	Put(t, db, "app", "kind", "b", "2")
	Put(t, db, "app", "kind", "c", "old")
	Put(t, db, "app", "kind", "c", "new")
	err := db.Update(func(tx *store.Tx) error { return tx.Bucket("app", "kind").Delete([]byte("b")) })
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, key, want string }{
		{"present", "a", "1"},
		{"deleted", "b", ""},
		{"overwritten", "c", "new"},
		{"never written", "d", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Get(t, db, "app", "kind", tc.key); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func testGetCopies(t *testing.T, open Open) {
	db := open(t)
	Put(t, db, "app", "kind", "k", "value")
	var v []byte
	db.View(func(tx *store.Tx) error { v = tx.Bucket("app", "kind").Get([]byte("k")); return nil })
	v[0] = 'X'
	if got := Get(t, db, "app", "kind", "k"); got != "value" {
		t.Fatalf("got %q, want the stored value unchanged", got)
	}
}

// scanKeys returns the keys Scan finds under prefix, checking each value.
func scanKeys(t *testing.T, b *store.Bucket, prefix string, limit int) []string {
	t.Helper()
	var got []string
	err := b.Scan([]byte(prefix), func(k, v []byte) bool {
		if string(v) != "v"+string(k) {
			t.Errorf("key %q has value %q", k, v)
		}
		got = append(got, string(k))
		return limit == 0 || len(got) < limit
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func testScan(t *testing.T, open Open) {
	db := open(t)
	for _, k := range []string{"b2", "a1", "b1", "c", "b3", "b\xff", "\x00z"} {
		Put(t, db, "app", "kind", k, "v"+k)
	}
	tests := []struct {
		name, app, prefix string
		limit             int
		want              []string
	}{
		{"all in key order", "app", "", 0, []string{"\x00z", "a1", "b1", "b2", "b3", "b\xff", "c"}},
		{"prefix", "app", "b", 0, []string{"b1", "b2", "b3", "b\xff"}},
		{"binary prefix", "app", "b\xff", 0, []string{"b\xff"}},
		{"stop early", "app", "b", 2, []string{"b1", "b2"}},
		{"no match", "app", "d", 0, nil},
		{"missing bucket", "other", "", 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			err := db.View(func(tx *store.Tx) error {
				got = scanKeys(t, tx.Bucket(tc.app, "kind"), tc.prefix, tc.limit)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func testScanSeesOwnWrites(t *testing.T, open Open) {
	db := open(t)
	for _, k := range []string{"a1", "a2", "a3", "b1"} {
		Put(t, db, "app", "kind", k, "v"+k)
	}
	var got []string
	err := db.Update(func(tx *store.Tx) error {
		b := tx.Bucket("app", "kind")
		for _, err := range []error{
			b.Delete([]byte("a2")),
			b.Put([]byte("a0"), []byte("va0")),
			b.Put([]byte("a3"), []byte("va3")),
			b.Put([]byte("a4"), []byte("va4")),
			b.Put([]byte("c"), []byte("vc")),
		} {
			if err != nil {
				return err
			}
		}
		got = scanKeys(t, b, "a", 0)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a0", "a1", "a3", "a4"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// testPeekSeesOwnWrites checks that Peek sees each write of its own
// transaction.
func testPeekSeesOwnWrites(t *testing.T, open Open) {
	db := open(t)
	Put(t, db, "app", "kind", "b", "old")
	err := db.Update(func(tx *store.Tx) error {
		b := tx.Bucket("app", "kind")
		steps := []struct {
			name string
			do   func() error
			key  string
			want string
		}{
			{"stored", func() error { return nil }, "b", "old"},
			{"absent", func() error { return nil }, "a", ""},
			{"put before", func() error { return b.Put([]byte("a"), []byte("new")) }, "a", "new"},
			{"overwrite", func() error { return b.Put([]byte("b"), []byte("newer")) }, "b", "newer"},
			{"delete", func() error { return b.Delete([]byte("a")) }, "a", ""},
			{"prefix is not a match", func() error { return b.Put([]byte("bb"), []byte("x")) }, "bc", ""},
		}
		for _, s := range steps {
			if err := s.do(); err != nil {
				return err
			}
			if got := string(b.Peek([]byte(s.key))); got != s.want {
				t.Errorf("%s: got %q, want %q", s.name, got, s.want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testNextSequence(t *testing.T, open Open) {
	db := open(t)
	var got []uint64
	for range 3 {
		err := db.Update(func(tx *store.Tx) error {
			n, err := tx.Bucket("app", "kind").NextSequence()
			got = append(got, n)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	err := db.Update(func(tx *store.Tx) error {
		n, err := tx.Bucket("app", "other").NextSequence()
		got = append(got, n)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []uint64{1, 2, 3, 1}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// testNextSequenceHammer draws sequence numbers from many goroutines
// through Batch and checks that they are unique and dense.
func testNextSequenceHammer(t *testing.T, open Open) {
	db := open(t)
	const n = 200
	got := make([]uint64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			err := db.Batch(func(tx *store.Tx) error {
				var err error
				got[i], err = tx.Bucket("app", "kind").NextSequence()
				return err
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	seen := map[uint64]bool{}
	for _, v := range got {
		if v < 1 || v > n || seen[v] {
			t.Fatalf("sequence %d repeated or out of 1..%d", v, n)
		}
		seen[v] = true
	}
}

func testNamespaces(t *testing.T, open Open) {
	db := open(t)
	Put(t, db, "one", "nodes", "k", "1")
	Put(t, db, "two", "nodes", "k", "2")
	Put(t, db, "one", "edges", "k", "3")
	Put(t, db, "one.x", "y", "k", "4")
	tests := []struct{ name, app, kind, want string }{
		{"app one", "one", "nodes", "1"},
		{"app two", "two", "nodes", "2"},
		{"other kind", "one", "edges", "3"},
		{"dotted app", "one.x", "y", "4"},
		{"dots do not join names", "one", "x.y", ""},
		{"missing app", "three", "nodes", ""},
		{"missing kind", "two", "edges", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Get(t, db, tc.app, tc.kind, "k"); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func testUpdateAtomic(t *testing.T, open Open) {
	errBoom := errors.New("boom")
	tests := []struct {
		name string
		fn   func(*store.Tx) error
	}{
		{"error after writes", func(tx *store.Tx) error {
			tx.Bucket("app", "a").Put([]byte("k"), []byte("v"))
			tx.Bucket("app", "b").Put([]byte("k"), []byte("v"))
			return errBoom
		}},
		{"panic after writes", func(tx *store.Tx) error {
			tx.Bucket("app", "a").Put([]byte("k"), []byte("v"))
			panic(errBoom)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := open(t)
			err := func() (err error) {
				defer func() {
					if p := recover(); p != nil {
						err = p.(error)
					}
				}()
				return db.Update(tc.fn)
			}()
			if !errors.Is(err, errBoom) {
				t.Fatalf("got %v, want %v", err, errBoom)
			}
			if got := Get(t, db, "app", "a", "k") + Get(t, db, "app", "b", "k"); got != "" {
				t.Fatalf("got %q written, want nothing", got)
			}
			// The store still takes writes after a failed one.
			Put(t, db, "app", "a", "k", "after")
			if got := Get(t, db, "app", "a", "k"); got != "after" {
				t.Fatalf("got %q, want %q", got, "after")
			}
		})
	}
}

func testErrors(t *testing.T, open Open) {
	db := open(t)
	Put(t, db, "app", "kind", "k", "v")
	write := func(app, kind, key string) func(*store.Tx) error {
		return func(tx *store.Tx) error { return tx.Bucket(app, kind).Put([]byte(key), []byte("v")) }
	}
	tests := []struct {
		name   string
		update bool
		fn     func(*store.Tx) error
		want   error
	}{
		{"bad app", true, write("a/b", "kind", "k"), store.ErrBadName},
		{"bad kind", true, write("app", "", "k"), store.ErrBadName},
		{"empty key", true, write("app", "kind", ""), store.ErrEmptyKey},
		{"put in view", false, write("app", "kind", "k"), store.ErrReadOnly},
		{"put in view, missing bucket", false, write("app", "none", "k"), store.ErrReadOnly},
		{"delete in view", false, func(tx *store.Tx) error { return tx.Bucket("app", "kind").Delete([]byte("k")) }, store.ErrReadOnly},
		{"sequence in view", false, func(tx *store.Tx) error { _, err := tx.Bucket("app", "kind").NextSequence(); return err }, store.ErrReadOnly},
		{"scan bad name", false, func(tx *store.Tx) error { return tx.Bucket("", "kind").Scan(nil, nil) }, store.ErrBadName},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			run := db.View
			if tc.update {
				run = db.Update
			}
			if err := run(tc.fn); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func testBadNameReadsEmpty(t *testing.T, open Open) {
	db := open(t)
	err := db.View(func(tx *store.Tx) error {
		if v := tx.Bucket("bad name", "kind").Get([]byte("k")); v != nil {
			t.Fatalf("got %q, want nil", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testBatch(t *testing.T, open Open) {
	errBoom := errors.New("boom")
	tests := []struct {
		name string
		fn   func(*store.Tx) error
		want error
		kept string
	}{
		{"commits", func(tx *store.Tx) error { return tx.Bucket("app", "kind").Put([]byte("k"), []byte("v")) }, nil, "v"},
		{"error writes nothing", func(tx *store.Tx) error {
			tx.Bucket("app", "kind").Put([]byte("k"), []byte("v"))
			return errBoom
		}, errBoom, ""},
		{"panic writes nothing", func(tx *store.Tx) error {
			tx.Bucket("app", "kind").Put([]byte("k"), []byte("v"))
			panic("boom")
		}, store.ErrPanic, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := open(t)
			if err := db.Batch(tc.fn); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if got := Get(t, db, "app", "kind", "k"); got != tc.kept {
				t.Fatalf("got %q stored, want %q", got, tc.kept)
			}
		})
	}
}

// testBatchHammer runs many concurrent Batch calls, every fifth of them
// failing, and checks that exactly the others land.
func testBatchHammer(t *testing.T, open Open) {
	db := open(t)
	const n = 400
	errBoom := errors.New("boom")
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = db.Batch(func(tx *store.Tx) error {
				key := fmt.Appendf(nil, "k%03d", i)
				if err := tx.Bucket("app", "kind").Put(key, key); err != nil {
					return err
				}
				if i%5 == 0 {
					return errBoom
				}
				return nil
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if fail := i%5 == 0; fail != errors.Is(err, errBoom) || !fail && err != nil {
			t.Fatalf("call %d: got %v", i, err)
		}
	}
	count := 0
	db.View(func(tx *store.Tx) error {
		return tx.Bucket("app", "kind").Scan(nil, func(k, v []byte) bool {
			var i int
			fmt.Sscanf(string(k), "k%03d", &i)
			if i%5 == 0 {
				t.Errorf("failed call %d was written", i)
			}
			count++
			return true
		})
	})
	if want := n - n/5; count != want {
		t.Fatalf("got %d keys, want %d", count, want)
	}
}
