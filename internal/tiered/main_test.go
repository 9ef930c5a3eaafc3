package tiered

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/dbserver"
)

// shared returns the Redis and FerretDB this test binary shares, started on
// first use (so that fuzzing, which needs neither, starts none); each test
// uses databases of its own.
func shared(t testing.TB) (redis, mongo *dbserver.Server) {
	t.Helper()
	redis, mongo, err := dbserver.Shared()
	if err != nil {
		t.Fatal(err)
	}
	return redis, mongo
}

func TestMain(m *testing.M) {
	code := m.Run()
	dbserver.StopShared()
	os.Exit(code)
}

// database returns a fresh database name for t.
func database(t testing.TB) string { return dbserver.DatabaseName(t.Name()) }

// testOptions returns options for database db on the shared servers; without
// Redis when withRedis is false.
func testOptions(t testing.TB, db string, withRedis bool) Options {
	redis, mongo := shared(t)
	o := Options{MongoURI: mongo.URL + db, LockTTL: 2 * time.Second, WriteWait: 10 * time.Second}
	if withRedis {
		o.RedisURL = redis.URL
	}
	return o
}

// openStore opens a Store with o, closed when the test ends.
func openStore(t testing.TB, o Options) *Store {
	t.Helper()
	s, err := Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// openDB opens a store.DB on a Store with o.
func openDB(t testing.TB, o Options) (*store.DB, *Store) {
	s := openStore(t, o)
	return store.New(s), s
}
