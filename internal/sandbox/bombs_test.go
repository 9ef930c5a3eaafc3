package sandbox_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/testenv/wasmbomb"
)

func bombEngine(t *testing.T, o sandbox.Options) *sandbox.Engine {
	t.Helper()
	ctx := context.Background()
	o.Limits = benchLimits
	o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	eng, err := sandbox.NewEngine(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close(ctx) })
	return eng
}

// TestLoad_Bombs loads modules that cost far more than their size to
// compile or instantiate: each is refused before compilation with a
// ModuleLimit naming the limit, under the default bounds and under
// smaller ones of its own. Modules just within the bounds load.
func TestLoad_Bombs(t *testing.T) {
	eng := bombEngine(t, sandbox.Options{})
	small := benchLimits
	small.Functions, small.Nesting, small.TableEntries, small.ManifestEntries = 50, 20, 100, 3
	small.ModuleBytes, small.ManifestBytes = 4096, 1024
	tests := []struct {
		name  string
		spec  wasmbomb.Spec
		lim   sandbox.Limits
		limit string // "" loads
		msg   string
	}{
		// The bombs of the isolation issue, under the default bounds.
		{"two tables of 2^26 entries", wasmbomb.Spec{Tables: []uint32{1 << 26, 1 << 26}}, benchLimits,
			"table_entries", "tables of 134217728 entries, more than the limit of 1048576 (limits.max_table_entries)"},
		{"100 000 nested blocks", wasmbomb.Spec{Nesting: 100_000}, benchLimits,
			"nesting", "a function nests blocks 100001 deep, more than the limit of 1000 (limits.max_nesting)"},
		{"2 M empty functions", wasmbomb.Spec{Functions: 2_000_000}, benchLimits,
			"functions", "2000008 functions, more than the limit of 100000 (limits.max_functions)"},
		{"oversize module", wasmbomb.Spec{Pad: 33 << 20}, benchLimits,
			"module_bytes", "more than the module size limit of 33554432 bytes (limits.max_module_bytes)"},
		{"8 000-walker manifest", wasmbomb.Spec{Manifest: wasmbomb.Walkers(8000)}, benchLimits,
			"manifest_bytes", "manifest: 454911 bytes, more than the limit of 262144 (limits.max_manifest_bytes)"},
		{"10 M locals", wasmbomb.Spec{Locals: 10_000_000}, benchLimits,
			"locals", "a function declares 10000000 locals, more than the limit of 50000"},
		// Just over the default bounds.
		{"1 000 nested blocks", wasmbomb.Spec{Nesting: 1000}, benchLimits, "nesting", "1001 deep"},
		{"100 000 functions", wasmbomb.Spec{Functions: 99_993}, benchLimits, "functions", "100001 functions"},
		{"two tables of 2^19+1", wasmbomb.Spec{Tables: []uint32{1<<19 + 1, 1 << 19}}, benchLimits, "table_entries", "1048577 entries"},
		{"257 walkers", wasmbomb.Spec{Manifest: wasmbomb.Walkers(257)}, benchLimits,
			"manifest_entries", "257 walkers, functions, node and edge types, more than the limit of 256 (limits.max_manifest_entries)"},
		{"50 001 locals", wasmbomb.Spec{Locals: 50_001}, benchLimits, "locals", "50001 locals"},
		// Over and within bounds of a module's own.
		{"functions over", wasmbomb.Spec{Functions: 43}, small, "functions", "51 functions, more than the limit of 50"},
		{"nesting over", wasmbomb.Spec{Nesting: 20}, small, "nesting", "21 deep, more than the limit of 20"},
		{"tables over", wasmbomb.Spec{Tables: []uint32{60, 41}}, small, "table_entries", "101 entries, more than the limit of 100"},
		{"size over", wasmbomb.Spec{Pad: 4096}, small, "module_bytes", "more than the module size limit of 4096 bytes"},
		{"manifest bytes over", wasmbomb.Spec{Manifest: wasmbomb.Walkers(20)}, small, "manifest_bytes", "more than the limit of 1024"},
		{"manifest entries over", wasmbomb.Spec{Manifest: wasmbomb.Walkers(4)}, small, "manifest_entries", "4 walkers"},
		{"all within", wasmbomb.Spec{Functions: 41, Nesting: 19, Tables: []uint32{60, 40}, Manifest: wasmbomb.Walkers(3)}, small, "", ""},
		{"minimal module, default bounds", wasmbomb.Spec{}, benchLimits, "", ""},
		{"999 nested blocks, default bounds", wasmbomb.Spec{Nesting: 999}, benchLimits, "", ""},
	}
	ctx := context.Background()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := eng.LoadWith(ctx, "bomb", tc.spec.Build(), tc.lim)
			if tc.limit == "" {
				if err != nil {
					t.Fatal(err)
				}
				m.Close(ctx)
				return
			}
			if m != nil {
				m.Close(ctx)
			}
			var lim *sandbox.LimitError
			if !errors.Is(err, sandbox.ErrModule) || !errors.As(err, &lim) || lim.Limit != tc.limit || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v, want a refusal for limit %q saying %q", err, tc.limit, tc.msg)
			}
		})
	}
}

// TestLoad_TablesCountInMemory: a module's tables, at 8 bytes an entry,
// come out of its memory limit, so memory_mb bounds memory and tables.
func TestLoad_TablesCountInMemory(t *testing.T) {
	eng := bombEngine(t, sandbox.Options{})
	ctx := context.Background()
	lim := benchLimits
	lim.MemoryMB = 8
	wasm := wasmbomb.Spec{Tables: []uint32{1 << 20}}.Build() // 8 MiB of tables and 2 pages of memory
	_, err := eng.LoadWith(ctx, "tables", wasm, lim)
	if !errors.Is(err, sandbox.ErrModule) || !strings.Contains(err.Error(), "with tables of 8192 KiB is more than the memory limit of 8 MiB") {
		t.Fatalf("got %v, want a refusal counting the tables in the memory limit", err)
	}
	lim.MemoryMB = 9
	m, err := eng.LoadWith(ctx, "tables", wasm, lim)
	if err != nil {
		t.Fatalf("with 1 MiB left for memory: %v", err)
	}
	m.Close(ctx)
}

// TestCompile_Hammer loads many distinct modules at once into an engine
// that compiles two at a time with a queue of four: no more than two ever
// compile at once, every load either succeeds or is refused naming the
// "compiles" limit, and the engine loads normally afterwards.
func TestCompile_Hammer(t *testing.T) {
	eng := bombEngine(t, sandbox.Options{CompileConcurrency: 2, CompileQueue: 4})
	ctx := context.Background()
	const loaders = 24
	var wg sync.WaitGroup
	var mu sync.Mutex
	loaded, refused := 0, 0
	for i := range loaders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Distinct bytes, so that no compilation is a cache hit; the
			// nesting makes each take a few milliseconds.
			spec := wasmbomb.Spec{Nesting: 900, Nested: 3, Manifest: fmt.Sprintf(`{"abi":1,"walkers":[{"name":"w%d"}]}`, i)}
			m, err := eng.Load(ctx, fmt.Sprintf("m%d", i), spec.Build())
			var lim *sandbox.LimitError
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				loaded++
				m.Close(ctx)
			case errors.As(err, &lim) && lim.Limit == "compiles" && strings.Contains(err.Error(), "serve.compile_concurrency"):
				refused++
			default:
				t.Errorf("load %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if peak := sandbox.CompilePeak(eng); peak > 2 || peak < 1 {
		t.Fatalf("%d compilations ran at once, want at most 2", peak)
	}
	if loaded+refused != loaders || loaded < 6 {
		t.Fatalf("%d loaded, %d refused of %d", loaded, refused, loaders)
	}
	t.Logf("%d loaded, %d refused as busy", loaded, refused)
	m, err := eng.Load(ctx, "after", wasmbomb.Spec{}.Build())
	if err != nil {
		t.Fatalf("load after the hammer: %v", err)
	}
	m.Close(ctx)
}
