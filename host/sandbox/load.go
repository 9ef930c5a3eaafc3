package sandbox

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/host/internal/wasmrewrite"
	"github.com/walkerhost/walkerhost/host/manifest"
)

// MaxModuleBytes bounds the size of a module accepted by Load.
const MaxModuleBytes = 64 << 20

const wasiModule = wasi_snapshot_preview1.ModuleName

// wasiAllowed is the WASI subset of abi/ABI.md "WASI".
var wasiAllowed = []string{
	"fd_write", "fd_close", "fd_fdstat_get", "fd_seek", "fd_read", "clock_time_get", "clock_res_get",
	"random_get", "proc_exit", "sched_yield", "poll_oneoff", "environ_get", "environ_sizes_get",
	"args_get", "args_sizes_get", "fd_fdstat_set_flags", "fd_prestat_get", "fd_prestat_dir_name",
}

type signature struct{ params, results []api.ValueType }

var (
	vI32 = api.ValueTypeI32
	vI64 = api.ValueTypeI64
)

// requiredExports are the guest exports of abi/ABI.md "Guest exports".
var requiredExports = map[string]signature{
	abi.ExportInitialize: {nil, nil},
	abi.ExportABIVersion: {nil, []api.ValueType{vI32}},
	abi.ExportManifest:   {nil, []api.ValueType{vI64}},
	abi.ExportAlloc:      {[]api.ValueType{vI32}, []api.ValueType{vI32}},
	abi.ExportHandle:     {[]api.ValueType{vI32}, []api.ValueType{vI32}},
}

// Load compiles, validates and instantiates a module under the engine's
// limits, reads its manifest and returns it ready to serve. name is used in
// messages and logs.
func (e *Engine) Load(ctx context.Context, name string, wasm []byte) (*Module, error) {
	return e.LoadWith(ctx, name, wasm, e.limits)
}

// LoadWith is Load with limits of the module's own: its calls run under
// lim, and its memory is capped at lim.MemoryMB by declaring that maximum
// in the module (wasmrewrite.CapMemory), so modules of one engine may have
// different memory limits. A module whose memory minimum exceeds the limit
// is refused.
func (e *Engine) LoadWith(ctx context.Context, name string, wasm []byte, lim Limits) (*Module, error) {
	refuse := func(format string, args ...any) error {
		return fmt.Errorf("%w: module %q: %s", ErrModule, name, fmt.Sprintf(format, args...))
	}
	if len(wasm) > MaxModuleBytes {
		return nil, refuse("%d bytes, more than the %d allowed", len(wasm), MaxModuleBytes)
	}
	merged, stats, err := wasmrewrite.MergeDataSegments(wasm, wasmrewrite.DefaultMaxGap)
	if err != nil {
		return nil, refuse("decode: %v", err)
	}
	if msg := checkSections(merged); msg != "" {
		return nil, refuse("%s", msg)
	}
	merged, mem, err := wasmrewrite.CapMemory(merged, uint32(lim.MemoryMB)*pagesPerMiB)
	if err != nil {
		return nil, refuse("decode: %v", err)
	}
	if mem.Min > uint32(lim.MemoryMB)*pagesPerMiB {
		return nil, refuse("memory minimum of %d MiB (%d pages) is more than the memory limit of %d MiB",
			mem.Min/pagesPerMiB, mem.Min, lim.MemoryMB)
	}
	prepared, checks, err := wasmrewrite.InjectInterrupt(merged)
	if err != nil {
		return nil, refuse("instrument: %v", err)
	}
	prepared, globals, err := wasmrewrite.ExportGlobals(prepared)
	if err != nil {
		return nil, refuse("instrument: %v", err)
	}
	compiled, err := e.rt.CompileModule(ctx, prepared)
	if err != nil {
		return nil, refuse("compile: %v", err)
	}
	e.log.Debug("module prepared", "module", name, "data_segments", stats.SegmentsBefore, "merged_to", stats.SegmentsAfter)
	if msg := checkImports(compiled); msg != "" {
		compiled.Close(ctx)
		return nil, refuse("%s", msg)
	}
	if msg := checkExports(compiled); msg != "" {
		compiled.Close(ctx)
		return nil, refuse("%s", msg)
	}
	if !checks.Yields {
		compiled.Close(ctx)
		return nil, refuse("does not import %s.sched_yield, which the host's checks call to share the cores "+
			"and to let the garbage collector stop a running guest", wasiModule)
	}
	m := &Module{Name: name, engine: e, limits: lim, compiled: compiled, globals: globals}
	m.pool = newPool(m, lim.PoolSize)
	if err := m.describe(ctx); err != nil {
		m.Close(ctx)
		return nil, refuse("%v", err)
	}
	return m, nil
}

// checkSections refuses a start section: it would run at instantiation,
// before the interrupt flag can be reached, so a loop in it could not be
// stopped. Walker modules are reactors, initialised by _initialize.
func checkSections(wasm []byte) string {
	secs, err := wasmrewrite.Sections(wasm)
	if err != nil {
		return "decode: " + err.Error()
	}
	for _, s := range secs {
		if s.ID == startSection {
			return "has a start section; a walker module is a reactor initialised by " + abi.ExportInitialize
		}
	}
	return ""
}

const startSection = 8

// pagesPerMiB is the number of 64 KiB wasm pages in a MiB.
const pagesPerMiB = 16

func checkImports(c wazero.CompiledModule) string {
	if len(c.ImportedMemories()) > 0 {
		return "imports a memory; a guest must define its own"
	}
	for _, f := range c.ImportedFunctions() {
		mod, fn, _ := f.Import()
		if msg := checkImport(mod, fn, f); msg != "" {
			return fmt.Sprintf("imports %s.%s: %s", mod, fn, msg)
		}
	}
	return ""
}

func checkImport(mod, fn string, def api.FunctionDefinition) string {
	switch mod {
	case abi.ImportModule:
		hf, ok := hostFuncByName[fn]
		if !ok {
			for _, p := range abi.ReservedPrefixes {
				if strings.HasPrefix(fn, p) {
					return "reserved for a later ABI revision; this host speaks ABI v1"
				}
			}
			return "no such host function in ABI v1"
		}
		if !sameSig(def, signature{hf.params, hf.results}) {
			return fmt.Sprintf("signature %s, want %s", sigString(def.ParamTypes(), def.ResultTypes()), sigString(hf.params, hf.results))
		}
	case wasiModule:
		if !slices.Contains(wasiAllowed, fn) {
			return "not in the WASI subset available to walkers (no filesystem, network or environment)"
		}
	default:
		return "only walker.* and a minimal wasi_snapshot_preview1 are available"
	}
	return ""
}

func checkExports(c wazero.CompiledModule) string {
	if _, ok := c.ExportedMemories()["memory"]; !ok {
		return `does not export its memory as "memory"`
	}
	exports := c.ExportedFunctions()
	for _, name := range sortedKeys(requiredExports) {
		want := requiredExports[name]
		def, ok := exports[name]
		if !ok {
			return fmt.Sprintf("does not export func[%s] (is it built with -buildmode=c-shared against the SDK?)", name)
		}
		if !sameSig(def, want) {
			return fmt.Sprintf("func[%s] has signature %s, want %s", name,
				sigString(def.ParamTypes(), def.ResultTypes()), sigString(want.params, want.results))
		}
	}
	return ""
}

func sameSig(def api.FunctionDefinition, s signature) bool {
	return slices.Equal(def.ParamTypes(), s.params) && slices.Equal(def.ResultTypes(), s.results)
}

func sigString(params, results []api.ValueType) string {
	names := func(ts []api.ValueType) string {
		s := make([]string, len(ts))
		for i, t := range ts {
			s[i] = api.ValueTypeName(t)
		}
		return strings.Join(s, ", ")
	}
	return "(" + names(params) + ") -> (" + names(results) + ")"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// describe instantiates the first instance, checks the ABI version, reads
// and validates the manifest and keeps the instance in the pool.
func (m *Module) describe(ctx context.Context) error {
	inst, err := m.pool.get(ctx, m.limits.Timeout)
	if err != nil {
		return err
	}
	if err := m.describeWith(inst); err != nil {
		m.pool.discard(inst)
		return err
	}
	m.release(inst)
	return nil
}

// describeWith makes the load-time export calls on inst.
func (m *Module) describeWith(inst *instance) error {
	if v, err := inst.callExport(abi.ExportABIVersion, inst.stack); err != nil {
		return err
	} else if int32(v) != abi.Version {
		return fmt.Errorf("speaks ABI v%d, this host speaks v%d", int32(v), abi.Version)
	}
	packed, err := inst.callExport(abi.ExportManifest, inst.stack)
	if err != nil {
		return err
	}
	raw, ok := inst.mod.Memory().Read(uint32(packed>>32), uint32(packed))
	if !ok {
		return fmt.Errorf("%s returned a range outside memory", abi.ExportManifest)
	}
	man, err := manifest.Parse(raw)
	if err != nil {
		return err
	}
	m.setManifest(man)
	if m.limits.FreshState {
		m.snap = inst.capture()
	}
	return nil
}
