package host

import (
	"context"
	"log/slog"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/identity"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/server"
)

// Describe loads a module as Open would, without opening the data
// directory, and returns its manifest and the routes a host would serve:
// for jac routes and jac validate, which must work beside a running host.
// The compiled code is cached only where cfg.CacheDir says.
func Describe(ctx context.Context, cfg config.Config, name string, wasm []byte, log *slog.Logger) (*abi.Manifest, []server.Route, error) {
	opts := engineOptions(cfg, log, nil, nil)
	opts.CacheDir = cfg.CacheDir
	opts.Limits.PoolSize = 1
	engine, err := sandbox.NewEngine(ctx, opts)
	if err != nil {
		return nil, nil, err
	}
	defer engine.Close(ctx)
	m, err := engine.Load(ctx, name, wasm)
	if err != nil {
		return nil, nil, err
	}
	defer m.Close(ctx)
	// The API keys are never used: only the route table is built.
	s := server.New(server.Options{Module: m, APIKeys: identity.NewAPIKeys(nil, ""), Logger: log})
	return m.Manifest, s.Routes(), nil
}
