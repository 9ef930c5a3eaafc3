package apps

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/host/sandbox"
	"github.com/walkerhost/walkerhost/host/server"
	"github.com/walkerhost/walkerhost/host/store"
)

// PollInterval is how often a registry looks for activations made by other
// replicas sharing its store.
const PollInterval = 300 * time.Millisecond

// Builder builds the server of one app on one of its modules.
type Builder func(app string, mod *sandbox.Module) *server.Server

// Options configure a Registry.
type Options struct {
	Engine   *sandbox.Engine
	DB       *store.DB
	Build    Builder
	Default  string         // the app served at the contract's paths
	Limits   sandbox.Limits // of apps created by upload
	MaxBody  int            // of apps created by upload; 0: the host's
	Admin    string         // the admin token; empty disables the admin API
	Logger   *slog.Logger
	OnChange func(app string, version uint64, mod *sandbox.Module) // after each activation, for metrics
}

// Registry maps app names and Host headers to apps. It is safe for
// concurrent use.
type Registry struct {
	o Options

	mu    sync.RWMutex
	apps  map[string]*App
	hosts map[string]*App
	def   *App

	retiring sync.WaitGroup
	stopOnce sync.Once
	stop     chan struct{}
	polled   chan struct{}
}

// New returns a registry without apps; Add them, then Start.
func New(o Options) *Registry {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Registry{o: o, apps: map[string]*App{}, hosts: map[string]*App{}, stop: make(chan struct{})}
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
		r.install(a, 0, mod)
	}
	return nil
}

// install serves mod as version n of a and returns when the version it
// replaced has no request left.
func (r *Registry) install(a *App, n uint64, mod *sandbox.Module) {
	v := &version{n: n, mod: mod, srv: r.o.Build(a.Name, mod)}
	v.handler = v.srv.Handler()
	<-a.swap(v, &r.retiring, r.stop, r.o.Logger)
	if r.o.OnChange != nil {
		r.o.OnChange(a.Name, n, mod)
	}
	r.o.Logger.Info("app module active", "app", a.Name, "version", n, "module", mod.Name)
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
func (r *Registry) Handler() fasthttp.RequestHandler { return r.serve }

func (r *Registry) serve(ctx *fasthttp.RequestCtx) {
	if ctx.Request.IsBodyStream() && !r.readBody(ctx) {
		return
	}
	path := ctx.Path()
	if bytes.HasPrefix(path, []byte("/admin/")) {
		r.admin(ctx)
		return
	}
	if rest, ok := bytes.CutPrefix(path, []byte(Prefix)); ok {
		name, tail, _ := bytes.Cut(rest, []byte("/"))
		a, ok := r.App(string(name))
		if !ok || a == r.def {
			server.Fail(ctx, fasthttp.StatusNotFound, server.CodeNotFound, fmt.Sprintf("no app %q on this host", name), nil)
			return
		}
		ctx.URI().SetPathBytes(append([]byte("/"), tail...))
		a.serve(ctx)
		return
	}
	if len(r.hosts) > 0 {
		host, _, _ := strings.Cut(strings.ToLower(string(ctx.Host())), ":")
		r.mu.RLock()
		a := r.hosts[host]
		r.mu.RUnlock()
		if a != nil {
			a.serve(ctx)
			return
		}
	}
	r.def.serve(ctx)
}

// Start loads each app's active stored version and then follows the store
// for activations by other replicas, every PollInterval, until Close.
func (r *Registry) Start(ctx context.Context) error {
	if err := r.sync(ctx); err != nil {
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
			if err := r.sync(context.Background()); err != nil {
				r.o.Logger.Warn("apps: following activations", "err", err)
			}
		}
	}
}

// sync activates, for each app, the stored active version if it is not
// the one served, creating apps uploaded on another replica.
func (r *Registry) sync(ctx context.Context) error {
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
			continue
		}
		if err := r.activate(ctx, a, n, false); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// activate loads version n of a and serves it; with record, it is also
// written as the app's active version for the other replicas.
func (r *Registry) activate(ctx context.Context, a *App, n uint64, record bool) error {
	a.activate.Lock()
	defer a.activate.Unlock()
	if cur, mod := a.Version(); cur == n && mod != nil {
		return nil
	}
	wasm, err := readVersion(r.o.DB, a.Name, n)
	if err != nil {
		return err
	}
	mod, err := r.load(ctx, a, wasm)
	if err != nil {
		return err
	}
	if record {
		if err := setActive(r.o.DB, a.Name, n); err != nil {
			mod.Close(ctx)
			return err
		}
	}
	r.install(a, n, mod)
	return nil
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
	if a, err = r.ensure(app); err != nil {
		mod.Close(ctx)
		return VersionInfo{}, err
	}
	info, err := putVersion(r.o.DB, app, wasm)
	if err != nil || !activate {
		mod.Close(ctx)
		return info, err
	}
	a.activate.Lock()
	defer a.activate.Unlock()
	if err := setActive(r.o.DB, app, info.Version); err != nil {
		mod.Close(ctx)
		return info, err
	}
	r.install(a, info.Version, mod)
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
	r.install(a, 0, mod)
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
	if _, ok := r.App(app); !ok {
		return fmt.Errorf("%w: %q", ErrNoApp, app)
	}
	return deleteVersion(r.o.DB, app, n)
}

// Close stops following the store and closes every app's module; retired
// modules still draining are left to the engine's close. Closing twice is
// harmless.
func (r *Registry) Close(ctx context.Context) error {
	r.stopOnce.Do(func() { close(r.stop) })
	if r.polled != nil {
		<-r.polled
	}
	r.retiring.Wait()
	var errs []error
	for _, name := range r.Apps() {
		a, _ := r.App(name)
		if v := a.cur.Load(); v != nil {
			errs = append(errs, v.mod.Close(ctx))
		}
	}
	return errors.Join(errs...)
}
