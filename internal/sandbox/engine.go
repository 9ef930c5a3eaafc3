// Package sandbox runs walker modules (abi/ABI.md) in wazero: it compiles
// and validates modules, keeps pools of warm instances, serves the host
// functions of its capabilities (the built-in graph, permissions, output
// and request ones, and those of Options.Capabilities: see package
// capability and docs/CAPABILITIES.md) and turns traps and limits into
// errors. docs/LIFECYCLE.md describes the instance lifecycle.
package sandbox

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/walkerhost/walkerhost/internal/capability"
)

// Limits bound what one call of a walker may use.
type Limits struct {
	Timeout        time.Duration // wall clock per call
	MemoryMB       int           // linear memory per instance
	MaxReportBytes int           // reports plus output per call
	MaxHostCalls   int           // host function calls per call
	MaxHandles     int           // node and edge handles per call
	MaxLogBytes    int           // guest stdout/stderr kept per call
	PoolSize       int           // instances per module; also its concurrency cap
	// FreshState restores every instance to its state right after
	// _initialize when a call ends, so that nothing a call leaves in
	// globals or on the heap reaches the next one.
	FreshState bool
	// StorageBytes is how much the app's files may take in all (0: no
	// quota); KVValueBytes the largest value one key-value write stores.
	StorageBytes int64
	KVValueBytes int
	// Load-time bounds (LoadWith): a module over one is refused before it
	// is compiled, with a ModuleLimit error; 0 means the Default value.
	// TableEntries and the memory limit together bound an instance: its
	// tables take 8 bytes an entry out of MemoryMB.
	ModuleBytes     int // size of the module
	Functions       int // imported and defined functions
	Nesting         int // block nesting depth in one function
	TableEntries    int // entries of all tables together
	ManifestBytes   int // size of the manifest JSON
	ManifestEntries int // walkers, functions, node and edge types declared
}

// Defaults of the load-time bounds of Limits. Go walker modules measure
// 2.3 to 3 MB with 1 500 to 2 100 functions, tables of 5 600 to 6 200
// entries and a deepest nesting of 300 to 550 blocks (Go's runtime);
// manifests of a few KiB with tens of entries.
const (
	DefaultModuleBytes     = 32 << 20
	DefaultFunctions       = 100_000
	DefaultNesting         = 1_000
	DefaultTableEntries    = 1 << 20
	DefaultManifestBytes   = 256 << 10
	DefaultManifestEntries = 256
)

// MaxLocals bounds the locals one function may declare (a fixed limit, as
// in browsers' engines): a 226-byte function declaring 10 million locals
// takes wazero 2 s and 215 MB to compile. Go functions declare tens.
const MaxLocals = 50_000

// tableEntryBytes is what one table entry takes in an instance (a
// uintptr in wazero).
const tableEntryBytes = 8

// withDefaults returns lim with its zero load-time bounds set to the
// defaults.
func (lim Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&lim.ModuleBytes, DefaultModuleBytes)
	def(&lim.Functions, DefaultFunctions)
	def(&lim.Nesting, DefaultNesting)
	def(&lim.TableEntries, DefaultTableEntries)
	def(&lim.ManifestBytes, DefaultManifestBytes)
	def(&lim.ManifestEntries, DefaultManifestEntries)
	return lim
}

// Options configure an Engine.
type Options struct {
	CacheDir string // on-disk compilation cache; empty keeps it in memory
	Limits   Limits
	Logger   *slog.Logger
	// Capabilities are the host functions guests may import beside the
	// built-in ones (graph, permissions, output and the call's support
	// functions): storage, kvstore, ... (package capability). A module
	// importing a function no capability defines is refused at load.
	Capabilities []capability.Capability
	// LongCallCores is how many cores calls running past their first
	// millisecond share (see cpu.go); 0 means GOMAXPROCS-1, at least 1.
	LongCallCores int
	// CompileConcurrency is how many modules compile at once, host-wide
	// (0: GOMAXPROCS-1, at least 1); CompileQueue how many more loads may
	// wait for a turn (0: DefaultCompileQueue). A load beyond both is
	// refused with a LimitError "compiles" (see compile.go).
	CompileConcurrency int
	CompileQueue       int
}

// Engine owns the one wazero runtime of the process. It is safe for
// concurrent use.
type Engine struct {
	rt     wazero.Runtime
	limits Limits
	log    *slog.Logger
	host   *hostModule
	cpu    *cores
	gate   *compileGate
	codes  codeCache
	disk   *diskCache // nil without a cache directory
	cow    bool       // instances map images copy-on-write (image.go)
}

// NewEngine creates the runtime, with its compilation cache and the host
// modules ("walker" and a minimal WASI) instantiated once.
func NewEngine(ctx context.Context, o Options) (*Engine, error) {
	// No WithCloseOnContextDone: its exit to Go at every loop header doubles
	// the cost of a call. Modules carry their own checks instead
	// (wasmrewrite.InjectInterrupt): an interrupt flag the deadline timer
	// raises, and a yield to the host every few thousand loop iterations so
	// that the Go scheduler can stop the goroutine for a garbage collection.
	// The runtime allows any memory a 32-bit module may address; each
	// module declares its own maximum at load (LoadWith).
	cfg := wazero.NewRuntimeConfigCompiler().
		WithMemoryLimitPages(maxPages)
	if o.CacheDir != "" {
		cache, err := wazero.NewCompilationCacheWithDir(o.CacheDir)
		if err != nil {
			return nil, fmt.Errorf("sandbox: compilation cache %s: %w", o.CacheDir, err)
		}
		cfg = cfg.WithCompilationCache(cache)
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	host, err := newHostModule(o.Capabilities)
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	e := &Engine{rt: wazero.NewRuntimeWithConfig(ctx, cfg), limits: o.Limits, log: o.Logger, host: host, cpu: newCores(o.LongCallCores),
		gate: newCompileGate(o.CompileConcurrency, o.CompileQueue), disk: newDiskCache(o.CacheDir, o.Logger), cow: cowAvailable}
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, e.rt); err != nil {
		return nil, fmt.Errorf("sandbox: wasi: %w", err)
	}
	if err := host.instantiate(ctx, e.rt); err != nil {
		return nil, fmt.Errorf("sandbox: host module: %w", err)
	}
	return e, nil
}

// maxPages is the most memory a 32-bit module may address, in pages.
const maxPages = 65536

// Limits returns the limits modules are loaded with by Load.
func (e *Engine) Limits() Limits { return e.limits }

// Close releases the runtime and every module loaded in it.
func (e *Engine) Close(ctx context.Context) error { return e.rt.Close(ctx) }
