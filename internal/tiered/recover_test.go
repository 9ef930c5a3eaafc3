package tiered

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/host/store/storetest"
)

// TestRecover_UnfinishedCommit stands in for a host killed after storing a
// commit record and applying half of it, holding the lock: a host that
// opens afterwards completes the commit, and a host that was running sees
// all of it.
func TestRecover_UnfinishedCommit(t *testing.T) {
	name := database(t)
	o := testOptions(t, name, true)
	crashed, cs := openDB(t, o)
	running, _ := openDB(t, o)
	storetest.Put(t, crashed, "app", "kind", "a", "old")
	storetest.Put(t, crashed, "app", "kind", "b", "old")
	for _, db := range []*store.DB{crashed, running} {
		storetest.Get(t, db, "app", "kind", "a") // cached in L1 and L2
	}

	ops := []op{{bucket: "app/kind", key: []byte("a"), val: []byte("new")}, {bucket: "app/kind", key: []byte("b"), val: []byte("new")}}
	seq := cs.head + 1
	if err := cs.l3.insertRecord(seq, appendOps(nil, ops)); err != nil {
		t.Fatal(err)
	}
	if err := cs.l3.apply(seq, ops[:1], nil); err != nil {
		t.Fatal(err)
	}
	if ok, _, _, err := cs.l2.acquire("dead-host", newToken(), o.LockTTL); err != nil || !ok {
		t.Fatalf("taking the lock: %v %v", ok, err)
	}

	start := time.Now()
	restarted, rs := openDB(t, o)
	if waited := time.Since(start); waited < o.LockTTL/2 {
		t.Fatalf("Open took %s: it did not wait for the dead holder's lock", waited)
	}
	if rs.Stats().Recoveries != 1 {
		t.Fatalf("stats %+v, want one recovery", rs.Stats())
	}
	for i, db := range []*store.DB{restarted, running} {
		for _, k := range []string{"a", "b"} {
			if got := storetest.Get(t, db, "app", "kind", k); got != "new" {
				t.Fatalf("store %d: %s = %q, want %q", i, k, got, "new")
			}
		}
	}
	// The running host had not seen the commit: its next write comes after.
	storetest.Put(t, running, "app", "kind", "c", "after")
	if got := storetest.Get(t, restarted, "app", "kind", "c"); got != "after" {
		t.Fatalf("c = %q", got)
	}
}

// TestRecover_TakenSequence: a host whose last commit it knows is behind
// (another host committed without it seeing the announcement) finds the
// sequence taken, completes that commit and runs its transaction again.
func TestRecover_TakenSequence(t *testing.T) {
	name := database(t)
	o := testOptions(t, name, true)
	a, sa := openDB(t, o)
	storetest.Put(t, a, "app", "kind", "n", "1")
	ops := []op{{bucket: "app/kind", key: []byte("n"), val: []byte("2")}}
	if err := sa.l3.insertRecord(sa.head+1, appendOps(nil, ops)); err != nil {
		t.Fatal(err)
	}
	runs := 0
	err := a.Update(func(tx *store.Tx) error {
		runs++
		b := tx.Bucket("app", "kind")
		return b.Put([]byte("m"), append(b.Get([]byte("n")), '+'))
	})
	if err != nil {
		t.Fatal(err)
	}
	if runs != 2 || sa.Stats().Retries != 1 {
		t.Fatalf("fn ran %d times, stats %+v; want 2 runs and one retry", runs, sa.Stats())
	}
	if got := storetest.Get(t, a, "app", "kind", "m"); got != "2+" {
		t.Fatalf("m = %q, want %q (computed from the commit it had not seen)", got, "2+")
	}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestOpen_Errors(t *testing.T) {
	redis, mongo := shared(t)
	dead := closedPort(t)
	tests := []struct {
		name string
		opt  Options
		want error
		text string
	}{
		{"no mongodb", Options{RedisURL: redis.URL}, ErrConfig, "mongodb: a URI is required"},
		{"bad mongodb scheme", Options{MongoURI: "http://x"}, ErrMongo, "mongodb: bad URI http://x"},
		{"bad database name", Options{MongoURI: mongo.URL + "a.b"}, ErrConfig, `database name "a.b"`},
		{"bad redis scheme", Options{MongoURI: mongo.URL, RedisURL: "http://x"}, ErrRedis, "redis: bad URL http://x"},
		{"bad redis scheme is a config error", Options{MongoURI: mongo.URL, RedisURL: "http://x"}, ErrConfig, "redis: bad URL"},
		{"mongodb down", Options{MongoURI: "mongodb://" + dead + "/", Connect: 300 * time.Millisecond}, ErrMongo, "unreachable after 300ms"},
		{"redis down", Options{MongoURI: mongo.URL, RedisURL: "redis://" + dead, Connect: 300 * time.Millisecond}, ErrRedis, "unreachable after 300ms"},
		{"password hidden", Options{MongoURI: "mongodb://u:secret@" + dead + "/", Connect: 300 * time.Millisecond}, ErrMongo, "u:xxxxx@"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(context.Background(), tc.opt)
			if err == nil {
				s.Close()
				t.Fatal("got nil error")
			}
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("got %v, want %v containing %q", err, tc.want, tc.text)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Fatalf("error shows the password: %v", err)
			}
		})
	}
}

func TestClosed(t *testing.T) {
	db, s := openDB(t, testOptions(t, database(t), true))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("ping: got %v", err)
	}
	err := db.Update(func(tx *store.Tx) error { return nil })
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("update: got %v", err)
	}
}
