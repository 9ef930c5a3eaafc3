// Package apps serves several apps from one host: each app has its own
// module versions, users, graph, files, key-value namespaces and limits.
// The registry routes a request to its app — the default app at the
// contract's paths, any other under /apps/NAME/ or by its Host header —
// and swaps an app's module atomically when a version is activated, here
// or on another replica sharing the store. docs/APPS.md describes the model.
package apps

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/server"
	"github.com/walkerhost/walkerhost/internal/web"
)

// Prefix is where apps other than the default are mounted: /apps/NAME/...
const Prefix = "/apps/"

// App is one tenant: its name, limits and the version it serves now.
type App struct {
	Name    string
	Limits  sandbox.Limits
	MaxBody int    // largest request body; 0: the host's limit
	Host    string // Host header that selects the app, if any

	cur      atomic.Pointer[version]
	activate sync.Mutex  // one activation at a time
	syncing  atomic.Bool // a replica's activation of the stored version runs
	failed   atomic.Pointer[failure]
	// pending is the newest upload stored without activation, its module
	// loaded and its server built, kept for its activation so that it is
	// not compiled again; guarded by activate.
	pending *version
}

// failure is a stored active version this replica could not serve.
type failure struct {
	n   uint64
	err error
}

// version is one loaded module of an app and the server built on it.
type version struct {
	n        uint64 // stored version number; 0 for the module given at start
	mod      *sandbox.Module
	srv      *server.Server
	handler  fasthttp.RequestHandler
	inflight atomic.Int64
}

// Version returns the number of the version the app serves (0: the module
// it was started with) and its module; nil when it serves none yet.
func (a *App) Version() (uint64, *sandbox.Module) {
	if v := a.cur.Load(); v != nil {
		return v.n, v.mod
	}
	return 0, nil
}

// Server returns the server of the current version, nil when none.
func (a *App) Server() *server.Server {
	if v := a.cur.Load(); v != nil {
		return v.srv
	}
	return nil
}

// acquire returns the current version with the request counted in it. The
// second look at the pointer closes the race with a swap: a request counted
// in a version that was swapped out meanwhile tries again, so a retiring
// version that reads zero requests has none and gets none.
func (a *App) acquire() *version {
	for {
		v := a.cur.Load()
		if v == nil {
			return nil
		}
		v.inflight.Add(1)
		if a.cur.Load() == v {
			return v
		}
		v.inflight.Add(-1)
	}
}

// keepPending keeps v, an upload stored without activation, for its
// activation, closing the one it replaces: one upload is kept an app, the
// newest, so an app's uploads never hold more than one module beside the
// one it serves. The caller holds a.activate.
func (a *App) keepPending(ctx context.Context, v *version) {
	if old := a.pending; old != nil {
		old.mod.Close(ctx)
	}
	a.pending = v
}

// takePending returns the kept upload if it is version n, no longer kept;
// nil otherwise. The caller holds a.activate.
func (a *App) takePending(n uint64) *version {
	v := a.pending
	if v == nil || v.n != n {
		return nil
	}
	a.pending = nil
	return v
}

// serve hands one request of the app to the server of its version; what
// never reaches one is an error.
func (a *App) serve(ctx *fasthttp.RequestCtx) error {
	if a.MaxBody > 0 && len(ctx.Request.Body()) > a.MaxBody {
		return web.NewError(fasthttp.StatusRequestEntityTooLarge, web.CodeLimit,
			"request body exceeds the app's size limit (limits.max_body_bytes)", map[string]string{"limit": "request_body"})
	}
	v := a.acquire()
	if v == nil {
		return web.NewError(fasthttp.StatusNotFound, web.CodeNotFound, "app "+a.Name+" has no active module; upload one", nil)
	}
	defer v.inflight.Add(-1)
	v.handler(ctx)
	return nil
}

// swap makes v current and retires the version it replaces. The returned
// channel closes when the old version has no request left, or at the
// latest one time limit of the old version after the swap: a request in it
// by then has outlived its own deadline, and an activation waits no longer
// for it. The old module is closed a time limit after that, for streams,
// which run after their handler returned.
func (a *App) swap(v *version, wg *sync.WaitGroup, stop <-chan struct{}, log *slog.Logger) <-chan struct{} {
	drained := make(chan struct{})
	old := a.cur.Swap(v)
	if old == nil {
		close(drained)
		return drained
	}
	limit := old.mod.Limits().Timeout
	wg.Add(1)
	go func() {
		defer wg.Done()
		deadline := time.NewTimer(limit)
		defer deadline.Stop()
	drain:
		for old.inflight.Load() > 0 {
			select {
			case <-stop:
				close(drained)
				return // the engine closes with the host
			case <-deadline.C:
				log.Warn("apps: requests outlived the drain deadline; the retired module closes without them",
					"app", a.Name, "version", old.n, "requests", old.inflight.Load(), "deadline", limit)
				break drain
			case <-time.After(2 * time.Millisecond):
			}
		}
		close(drained)
		select {
		case <-stop:
			return
		case <-time.After(limit):
		}
		if err := old.mod.Close(context.Background()); err != nil {
			log.Warn("apps: closing a retired module", "app", a.Name, "version", old.n, "err", err)
		}
	}()
	return drained
}
