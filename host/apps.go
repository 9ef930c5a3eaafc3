package host

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/apps"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/server"
)

// openApps builds the app registry: the default app on the module given to
// Open, one app per [apps.NAME] with its own limits, and the apps created
// by upload, each then switched to its active stored version.
func (h *Host) openApps(ctx context.Context) error {
	cfg := h.cfg
	h.apps = apps.New(apps.Options{
		Engine: h.engine, DB: h.db, Build: h.newServer, Default: h.app,
		Limits: limitsOf(cfg), MaxBody: cfg.MaxBodyBytes, MaxModule: maxModuleBytes(cfg), Admin: cfg.AdminToken,
		Logger: h.log, Metrics: h.met, OnChange: h.observePool, Source: h.source,
		OnHealth: func(app string, err error) { h.met.AppHealth(app, err != nil) },
	})
	def := &apps.App{Name: h.app, Limits: limitsOf(cfg), MaxBody: cfg.MaxBodyBytes}
	if err := h.apps.Add(def, h.module); err != nil {
		return err
	}
	for _, ac := range cfg.Apps {
		if ac.Name == h.app {
			return fmt.Errorf("host: apps.%s: the default app is served from the module given to jac start", ac.Name)
		}
		a := &apps.App{Name: ac.Name, Limits: limitsOf(ac.Limits), MaxBody: ac.Limits.MaxBodyBytes, Host: ac.Host}
		var mod *sandbox.Module
		if ac.Module != "" {
			wasm, err := os.ReadFile(ac.Module)
			if err != nil {
				return fmt.Errorf("host: apps.%s.module: %w", ac.Name, err)
			}
			if mod, err = h.engine.LoadWith(ctx, ac.Name, wasm, a.Limits); err != nil {
				return fmt.Errorf("host: apps.%s.module %s: %w", ac.Name, ac.Module, err)
			}
		}
		if err := h.apps.Add(a, mod); err != nil {
			return err
		}
	}
	return h.apps.Start(ctx)
}

// newServer builds the HTTP server of app on mod; apps share the store,
// identity service and metrics, each in its own namespace.
func (h *Host) newServer(app string, mod *sandbox.Module) *server.Server {
	cfg := h.cfg
	prefix := ""
	if app != h.app {
		prefix = strings.TrimSuffix(apps.Prefix, "/") + "/" + app
	}
	return server.New(server.Options{
		App: app, Module: mod, Graph: h.graph, Logger: h.log, Metrics: h.met, RoutePrefix: prefix,
		QuietRequests: !cfg.LogRequests,
		Checks:        []server.Checker{server.CheckFunc("store", h.db.Ping)},
		Advisories:    []server.Checker{server.CheckFunc("activation", h.activationCheck(app))},
		Identity:      h.ident,
		APIKeys:       h.keys,
		Webhook: server.WebhookOptions{
			SignatureHeader: cfg.WebhookSignatureHeader,
			SkipSignature:   !cfg.WebhookVerifySignature,
			ReplayWindow:    cfg.WebhookReplayWindow,
			KeyExpiryDays:   cfg.APIKeyExpiryDays,
			// Refused replays stay refused across the host's apps and
			// module versions (a server is built per version).
			OptionalTimestamp: !cfg.WebhookRequireTimestamp,
			Seen:              h.seen,
		},
		Traverse: server.TraverseLimits{MaxDepth: cfg.TraverseMaxDepth, MaxNodes: cfg.TraverseMaxNodes},
		Stream:   server.StreamOptions{BufferBytes: h.appLimits(app).StreamBufferBytes, WriteTimeout: cfg.WriteTimeout},
		SSO: server.SSOOptions{Host: cfg.SSOHost, Providers: map[string]server.SSOProvider{"google": {
			ClientID: cfg.SSOGoogleClientID, ClientSecret: cfg.SSOGoogleClientSecret,
			AuthURL: cfg.SSOGoogleAuthURL, TokenURL: cfg.SSOGoogleTokenURL, UserInfoURL: cfg.SSOGoogleUserInfoURL,
		}}},
	})
}

// activationCheck reports, in /readyz, an app whose stored active version
// this host could not serve: the default app's reports every app, as an
// app that serves no version has no /readyz of its own.
func (h *Host) activationCheck(app string) func(context.Context) error {
	if app == h.app {
		return func(context.Context) error { return h.apps.Unhealthy() }
	}
	return func(context.Context) error { return h.apps.Health(app) }
}

// appLimits is the configuration holding app's limits: its [apps.NAME]
// table's, or the global one (the default app, apps created by upload).
func (h *Host) appLimits(app string) *config.Config {
	for i := range h.cfg.Apps {
		if h.cfg.Apps[i].Name == app {
			return &h.cfg.Apps[i].Limits
		}
	}
	return &h.cfg
}

// Reload serves wasm, as module name, in place of the default app's module
// through the same atomic swap as an activation, without storing a version
// (apps.Registry.Replace). A refused module leaves the current one serving.
func (h *Host) Reload(ctx context.Context, name string, wasm []byte) error {
	return h.apps.Replace(ctx, h.app, name, wasm)
}

// maxModuleBytes is the largest module size limit of any app: the body
// limit of the admin upload route.
func maxModuleBytes(cfg config.Config) int {
	n := cfg.MaxModuleBytes
	for _, a := range cfg.Apps {
		n = max(n, a.Limits.MaxModuleBytes)
	}
	return n
}
