package host

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/files"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/sandbox"
)

// RunWalker loads a module as Describe does and runs one of its walkers
// once, private ones included, on the root of a new user of a graph that
// lives in a temporary folder for this run only, with file storage (the
// app's limits applied) in that folder too; it returns the walker's
// reports. jac run uses it to run a Jac program's entry blocks through the
// sandbox, as `jac run` runs them in a fresh folder.
func RunWalker(ctx context.Context, cfg config.Config, name string, wasm []byte, walker string, log *slog.Logger) ([]json.RawMessage, error) {
	dir, err := os.MkdirTemp("", "jac-run-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	fs, err := files.Open(files.Options{Type: files.TypeLocal, BasePath: filepath.Join(dir, "storage"), CreateDirs: true})
	if err != nil {
		return nil, err
	}
	defer fs.Close()
	opts := engineOptions(cfg, log, fs, nil)
	opts.CacheDir = cfg.CacheDir
	if opts.CacheDir == "" {
		// Runs follow one another: the user's cache spares each the
		// compilation of the module (of the Jac runtime, seconds).
		if c, err := os.UserCacheDir(); err == nil {
			opts.CacheDir = filepath.Join(c, "walkerhost", "wazero")
		}
	}
	opts.Limits.PoolSize = 1
	engine, err := sandbox.NewEngine(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer engine.Close(ctx)
	m, err := engine.Load(ctx, name, wasm)
	if err != nil {
		return nil, err
	}
	defer m.Close(ctx)
	db, err := store.Open(filepath.Join(dir, "graph"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	g := graph.New(db)
	root, err := g.CreateRoot("run")
	if err != nil {
		return nil, err
	}
	tx := g.Begin("run", graph.Caller{Root: root})
	defer tx.Rollback()
	fields, _ := abi.AppendMap(nil, map[string]any{})
	out, err := m.Call(ctx, &sandbox.Request{Kind: abi.KindWalker, Name: walker, App: "run", Tx: tx, Root: root, Fields: fields}, nil)
	if err != nil {
		return nil, err
	}
	var payload struct {
		Reports []json.RawMessage `json:"reports"`
	}
	if err := json.Unmarshal(out, &payload); err != nil {
		return nil, fmt.Errorf("host: walker %s: %w", walker, err)
	}
	return payload.Reports, nil
}
