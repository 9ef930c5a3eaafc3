package store

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

func TestDB_Batch(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name string
		fn   func(*Tx) error
		want error
		kept string
	}{
		{"commits", func(tx *Tx) error { return tx.Bucket("app", "kind").Put([]byte("k"), []byte("v")) }, nil, "v"},
		{"error writes nothing", func(tx *Tx) error {
			tx.Bucket("app", "kind").Put([]byte("k"), []byte("v"))
			return errBoom
		}, errBoom, ""},
		{"panic writes nothing", func(tx *Tx) error {
			tx.Bucket("app", "kind").Put([]byte("k"), []byte("v"))
			panic("boom")
		}, ErrPanic, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := open(t)
			if err := db.Batch(tc.fn); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if got := get(t, db, "app", "kind", "k"); got != tc.kept {
				t.Fatalf("got %q stored, want %q", got, tc.kept)
			}
		})
	}
}

// TestDB_Batch_Hammer runs many concurrent Batch calls, every fifth of them
// failing, and checks that exactly the others land.
func TestDB_Batch_Hammer(t *testing.T) {
	db := open(t)
	const n = 400
	errBoom := errors.New("boom")
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = db.Batch(func(tx *Tx) error {
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
	db.View(func(tx *Tx) error {
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
