package tiered

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/dbserver"
)

// The package's tests share one Redis and one FerretDB; each test uses
// databases of its own.
var redisSrv, mongoSrv *dbserver.Server

func TestMain(m *testing.M) {
	var err error
	if redisSrv, err = dbserver.StartRedis(); err == nil {
		mongoSrv, err = dbserver.StartMongo()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		if redisSrv != nil {
			redisSrv.Stop()
		}
		os.Exit(1)
	}
	code := m.Run()
	redisSrv.Stop()
	mongoSrv.Stop()
	os.Exit(code)
}

var dbSeq atomic.Uint64

// database returns a fresh database name for t.
func database(t testing.TB) string {
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	if len(name) > 40 {
		name = name[:40]
	}
	return fmt.Sprintf("t%d_%s", dbSeq.Add(1), name)
}

// testOptions returns options for database db on the shared servers; without
// Redis when redis is false.
func testOptions(db string, redis bool) Options {
	o := Options{MongoURI: mongoSrv.URL + db, LockTTL: 2 * time.Second, WriteWait: 10 * time.Second}
	if redis {
		o.RedisURL = redisSrv.URL
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
