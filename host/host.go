// Package host assembles a walker host from its parts: the store (embedded,
// or tiered on Redis and MongoDB), the graph, identity, file storage and
// key-value stores, the wasm engine with the apps' modules, and the HTTP
// server.
package host

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/apps"
	"github.com/walkerhost/walkerhost/internal/capability"
	"github.com/walkerhost/walkerhost/internal/capability/kvstore"
	"github.com/walkerhost/walkerhost/internal/capability/storage"
	"github.com/walkerhost/walkerhost/internal/files"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/identity"
	"github.com/walkerhost/walkerhost/internal/kv"
	"github.com/walkerhost/walkerhost/internal/metrics"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/server"
	"github.com/walkerhost/walkerhost/internal/tiered"
)

// Host is a running walker host serving one module.
type Host struct {
	cfg    config.Config
	log    *slog.Logger
	app    string
	db     *store.DB
	files  *files.Storage
	kv     *kv.Service
	engine *sandbox.Engine
	module *sandbox.Module
	ident  *identity.Service
	graph  *graph.Graph
	keys   *identity.APIKeys
	// seen holds the login failure counters and the webhook replay cache
	// (identity.Ephemeral); closeSeen closes its Redis client, if any.
	seen      identity.Ephemeral
	closeSeen func() error
	met       *metrics.Metrics
	apps      *apps.Registry
	http      *fasthttp.Server
	source    apps.SourceCompiler
	// given is the store WithStore handed in, used instead of opening one.
	given *store.DB
}

// Route is one endpoint of the served module: method, path, and the walker,
// function or host route behind it.
type Route = server.Route

// SourceCompiler turns an uploaded program that is not a wasm module (a Jac
// file) into one; nil when the upload is not source it knows.
type SourceCompiler = apps.SourceCompiler

// TierStats are the tiered store's counters (Redis hits and misses, writes
// through to MongoDB).
type TierStats = tiered.Stats

// Option adjusts how Open builds a Host.
type Option func(*Host)

// WithApp serves the module as app: the namespace of its graph, files and
// key-value stores (server.DefaultApp when not given).
func WithApp(app string) Option { return func(h *Host) { h.app = app } }

// WithSource lets the admin API accept program source (a Jac file) as well
// as wasm modules: compile turns an upload that is not a wasm module into
// one (apps.Options.Source).
func WithSource(compile SourceCompiler) Option { return func(h *Host) { h.source = compile } }

// WithStore serves from db instead of the store the configuration names
// (the data directory's, or the tiered one): store.New over a Backend of
// your own, held to the contract by host/store/storetest. The host closes
// it on Close.
func WithStore(db *store.DB) Option { return func(h *Host) { h.given = db } }

// Open validates cfg, opens the data directory and loads the module.
func Open(ctx context.Context, cfg config.Config, name string, wasm []byte, log *slog.Logger, opts ...Option) (*Host, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	h := &Host{cfg: cfg, log: log, app: server.DefaultApp}
	for _, o := range opts {
		o(h)
	}
	if h.app == "" {
		h.app = server.DefaultApp
	}
	if err := store.ValidName(h.app); err != nil {
		return nil, fmt.Errorf("host: app %q: %w", h.app, err)
	}
	if err := h.open(ctx, name, wasm); err != nil {
		h.Close()
		return nil, err
	}
	return h, nil
}

func (h *Host) open(ctx context.Context, name string, wasm []byte) (err error) {
	cfg, log := h.cfg, h.log
	if h.db = h.given; h.db == nil {
		if h.db, err = openStore(ctx, cfg, log); err != nil {
			return err
		}
	}
	secret, err := jwtSecret(h.db, cfg, log)
	if err != nil {
		return err
	}
	tokens, err := identity.NewTokens(secret, cfg.JWTAlgorithm, time.Duration(cfg.JWTExpDeltaDays)*24*time.Hour)
	if err != nil {
		return err
	}
	if h.files, err = openStorage(cfg); err != nil {
		return err
	}
	h.kv = kv.New(kv.Options{RedisURL: cfg.RedisURL, MongoURI: cfg.MongoURI, AllowedURIs: cfg.KVAllowedURIs})
	opts := engineOptions(cfg, log, h.files, h.kv)
	if h.engine, err = sandbox.NewEngine(ctx, opts); err != nil {
		return err
	}
	if h.module, err = h.engine.Load(ctx, name, wasm); err != nil {
		return err
	}
	h.graph = graph.New(h.db)
	h.ident = identity.New(h.db, h.graph.CreateRoot, tokens)
	if err := h.openSeen(); err != nil {
		return err
	}
	h.ident.Limit(identity.LoginLimits{
		UserFailures: cfg.LoginUserFailures, UserWindow: cfg.LoginUserWindow,
		IPFailures: cfg.LoginIPFailures, IPWindow: cfg.LoginIPWindow,
		Hashers: cfg.LoginHashers, HashQueue: cfg.LoginHashQueue,
	}, h.seen)
	h.keys = identity.NewAPIKeys(h.db, cfg.WebhookSecret)
	h.keys.SetMaxPerUser(cfg.APIKeyMaxPerUser)
	h.met = h.observe()
	if err := h.openApps(ctx); err != nil {
		return err
	}
	h.http = &fasthttp.Server{
		Handler: h.Handler(),
		Name:    "walkerhost",
		// Bodies are streamed: the registry reads each under its route's
		// limit as it arrives, so an announced size allocates nothing.
		StreamRequestBody:  true,
		MaxRequestBodySize: cfg.MaxBodyBytes,
		HeaderReceived:     h.requestConfig,
		ExpectHandler:      h.apps.ExpectContinue,
		// Multipart bodies are read once, by the walker endpoints (file
		// fields), with their errors in the envelope.
		DisablePreParseMultipartForm: true,
		ReadTimeout:                  cfg.HeaderTimeout, // the header; requestConfig sets the body's
		IdleTimeout:                  cfg.IdleTimeout,
		WriteTimeout:                 cfg.WriteTimeout,
		ErrorHandler:                 withErrHeaders(h.server().TransportError, cfg.ResponseHeaders),
		Logger:                       transportLog{log},
	}
	return nil
}

// observe creates the metrics registry and has the store report to it.
func (h *Host) observe() *metrics.Metrics {
	met := metrics.New()
	h.db.Observe(met.StoreOp)
	return met
}

// observePool has the scrapes report the pool of m.
func (h *Host) observePool(_ string, _ uint64, m *sandbox.Module) {
	h.met.Pool(m.Name, func() metrics.PoolStats { return metrics.PoolStats(m.Stats()) })
}

// openStorage opens the files guests reach with store(), under
// storage.base_path or DataDir/storage.
func openStorage(cfg config.Config) (*files.Storage, error) {
	base := cfg.StoragePath
	if base == "" {
		base = filepath.Join(cfg.DataDir, "storage")
	}
	return files.Open(files.Options{Type: cfg.StorageType, BasePath: base, CreateDirs: cfg.StorageCreateDirs})
}

// engineOptions are the sandbox options of cfg, with the storage and
// key-value capabilities serving fs and kvs (nil: the host has none, and
// store_call or kv_call answer ErrUnavailable).
func engineOptions(cfg config.Config, log *slog.Logger, fs *files.Storage, kvs *kv.Service) sandbox.Options {
	cache := cfg.CacheDir
	if cache == "" {
		cache = filepath.Join(cfg.DataDir, "wazero-cache")
	}
	return sandbox.Options{CacheDir: cache, Logger: log, Limits: limitsOf(cfg), LongCallCores: cfg.LongCallCores,
		CompileConcurrency: cfg.CompileConcurrency, CompileQueue: cfg.CompileQueue,
		Capabilities: []capability.Capability{storage.New(fs), kvstore.New(kvs)}}
}

// limitsOf is the sandbox's part of the limits of cfg.
func limitsOf(cfg config.Config) sandbox.Limits {
	return sandbox.Limits{
		Timeout:        cfg.RequestTimeout,
		MemoryMB:       cfg.MemoryLimitMB,
		MaxReportBytes: cfg.MaxReportBytes,
		MaxHostCalls:   cfg.MaxHostCalls,
		MaxHandles:     cfg.MaxHandles,
		MaxLogBytes:    cfg.MaxLogBytes,
		PoolSize:       cfg.PoolSize,
		FreshState:     cfg.FreshState,
		StorageBytes:   int64(cfg.StorageMB) << 20,
		KVValueBytes:   cfg.KVValueBytes,

		ModuleBytes:     cfg.MaxModuleBytes,
		Functions:       cfg.MaxFunctions,
		Nesting:         cfg.MaxNesting,
		TableEntries:    cfg.MaxTableEntries,
		ManifestBytes:   cfg.MaxManifestBytes,
		ManifestEntries: cfg.MaxManifestEntries,
	}
}

// Module returns the module the default app serves now: its instance pool's
// statistics and warming, for the jac command, benchmarks and tests.
func (h *Host) Module() *sandbox.Module {
	a, _ := h.apps.App(h.app)
	_, m := a.Version()
	return m
}

// server returns the server of the default app's current module.
func (h *Host) server() *server.Server {
	a, _ := h.apps.App(h.app)
	return a.Server()
}

// Routes returns the default app's endpoints.
func (h *Host) Routes() []Route { return h.server().Routes() }

// Token issues a Bearer token for an existing user, for running walkers as
// that user without a login (jac call --user).
func (h *Host) Token(username string) (string, error) {
	u, err := h.ident.User(h.app, username)
	if err != nil {
		return "", fmt.Errorf("host: no user %q in the data directory %s; register one with POST /user/register", username, h.cfg.DataDir)
	}
	return h.ident.Issue(h.app, u)
}

// Handler returns the HTTP handler, for serving it some other way.
func (h *Host) Handler() fasthttp.RequestHandler {
	return withHeaders(h.apps.Handler(), h.cfg.ResponseHeaders)
}

// withErrHeaders is withHeaders for the answers to requests fasthttp
// rejects before routing.
func withErrHeaders(next func(*fasthttp.RequestCtx, error), headers map[string]string) func(*fasthttp.RequestCtx, error) {
	return func(ctx *fasthttp.RequestCtx, err error) {
		withHeaders(func(ctx *fasthttp.RequestCtx) { next(ctx, err) }, headers)(ctx)
	}
}

// withHeaders sets the configured response headers (jac-scale's
// [environments.response.headers]) on every answer, after the handler, so
// they reach errors, docs and 404s too and win over the host's own. A
// streamed body is written after the handler returns, so it gets them too.
func withHeaders(next fasthttp.RequestHandler, headers map[string]string) fasthttp.RequestHandler {
	if len(headers) == 0 {
		return next
	}
	return func(ctx *fasthttp.RequestCtx) {
		next(ctx)
		for k, v := range headers {
			ctx.Response.Header.Set(k, v)
		}
	}
}

// Serve accepts connections on ln until Shutdown. It first raises the
// open-file limit as far as it goes; an error accepting a connection (even
// out of file descriptors) is retried, never returned, and connections over
// serve.max_connections or serve.max_connections_per_ip are refused.
func (h *Host) Serve(ln net.Listener) error {
	files, err := raiseFileLimit()
	if err != nil {
		h.log.Warn("could not raise the open-file limit", "limit", files, "err", err)
	}
	maxConns := h.cfg.MaxConnections
	if maxConns == 0 {
		maxConns = connectionCap(files)
	}
	perIP := perAddressCap(h.cfg.MaxConnectionsPerIP, maxConns)
	h.log.Info("connection limits", "open_files", files, "max_connections", maxConns,
		"max_connections_per_ip", perIP)
	g := newGuard(ln, h.log, maxConns, perIP)
	g.refused = h.met.ConnectionRefused
	return h.http.Serve(g)
}

// requestConfig is the per-request transport configuration once the header
// is in: the body's read time, and its size limit by route. A body
// announced over the limit gets a limit of 1 byte, so that the transport
// hands the request on at once, to be refused from its header.
func (h *Host) requestConfig(hdr *fasthttp.RequestHeader) fasthttp.RequestConfig {
	limit := h.apps.BodyLimit(hdr).Limit
	if hdr.ContentLength() > limit {
		limit = 1
	}
	return fasthttp.RequestConfig{ReadTimeout: h.cfg.BodyTimeout, MaxRequestBodySize: limit}
}

// Shutdown stops accepting connections and waits for requests in flight.
func (h *Host) Shutdown(ctx context.Context) error { return h.http.ShutdownWithContext(ctx) }

// Close releases the module, the engine and the store.
func (h *Host) Close() error {
	var errs []error
	if h.apps != nil {
		errs = append(errs, h.apps.Close(context.Background()))
	} else if h.module != nil {
		errs = append(errs, h.module.Close(context.Background()))
	}
	if h.engine != nil {
		errs = append(errs, h.engine.Close(context.Background()))
	}
	if h.kv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		errs = append(errs, h.kv.Close(ctx))
		cancel()
	}
	if h.files != nil {
		errs = append(errs, h.files.Close())
	}
	if h.closeSeen != nil {
		errs = append(errs, h.closeSeen())
	}
	if h.db != nil {
		errs = append(errs, h.db.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("host: close: %w", err)
	}
	return nil
}

// transportLog sends fasthttp's connection-level messages (client errors
// such as oversized bodies, already answered) to the debug log.
type transportLog struct{ log *slog.Logger }

func (l transportLog) Printf(format string, args ...any) { l.log.Debug(fmt.Sprintf(format, args...)) }
