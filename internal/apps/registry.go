package apps

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/metrics"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/server"
	"github.com/walkerhost/walkerhost/internal/web"
)

// PollInterval is how often a registry looks for activations made by other
// replicas sharing its store.
const PollInterval = 300 * time.Millisecond

// SourceCompiler turns uploaded program source, file being its name, into
// a module; its error is the client's answer (file:line:col and the
// problem).
type SourceCompiler func(file string, src []byte) ([]byte, error)

// Builder builds the server of one app on one of its modules.
type Builder func(app string, mod *sandbox.Module) *server.Server

// Options configure a Registry.
type Options struct {
	Engine  *sandbox.Engine
	DB      *store.DB
	Build   Builder
	Default string         // the app served at the contract's paths
	Limits  sandbox.Limits // of apps created by upload
	MaxBody int            // of apps created by upload; 0: the host's
	// MaxModule is the body limit of module uploads: the largest module
	// size limit of any app (each load then checks its app's own).
	MaxModule int
	Admin     string // the admin token; empty disables the admin API
	Logger    *slog.Logger
	Metrics   *metrics.Metrics                                      // where admin requests are counted; a registry of its own when nil
	OnChange  func(app string, version uint64, mod *sandbox.Module) // after each activation, for metrics
	// Source, when set, compiles an upload that is not a wasm module (Jac
	// source, named by the query parameter file, app.jac by default);
	// without it such an upload is refused as a module that does not
	// decode.
	Source SourceCompiler
	// OnHealth reports, after each activation of an app's stored version
	// on this replica, whether it failed (see Health), for metrics.
	OnHealth func(app string, err error)
}

// Registry maps app names and Host headers to apps. It is safe for
// concurrent use.
type Registry struct {
	o Options

	mu    sync.RWMutex
	apps  map[string]*App
	hosts map[string]*App
	def   *App

	errs    web.Boundary
	access  *web.AccessLog
	admin   fasthttp.RequestHandler
	handler fasthttp.RequestHandler // serve, its errors answered

	retiring sync.WaitGroup
	syncs    sync.WaitGroup // the poll's activations, one app each
	stopOnce sync.Once
	stop     chan struct{}
	polled   chan struct{}
}

// New returns a registry without apps; Add them, then Start.
func New(o Options) *Registry {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Metrics == nil {
		o.Metrics = metrics.New()
	}
	r := &Registry{o: o, apps: map[string]*App{}, hosts: map[string]*App{}, stop: make(chan struct{}),
		errs: web.Boundary{Log: o.Logger}, access: web.NewAccessLog(o.Logger, o.Metrics)}
	r.admin = r.newAdmin()
	r.handler = r.errs.Handle(r.serve)
	return r
}

// Add registers an app and, when mod is not nil, serves it as version 0
// until a stored version is active.
func (r *Registry) Add(a *App, mod *sandbox.Module) error {
	if a.Name != r.o.Default && !config.ValidAppName(a.Name) {
		return fmt.Errorf("%w: %q", ErrBadName, a.Name)
	}
	r.mu.Lock()
	if _, dup := r.apps[a.Name]; dup {
		r.mu.Unlock()
		return fmt.Errorf("apps: app %s added twice", a.Name)
	}
	r.apps[a.Name] = a
	if a.Host != "" {
		r.hosts[a.Host] = a
	}
	if a.Name == r.o.Default {
		r.def = a
	}
	r.mu.Unlock()
	if mod != nil {
		v, err := r.build(a, 0, mod)
		if err != nil {
			mod.Close(context.Background())
			return err
		}
		r.install(a, v)
	}
	return nil
}

// build builds the server of mod as version n of a. The server is built
// here, before anything is stored or swapped, because it is the step that
// can fail once the module loaded: a panic in it (the router refusing a
// route the manifest check let through) is an error of this module, never
// the end of the process.
func (r *Registry) build(a *App, n uint64, mod *sandbox.Module) (v *version, err error) {
	defer func() {
		if p := recover(); p != nil {
			r.o.Logger.Error("apps: building the server of a module panicked", "app", a.Name, "version", n,
				"module", mod.Name, "panic", p, "stack", string(debug.Stack()))
			v, err = nil, fmt.Errorf("%w: module %q: the host cannot serve it: %v", ErrRefused, mod.Name, p)
		}
	}()
	v = &version{n: n, mod: mod, srv: r.o.Build(a.Name, mod)}
	v.handler = v.srv.Handler()
	return v, nil
}

// install serves v and returns when the version it replaced has no request
// left, or its drain deadline passed (App.swap).
func (r *Registry) install(a *App, v *version) {
	<-a.swap(v, &r.retiring, r.stop, r.o.Logger)
	if r.o.OnChange != nil {
		r.o.OnChange(a.Name, v.n, v.mod)
	}
	r.o.Logger.Info("app module active", "app", a.Name, "version", v.n, "module", v.mod.Name)
}

// App returns the named app.
func (r *Registry) App(name string) (*App, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	a, ok := r.apps[name]
	return a, ok
}

// Apps returns the apps' names, sorted.
func (r *Registry) Apps() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.apps))
	for n := range r.apps {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ensure returns the named app, creating it with the upload limits.
func (r *Registry) ensure(name string) (*App, error) {
	if a, ok := r.App(name); ok {
		return a, nil
	}
	if !config.ValidAppName(name) {
		return nil, fmt.Errorf("%w: %q: 1 to 64 lower-case letters, digits, '-' and '_'", ErrBadName, name)
	}
	a := &App{Name: name, Limits: r.o.Limits, MaxBody: r.o.MaxBody}
	if err := r.Add(a, nil); err != nil {
		if a, ok := r.App(name); ok { // added meanwhile
			return a, nil
		}
		return nil, err
	}
	return a, nil
}

// Handler routes a request: /admin/ to the admin API, /apps/NAME/ to that
// app with the prefix removed, a configured Host header to its app, and
// everything else to the default app.
func (r *Registry) Handler() fasthttp.RequestHandler { return r.handler }

func (r *Registry) serve(ctx *fasthttp.RequestCtx) error {
	if ctx.Request.IsBodyStream() && !r.readBody(ctx) {
		return nil
	}
	path := ctx.Path()
	if bytes.HasPrefix(path, []byte("/admin/")) {
		if trimmed := bytes.TrimRight(path, "/"); len(trimmed) < len(path) && len(trimmed) > len("/admin") {
			ctx.URI().SetPathBytes(trimmed) // the admin API takes its paths with or without a trailing slash
		}
		r.admin(ctx)
		return nil
	}
	if rest, ok := bytes.CutPrefix(path, []byte(Prefix)); ok {
		name, tail, _ := bytes.Cut(rest, []byte("/"))
		a, ok := r.App(string(name))
		if !ok || a == r.def {
			return web.NewError(fasthttp.StatusNotFound, web.CodeNotFound, fmt.Sprintf("no app %q on this host", name), nil)
		}
		ctx.URI().SetPathBytes(append([]byte("/"), tail...))
		return a.serve(ctx)
	}
	if len(r.hosts) > 0 {
		host, _, _ := strings.Cut(strings.ToLower(string(ctx.Host())), ":")
		r.mu.RLock()
		a := r.hosts[host]
		r.mu.RUnlock()
		if a != nil {
			return a.serve(ctx)
		}
	}
	return r.def.serve(ctx)
}

// Start loads each app's active stored version and then follows the store
// for activations by other replicas, every PollInterval, until Close. A
// version that cannot be served does not stop the start: its app keeps the
// version it has, if any, and reports the failure (Health).
func (r *Registry) Start(ctx context.Context) error {
	if err := r.sync(ctx, true); err != nil {
		return err
	}
	r.polled = make(chan struct{})
	go r.poll()
	return nil
}

func (r *Registry) poll() {
	defer close(r.polled)
	t := time.NewTicker(PollInterval)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
			if err := r.sync(context.Background(), false); err != nil {
				r.o.Logger.Warn("apps: following activations", "err", err)
			}
		}
	}
}

// sync activates, for each app, the stored active version if it is not
// the one served, creating apps uploaded on another replica. With wait it
// returns when they are active; without, each app's activation runs on its
// own, so that one draining app does not hold up the others, and an app
// whose activation still runs is left to it.
func (r *Registry) sync(ctx context.Context, wait bool) error {
	uploaded, err := uploadedApps(r.o.DB)
	if err != nil {
		return err
	}
	for _, name := range uploaded {
		if _, err := r.ensure(name); err != nil {
			r.o.Logger.Warn("apps: stored app", "app", name, "err", err)
		}
	}
	var errs []error
	for _, name := range r.Apps() {
		a, _ := r.App(name)
		n, err := activeVersion(r.o.DB, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if cur, _ := a.Version(); n == 0 || n == cur {
			r.healed(a) // rolled back to the version served, say
			continue
		}
		if f := a.failed.Load(); f != nil && f.n == n {
			continue // not retried: the same bytes fail the same way; a new activation or a restart retries
		}
		if !a.syncing.CompareAndSwap(false, true) {
			continue
		}
		if wait {
			errs = append(errs, r.follow(ctx, a, n))
			continue
		}
		r.syncs.Add(1)
		go func() {
			defer r.syncs.Done()
			if err := r.follow(ctx, a, n); err != nil {
				r.o.Logger.Warn("apps: following activations", "app", a.Name, "err", err)
			}
		}()
	}
	return errors.Join(errs...)
}

// follow activates version n of a, recorded as active by another replica
// (or before a restart). A version that fails to load or build is marked
// failed, and a keeps serving what it serves; the error returned is only
// one worth trying again, reading the store. A panic ends the activation,
// never the process.
func (r *Registry) follow(ctx context.Context, a *App, n uint64) (err error) {
	defer a.syncing.Store(false)
	defer func() {
		if p := recover(); p != nil {
			r.o.Logger.Error("apps: activation panicked", "app", a.Name, "version", n, "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("%w: activation panicked: %v", ErrRefused, p)
		}
		if errors.Is(err, ErrRefused) {
			r.fail(a, n, err)
			err = nil
		}
	}()
	return r.activate(ctx, a, n, false)
}

// fail records that version n of a cannot be served here.
func (r *Registry) fail(a *App, n uint64, err error) {
	a.failed.Store(&failure{n, err})
	cur, _ := a.Version()
	r.o.Logger.Error("apps: the active version cannot be served on this replica; keeping the one served",
		"app", a.Name, "version", n, "serving", cur, "err", err)
	if r.o.OnHealth != nil {
		r.o.OnHealth(a.Name, r.Health(a.Name))
	}
}

// Health is nil when the app serves its stored active version, or when this
// replica is yet to try; otherwise it says which version could not be
// served, why, and which version is served instead.
func (r *Registry) Health(app string) error {
	a, ok := r.App(app)
	if !ok {
		return fmt.Errorf("%w: %q", ErrNoApp, app)
	}
	f := a.failed.Load()
	if f == nil {
		return nil
	}
	if cur, mod := a.Version(); mod != nil {
		return fmt.Errorf("version %d cannot be served on this replica, serving version %d: %w", f.n, cur, f.err)
	}
	return fmt.Errorf("version %d cannot be served on this replica, serving none: %w", f.n, f.err)
}

// Unhealthy joins the Health of every app that has a failure, each named;
// nil when none has.
func (r *Registry) Unhealthy() error {
	var msgs []string
	for _, name := range r.Apps() {
		if err := r.Health(name); err != nil {
			msgs = append(msgs, "app "+name+": "+err.Error())
		}
	}
	if msgs == nil {
		return nil
	}
	return errors.New(strings.Join(msgs, "; "))
}

// activate loads version n of a and serves it; with record, it is also
// written as the app's active version for the other replicas. Nothing is
// recorded or swapped unless the module loaded and its server was built.
func (r *Registry) activate(ctx context.Context, a *App, n uint64, record bool) error {
	a.activate.Lock()
	defer a.activate.Unlock()
	if cur, mod := a.Version(); cur == n && mod != nil {
		return nil
	}
	v := a.takePending(n)
	if v == nil {
		wasm, err := readVersion(r.o.DB, a.Name, n)
		if err != nil {
			return err
		}
		mod, err := r.load(ctx, a, wasm)
		if err != nil {
			return err
		}
		if v, err = r.build(a, n, mod); err != nil {
			mod.Close(ctx)
			return err
		}
	}
	if record {
		if err := setActive(r.o.DB, a.Name, n); err != nil {
			v.mod.Close(ctx)
			return err
		}
	}
	r.install(a, v)
	r.healed(a)
	return nil
}

// healed clears a's failure: it serves its active version again.
func (r *Registry) healed(a *App) {
	if a.failed.Swap(nil) != nil && r.o.OnHealth != nil {
		r.o.OnHealth(a.Name, nil)
	}
}

// load loads wasm under a's limits, named as the app's module.
func (r *Registry) load(ctx context.Context, a *App, wasm []byte) (*sandbox.Module, error) {
	mod, err := r.o.Engine.LoadWith(ctx, a.Name, wasm, a.Limits)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRefused, err)
	}
	return mod, nil
}

// Upload validates wasm by loading it under the app's limits and stores it
// as the app's next version, creating the app if needed. With activate, the
// loaded module is served at once. Nothing is stored when it is refused.
func (r *Registry) Upload(ctx context.Context, app string, wasm []byte, activate bool) (VersionInfo, error) {
	a, ok := r.App(app)
	if !ok {
		if !config.ValidAppName(app) {
			return VersionInfo{}, fmt.Errorf("%w: %q: 1 to 64 lower-case letters, digits, '-' and '_'", ErrBadName, app)
		}
		a = &App{Name: app, Limits: r.o.Limits, MaxBody: r.o.MaxBody}
	}
	mod, err := r.load(ctx, a, wasm)
	if err != nil {
		return VersionInfo{}, err
	}
	v, err := r.build(a, 0, mod) // refuses a module the server cannot serve
	if err != nil {
		mod.Close(ctx)
		return VersionInfo{}, err
	}
	if a, err = r.ensure(app); err != nil {
		mod.Close(ctx)
		return VersionInfo{}, err
	}
	info, err := putVersion(r.o.DB, app, wasm)
	if err != nil {
		mod.Close(ctx)
		return info, err
	}
	a.activate.Lock()
	defer a.activate.Unlock()
	if !activate {
		v.n = info.Version
		a.keepPending(ctx, v)
		return info, nil
	}
	if err := setActive(r.o.DB, app, info.Version); err != nil {
		mod.Close(ctx)
		return info, err
	}
	v.n = info.Version
	r.install(a, v)
	r.healed(a)
	return info, nil
}

// Replace loads wasm as module name under the app's limits and serves it
// in place of the app's current module, as version 0: nothing is stored, so
// other replicas and the next start do not see it (jac start --reload).
// Like an activation, it returns once the replaced module has no request
// left; a refused module leaves the current one serving.
func (r *Registry) Replace(ctx context.Context, app, name string, wasm []byte) error {
	a, ok := r.App(app)
	if !ok {
		return fmt.Errorf("%w: %q", ErrNoApp, app)
	}
	a.activate.Lock()
	defer a.activate.Unlock()
	mod, err := r.o.Engine.LoadWith(ctx, name, wasm, a.Limits)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrRefused, err)
	}
	v, err := r.build(a, 0, mod)
	if err != nil {
		mod.Close(ctx)
		return err
	}
	r.install(a, v)
	return nil
}

// Activate serves version n of app and records it as active; it returns
// once requests in the version it replaced have finished.
func (r *Registry) Activate(ctx context.Context, app string, n uint64) error {
	a, ok := r.App(app)
	if !ok {
		return fmt.Errorf("%w: %q", ErrNoApp, app)
	}
	return r.activate(ctx, a, n, true)
}

// Rollback activates the newest stored version older than the active one.
func (r *Registry) Rollback(ctx context.Context, app string) (uint64, error) {
	list, active, err := r.Versions(app)
	if err != nil {
		return 0, err
	}
	var prev uint64
	for _, v := range list {
		if v.Version < active {
			prev = v.Version
		}
	}
	if prev == 0 {
		return 0, fmt.Errorf("%w: app %s has no version older than %d", ErrNoVersion, app, active)
	}
	return prev, r.Activate(ctx, app, prev)
}

// Versions lists the app's stored versions and the active one.
func (r *Registry) Versions(app string) ([]VersionInfo, uint64, error) {
	if _, ok := r.App(app); !ok {
		return nil, 0, fmt.Errorf("%w: %q", ErrNoApp, app)
	}
	return versions(r.o.DB, app)
}

// Delete removes a stored version that is not active.
func (r *Registry) Delete(app string, n uint64) error {
	a, ok := r.App(app)
	if !ok {
		return fmt.Errorf("%w: %q", ErrNoApp, app)
	}
	if err := deleteVersion(r.o.DB, app, n); err != nil {
		return err
	}
	a.activate.Lock()
	defer a.activate.Unlock()
	if v := a.takePending(n); v != nil {
		v.mod.Close(context.Background())
	}
	return nil
}

// Close stops following the store and closes every app's module; retired
// modules still draining are left to the engine's close. Closing twice is
// harmless.
func (r *Registry) Close(ctx context.Context) error {
	r.stopOnce.Do(func() { close(r.stop) })
	if r.polled != nil {
		<-r.polled
	}
	r.syncs.Wait()
	r.retiring.Wait()
	var errs []error
	for _, name := range r.Apps() {
		a, _ := r.App(name)
		if v := a.cur.Load(); v != nil {
			errs = append(errs, v.mod.Close(ctx))
		}
		a.activate.Lock()
		if a.pending != nil {
			errs = append(errs, a.pending.mod.Close(ctx))
			a.pending = nil
		}
		a.activate.Unlock()
	}
	return errors.Join(errs...)
}
