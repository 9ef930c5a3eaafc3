package server_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// newEngine is a sandbox engine with the default limits and one instance
// per module, closed when the test ends.
func newEngine(t *testing.T) *sandbox.Engine {
	t.Helper()
	ctx := context.Background()
	cfg := config.Default()
	eng, err := sandbox.NewEngine(ctx, sandbox.Options{CacheDir: filepath.Join(testenv.CacheDir(), "wazero"), Limits: sandbox.Limits{
		Timeout: cfg.RequestTimeout, MemoryMB: cfg.MemoryLimitMB, MaxReportBytes: cfg.MaxReportBytes, MaxHostCalls: cfg.MaxHostCalls,
		MaxHandles: cfg.MaxHandles, MaxLogBytes: cfg.MaxLogBytes, PoolSize: 1,
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close(ctx) })
	return eng
}
