package apps_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/apps"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/server"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// replica is one registry of a test, with a builder that can be made to
// panic as fasthttp/router does on a route it cannot take.
type replica struct {
	*apps.Registry
	broken atomic.Bool
	mu     sync.Mutex
	health map[string]error // the last OnHealth report of each app
}

// limits are the apps' limits in these tests; timeout is the request time
// limit, which is also the drain deadline.
func limits(timeout time.Duration) sandbox.Limits {
	cfg := config.Default()
	return sandbox.Limits{Timeout: timeout, MemoryMB: cfg.MemoryLimitMB, MaxReportBytes: cfg.MaxReportBytes,
		MaxHostCalls: cfg.MaxHostCalls, MaxHandles: cfg.MaxHandles, MaxLogBytes: cfg.MaxLogBytes, PoolSize: 1}
}

func newEngine(t *testing.T, timeout time.Duration) *sandbox.Engine {
	t.Helper()
	ctx := context.Background()
	eng, err := sandbox.NewEngine(ctx, sandbox.Options{CacheDir: filepath.Join(testenv.CacheDir(), "wazero"), Limits: limits(timeout)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close(ctx) })
	return eng
}

func newDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// start starts a replica on db; more replicas on one db share its apps, as
// hosts sharing a store tier do.
func start(t *testing.T, eng *sandbox.Engine, db *store.DB, timeout time.Duration) *replica {
	t.Helper()
	return startBroken(t, eng, db, timeout, false)
}

// startBroken starts a replica whose builder panics from the start when
// broken.
func startBroken(t *testing.T, eng *sandbox.Engine, db *store.DB, timeout time.Duration, broken bool) *replica {
	t.Helper()
	rep := &replica{health: map[string]error{}}
	rep.broken.Store(broken)
	rep.Registry = apps.New(apps.Options{
		Engine: eng, DB: db, Default: "default", Limits: limits(timeout), Admin: "admin",
		Build: func(app string, mod *sandbox.Module) *server.Server {
			if rep.broken.Load() {
				panic("a handler is already registered for path '/walker/version'")
			}
			return server.New(server.Options{App: app, Module: mod})
		},
		OnHealth: func(app string, err error) {
			rep.mu.Lock()
			rep.health[app] = err
			rep.mu.Unlock()
		},
	})
	if err := rep.Add(&apps.App{Name: "default", Limits: limits(timeout)}, nil); err != nil {
		t.Fatal(err)
	}
	if err := rep.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rep.Close(context.Background()) })
	return rep
}

// serving is the version rep serves of app.
func (rep *replica) serving(app string) uint64 {
	a, ok := rep.App(app)
	if !ok {
		return 0
	}
	n, _ := a.Version()
	return n
}

func (rep *replica) reported(app string) (error, bool) {
	rep.mu.Lock()
	defer rep.mu.Unlock()
	err, ok := rep.health[app]
	return err, ok
}

func stored(t *testing.T, rep *replica, app string) uint64 {
	t.Helper()
	_, active, err := rep.Versions(app)
	if err != nil {
		t.Fatal(err)
	}
	return active
}

func upload(t *testing.T, rep *replica, app, v string, activate bool) {
	t.Helper()
	if _, err := rep.Upload(context.Background(), app, testenv.VersionGuest(t, v), activate); err != nil {
		t.Fatalf("upload %s of %s: %v", v, app, err)
	}
}

// eventually waits for cond, failing the test if it takes more than a
// minute: a bound against hanging, not a measure of speed.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(time.Minute); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("still waiting for %s after a minute", what)
		}
	}
}

// returns runs f and waits for it to return, failing the test if it does
// not within a minute.
func returns[T any](t *testing.T, what string, f func() T) T {
	t.Helper()
	done := make(chan T, 1)
	go func() { done <- f() }()
	select {
	case v := <-done:
		return v
	case <-time.After(time.Minute):
		t.Fatalf("%s still blocked after a minute", what)
		panic("unreachable")
	}
}

// TestActivation_BuildFails: an activation whose server cannot be built
// (the router panics) is refused with an error; the app keeps serving, and
// the store keeps recording, the version it had.
func TestActivation_BuildFails(t *testing.T) {
	eng := newEngine(t, 10*time.Second)
	ctx := context.Background()
	tests := []struct {
		name string
		op   func(*replica) error
	}{
		{"activate", func(r *replica) error { return r.Activate(ctx, "svc", 1) }},
		{"rollback", func(r *replica) error { _, err := r.Rollback(ctx, "svc"); return err }},
		{"upload and activate", func(r *replica) error {
			_, err := r.Upload(ctx, "svc", testenv.VersionGuest(t, "v1"), true)
			return err
		}},
		{"upload", func(r *replica) error {
			_, err := r.Upload(ctx, "svc", testenv.VersionGuest(t, "v1"), false)
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := start(t, eng, newDB(t), 10*time.Second)
			upload(t, rep, "svc", "v1", true)
			upload(t, rep, "svc", "v2", true)
			rep.broken.Store(true)
			err := tc.op(rep)
			if !errors.Is(err, apps.ErrRefused) || !strings.Contains(err.Error(), "the host cannot serve it: a handler is already registered") {
				t.Fatalf("got %v, want the build's panic as ErrRefused", err)
			}
			if got, active := rep.serving("svc"), stored(t, rep, "svc"); got != 2 || active != 2 {
				t.Fatalf("serving %d, stored active %d; want 2 and 2", got, active)
			}
			if list, _, _ := rep.Versions("svc"); len(list) != 2 {
				t.Fatalf("%d versions stored, want 2: nothing of a refused upload", len(list))
			}
		})
	}
}

// TestReplica_UnservableVersion: a replica that cannot serve the version
// another activated keeps serving the one it had, follows the other apps'
// activations, and reports the failure; once the app is rolled back it is
// healthy again. A replica started on the store meanwhile starts.
func TestReplica_UnservableVersion(t *testing.T) {
	eng, db := newEngine(t, 10*time.Second), newDB(t)
	one := start(t, eng, db, 10*time.Second)
	upload(t, one, "svc", "v1", true)
	upload(t, one, "other", "v1", true)
	two := start(t, eng, db, 10*time.Second)
	if two.serving("svc") != 1 || two.serving("other") != 1 {
		t.Fatalf("replica two serves svc %d, other %d; want 1 and 1", two.serving("svc"), two.serving("other"))
	}

	two.broken.Store(true)
	upload(t, one, "svc", "v2", true)
	eventually(t, "replica two's report of svc", func() bool { _, ok := two.reported("svc"); return ok })
	want := "version 2 cannot be served on this replica, serving version 1: apps: module refused"
	if err := two.Health("svc"); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("Health: %v, want %q...", err, want)
	}
	if err, _ := two.reported("svc"); err == nil {
		t.Fatal("OnHealth reported svc healthy")
	}
	if two.serving("svc") != 1 || stored(t, two, "svc") != 2 {
		t.Fatalf("replica two serves svc %d, stored %d; want 1 and 2", two.serving("svc"), stored(t, two, "svc"))
	}

	three := startBroken(t, eng, db, 10*time.Second, true) // a restart: the same failure, and no panic
	if err := three.Health("svc"); err == nil || !strings.HasPrefix(err.Error(), "version 2 cannot be served on this replica, serving none") {
		t.Fatalf("restarted replica: Health %v", err)
	}

	two.broken.Store(false) // the other apps still follow
	upload(t, one, "other", "v2", true)
	eventually(t, "replica two serving other v2", func() bool { return two.serving("other") == 2 })
	if two.serving("svc") != 1 {
		t.Fatalf("svc: serving %d, want 1: a failed version is not retried by the poll", two.serving("svc"))
	}
	if err := one.Activate(context.Background(), "svc", 1); err != nil {
		t.Fatal(err)
	}
	eventually(t, "replica two healthy again", func() bool { return two.Health("svc") == nil })
	if err, ok := two.reported("svc"); !ok || err != nil {
		t.Fatalf("OnHealth: %v, want a report of health", err)
	}
}

// TestDrain_Deadline: a request of the old version that never ends holds
// an activation at most until the old version's time limit, after which
// the new version serves.
func TestDrain_Deadline(t *testing.T) {
	eng := newEngine(t, 200*time.Millisecond)
	rep := start(t, eng, newDB(t), 200*time.Millisecond)
	upload(t, rep, "svc", "v1", true)
	upload(t, rep, "svc", "v2", false)
	release := apps.Hold(rep.Registry, "svc")
	defer release()
	if err := returns(t, "activation", func() error { return rep.Activate(context.Background(), "svc", 2) }); err != nil {
		t.Fatal(err)
	}
	if rep.serving("svc") != 2 {
		t.Fatalf("serving %d, want 2", rep.serving("svc"))
	}
}

// TestDrain_AppsIndependent: while one app's activation drains a request
// that does not end, another replica still follows the other apps'.
func TestDrain_AppsIndependent(t *testing.T) {
	const long = 10 * time.Minute // the drain of app a outlasts the test
	eng, db := newEngine(t, long), newDB(t)
	one := start(t, eng, db, long)
	for _, app := range []string{"a", "b"} {
		upload(t, one, app, "v1", true)
	}
	two := start(t, eng, db, long)
	release := apps.Hold(two.Registry, "a")
	defer release()
	upload(t, one, "a", "v2", true)
	eventually(t, "replica two serving a v2", func() bool { return two.serving("a") == 2 }) // swapped, now draining
	upload(t, one, "b", "v2", true)
	eventually(t, "replica two serving b v2 while a drains", func() bool { return two.serving("b") == 2 })
}
