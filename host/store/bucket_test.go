package store

import (
	"errors"
	"reflect"
	"testing"
)

func TestBucket_GetPutDelete(t *testing.T) {
	db := open(t)
	put(t, db, "app", "kind", "a", "1")
	put(t, db, "app", "kind", "b", "2")
	err := db.Update(func(tx *Tx) error { return tx.Bucket("app", "kind").Delete([]byte("b")) })
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, key, want string }{
		{"present", "a", "1"},
		{"deleted", "b", ""},
		{"never written", "c", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := get(t, db, "app", "kind", tc.key); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestBucket_GetCopies(t *testing.T) {
	db := open(t)
	put(t, db, "app", "kind", "k", "value")
	var v []byte
	db.View(func(tx *Tx) error { v = tx.Bucket("app", "kind").Get([]byte("k")); return nil })
	v[0] = 'X'
	if got := get(t, db, "app", "kind", "k"); got != "value" {
		t.Fatalf("got %q, want the stored value unchanged", got)
	}
}

func TestBucket_Scan(t *testing.T) {
	db := open(t)
	for _, k := range []string{"b2", "a1", "b1", "c", "b3"} {
		put(t, db, "app", "kind", k, "v"+k)
	}
	tests := []struct {
		name, app, prefix string
		limit             int
		want              []string
	}{
		{"all in key order", "app", "", 0, []string{"a1", "b1", "b2", "b3", "c"}},
		{"prefix", "app", "b", 0, []string{"b1", "b2", "b3"}},
		{"stop early", "app", "b", 2, []string{"b1", "b2"}},
		{"no match", "app", "d", 0, nil},
		{"missing bucket", "other", "", 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			err := db.View(func(tx *Tx) error {
				return tx.Bucket(tc.app, "kind").Scan([]byte(tc.prefix), func(k, v []byte) bool {
					if string(v) != "v"+string(k) {
						t.Errorf("key %q has value %q", k, v)
					}
					got = append(got, string(k))
					return tc.limit == 0 || len(got) < tc.limit
				})
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

func TestBucket_NextSequence(t *testing.T) {
	db := open(t)
	var got []uint64
	for range 3 {
		err := db.Update(func(tx *Tx) error {
			n, err := tx.Bucket("app", "kind").NextSequence()
			got = append(got, n)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if want := []uint64{1, 2, 3}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestBucket_Errors(t *testing.T) {
	db := open(t)
	put(t, db, "app", "kind", "k", "v")
	write := func(app, kind, key string) func(*Tx) error {
		return func(tx *Tx) error { return tx.Bucket(app, kind).Put([]byte(key), []byte("v")) }
	}
	tests := []struct {
		name   string
		update bool
		fn     func(*Tx) error
		want   error
	}{
		{"bad app", true, write("a/b", "kind", "k"), ErrBadName},
		{"bad kind", true, write("app", "", "k"), ErrBadName},
		{"empty key", true, write("app", "kind", ""), ErrEmptyKey},
		{"put in view", false, write("app", "kind", "k"), ErrReadOnly},
		{"put in view, missing bucket", false, write("app", "none", "k"), ErrReadOnly},
		{"delete in view", false, func(tx *Tx) error { return tx.Bucket("app", "kind").Delete([]byte("k")) }, ErrReadOnly},
		{"sequence in view", false, func(tx *Tx) error { _, err := tx.Bucket("app", "kind").NextSequence(); return err }, ErrReadOnly},
		{"scan bad name", false, func(tx *Tx) error { return tx.Bucket("", "kind").Scan(nil, nil) }, ErrBadName},
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

func TestBucket_BadNameReadsEmpty(t *testing.T) {
	db := open(t)
	err := db.View(func(tx *Tx) error {
		if v := tx.Bucket("bad name", "kind").Get([]byte("k")); v != nil {
			t.Fatalf("got %q, want nil", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBucket_PeekSeesOwnWrites checks that Peek, which reuses a cursor,
// sees each write of its own transaction.
func TestBucket_PeekSeesOwnWrites(t *testing.T) {
	db := open(t)
	put(t, db, "app", "kind", "b", "old")
	err := db.Update(func(tx *Tx) error {
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
