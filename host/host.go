// Package host assembles a walker host from its parts: the store (embedded,
// or tiered on Redis and MongoDB), the graph, identity, the wasm engine with
// one module, and the HTTP server.
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
	"github.com/walkerhost/walkerhost/host/graph"
	"github.com/walkerhost/walkerhost/host/identity"
	"github.com/walkerhost/walkerhost/host/sandbox"
	"github.com/walkerhost/walkerhost/host/server"
	"github.com/walkerhost/walkerhost/host/store"
)

// Host is a running walker host serving one module.
type Host struct {
	cfg    config.Config
	log    *slog.Logger
	db     *store.DB
	engine *sandbox.Engine
	module *sandbox.Module
	server *server.Server
	http   *fasthttp.Server
}

// Open validates cfg, opens the data directory and loads the module.
func Open(ctx context.Context, cfg config.Config, name string, wasm []byte, log *slog.Logger) (*Host, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	h := &Host{cfg: cfg, log: log}
	if err := h.open(ctx, name, wasm); err != nil {
		h.Close()
		return nil, err
	}
	return h, nil
}

func (h *Host) open(ctx context.Context, name string, wasm []byte) (err error) {
	cfg, log := h.cfg, h.log
	if h.db, err = openStore(ctx, cfg, log); err != nil {
		return err
	}
	secret, err := jwtSecret(h.db, cfg, log)
	if err != nil {
		return err
	}
	tokens, err := identity.NewTokens(secret, cfg.JWTAlgorithm, time.Duration(cfg.JWTExpDeltaDays)*24*time.Hour)
	if err != nil {
		return err
	}
	if h.engine, err = sandbox.NewEngine(ctx, engineOptions(cfg, log)); err != nil {
		return err
	}
	if h.module, err = h.engine.Load(ctx, name, wasm); err != nil {
		return err
	}
	g := graph.New(h.db)
	h.server = server.New(server.Options{
		Module: h.module, Graph: g, Logger: log,
		Identity: identity.New(h.db, g.CreateRoot, tokens),
		APIKeys:  identity.NewAPIKeys(h.db, cfg.WebhookSecret),
		Webhook: server.WebhookOptions{
			SignatureHeader: cfg.WebhookSignatureHeader,
			SkipSignature:   !cfg.WebhookVerifySignature,
			ReplayWindow:    cfg.WebhookReplayWindow,
			KeyExpiryDays:   cfg.APIKeyExpiryDays,
		},
		Traverse: server.TraverseLimits{MaxDepth: cfg.TraverseMaxDepth, MaxNodes: cfg.TraverseMaxNodes},
		SSO: server.SSOOptions{Host: cfg.SSOHost, Providers: map[string]server.SSOProvider{"google": {
			ClientID: cfg.SSOGoogleClientID, ClientSecret: cfg.SSOGoogleClientSecret,
			AuthURL: cfg.SSOGoogleAuthURL, TokenURL: cfg.SSOGoogleTokenURL, UserInfoURL: cfg.SSOGoogleUserInfoURL,
		}}},
	})
	h.http = &fasthttp.Server{
		Handler:            h.server.Handler(),
		Name:               "walkerhost",
		MaxRequestBodySize: cfg.MaxBodyBytes,
		ReadTimeout:        time.Minute,
		IdleTimeout:        2 * time.Minute,
		ErrorHandler:       server.TransportError,
		Logger:             transportLog{log},
	}
	return nil
}

func engineOptions(cfg config.Config, log *slog.Logger) sandbox.Options {
	cache := cfg.CacheDir
	if cache == "" {
		cache = filepath.Join(cfg.DataDir, "wazero-cache")
	}
	return sandbox.Options{
		CacheDir: cache,
		Logger:   log,
		Limits: sandbox.Limits{
			Timeout:        cfg.RequestTimeout,
			MemoryMB:       cfg.MemoryLimitMB,
			MaxReportBytes: cfg.MaxReportBytes,
			MaxHostCalls:   cfg.MaxHostCalls,
			MaxHandles:     cfg.MaxHandles,
			MaxLogBytes:    cfg.MaxLogBytes,
			PoolSize:       cfg.PoolSize,
		},
	}
}

// Module returns the served module.
func (h *Host) Module() *sandbox.Module { return h.module }

// Routes returns the served endpoints.
func (h *Host) Routes() []server.Route { return h.server.Routes() }

// Handler returns the HTTP handler, for serving it some other way.
func (h *Host) Handler() fasthttp.RequestHandler { return h.server.Handler() }

// Serve accepts connections on ln until Shutdown.
func (h *Host) Serve(ln net.Listener) error { return h.http.Serve(ln) }

// Shutdown stops accepting connections and waits for requests in flight.
func (h *Host) Shutdown(ctx context.Context) error { return h.http.ShutdownWithContext(ctx) }

// Close releases the module, the engine and the store.
func (h *Host) Close() error {
	var errs []error
	if h.module != nil {
		errs = append(errs, h.module.Close(context.Background()))
	}
	if h.engine != nil {
		errs = append(errs, h.engine.Close(context.Background()))
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
