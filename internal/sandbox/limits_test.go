package sandbox_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestLoadWith_PerModuleLimits loads one guest twice in one engine with
// different limits: each module keeps its own, and a memory limit below the
// module's declared minimum refuses it with a message saying so.
func TestLoadWith_PerModuleLimits(t *testing.T) {
	ctx := context.Background()
	eng, err := sandbox.NewEngine(ctx, sandbox.Options{CacheDir: testenv.CacheDir() + "/wazero", Limits: benchLimits,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	wasm := testenv.Guest(t, "hello")
	small := benchLimits
	small.PoolSize, small.MemoryMB = 2, 64
	a, err := eng.LoadWith(ctx, "a", wasm, small)
	if err != nil {
		t.Fatal(err)
	}
	b, err := eng.Load(ctx, "b", wasm)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Stats().Capacity; got != 2 {
		t.Fatalf("a's pool capacity %d, want 2", got)
	}
	if got := b.Stats().Capacity; got != benchLimits.PoolSize {
		t.Fatalf("b's pool capacity %d, want %d", got, benchLimits.PoolSize)
	}
	if a.Limits().MemoryMB != 64 || b.Limits().MemoryMB != benchLimits.MemoryMB {
		t.Fatalf("limits a %+v b %+v", a.Limits(), b.Limits())
	}
	tiny := benchLimits
	tiny.MemoryMB = 1
	_, err = eng.LoadWith(ctx, "tiny", wasm, tiny)
	if !errors.Is(err, sandbox.ErrModule) || !strings.Contains(err.Error(), "is more than the memory limit of 1 MiB") {
		t.Fatalf("got %v, want a refusal naming the memory minimum", err)
	}
}
