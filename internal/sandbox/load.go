package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/manifest"
	"github.com/walkerhost/walkerhost/internal/wasmrewrite"
)

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
// lim, and its memory and tables are capped by declaring maximums in the
// module (wasmrewrite.CapTables, CapMemory), so modules of one engine may
// have different memory limits. The tables' capped size, at 8 bytes an
// entry, is taken out of lim.MemoryMB. A module over a load-time bound of
// lim, or whose memory minimum exceeds what is left for memory, is refused
// before it is compiled (ModuleLimit); compilation takes turns host-wide
// (compile.go).
func (e *Engine) LoadWith(ctx context.Context, name string, wasm []byte, lim Limits) (*Module, error) {
	lim = lim.withDefaults()
	refuse := func(format string, args ...any) error {
		return fmt.Errorf("%w: module %q: %s", ErrModule, name, fmt.Sprintf(format, args...))
	}
	over := func(limit, value, format string, args ...any) error {
		msg := fmt.Sprintf("%v: module %q: %s", ErrModule, name, fmt.Sprintf(format, args...))
		return &ModuleLimit{msg: msg, lim: &LimitError{Limit: limit, Value: value}}
	}
	if len(wasm) > lim.ModuleBytes {
		return nil, over("module_bytes", fmt.Sprintf("%d bytes", lim.ModuleBytes),
			"%d bytes, more than the module size limit of %d bytes (limits.max_module_bytes)", len(wasm), lim.ModuleBytes)
	}
	parts, program, err := splitProgram(wasm)
	if err != nil {
		return nil, refuse("%v", err)
	}
	ent, err := e.compiledFor(ctx, parts, lim, func(key codeKey, parts [][]byte) (*compiledCode, error) {
		if c, err := e.prepared(ctx, key, lim, over); c != nil || err != nil {
			return c, err
		}
		code := bytes.Join(parts, nil)
		sh, err := wasmrewrite.Measure(code)
		if err != nil {
			return nil, refuse("decode: %v", err)
		}
		if err := checkShape(sh, lim, over); err != nil {
			return nil, err
		}
		c, file, err := e.prepare(ctx, code, lim, refuse, over)
		if c != nil {
			c.shape = sh
			if e.disk != nil {
				e.disk.put(key, &prepared{wasm: c.wasm, globals: c.globals, shape: sh, file: file})
				c.wasm = nil
			}
		}
		return c, err
	})
	if err != nil {
		return nil, err
	}
	// Code compiled for another module was measured then: its shape is
	// checked against this module's own bounds.
	if err := checkShape(ent.shape, lim, over); err != nil {
		e.releaseCode(ctx, ent)
		return nil, err
	}
	m := &Module{Name: name, engine: e, limits: lim, code: ent, compiled: ent.compiled, globals: ent.globals, program: program}
	m.pool = newPool(m, lim.PoolSize)
	if err := m.describe(ctx); err != nil {
		m.Close(ctx)
		var ml *ModuleLimit
		if errors.As(err, &ml) {
			return nil, ml
		}
		return nil, refuse("%v", err)
	}
	return m, nil
}

// splitProgram separates a module's program (abi.ProgramSection) from its
// code: parts are the pieces of wasm around the program section, in order,
// which make up the code. The program is copied, so that the module's
// bytes are not kept.
func splitProgram(wasm []byte) (parts [][]byte, program []byte, err error) {
	secs, err := wasmrewrite.Sections(wasm)
	if err != nil {
		return nil, nil, fmt.Errorf("decode: %v", err)
	}
	last, n := 0, 0
	for _, s := range secs {
		if s.ID != 0 || s.Name != abi.ProgramSection {
			continue
		}
		if n++; n > 1 {
			continue
		}
		parts = append(parts, wasm[last:s.Start])
		last = s.End()
		program = bytes.Clone(s.Contents(wasm))
	}
	if n > 1 {
		return nil, nil, fmt.Errorf("has %d %s sections; a module carries at most one program", n, abi.ProgramSection)
	}
	return append(parts, wasm[last:]), program, nil
}

// prepared returns the code of key compiled from its entry in the disk
// cache (diskcache.go), or nil when there is none to use: the caller then
// prepares the code. Only a bound of lim the entry's shape is over is an
// error.
func (e *Engine) prepared(ctx context.Context, key codeKey, lim Limits, over func(limit, value, format string, args ...any) error) (*compiledCode, error) {
	if e.disk == nil {
		return nil, nil
	}
	p := e.disk.get(key)
	if p == nil {
		return nil, nil
	}
	if err := checkShape(p.shape, lim, over); err != nil {
		return nil, err
	}
	c, file, err := e.compileImaged(ctx, p.wasm)
	if err != nil {
		return nil, nil // the full path reports it
	}
	compiled := c.compiled
	if e.checkImports(compiled) != "" || checkExports(compiled) != "" {
		compiled.Close(ctx)
		return nil, nil
	}
	if file != "" && file != p.file { // wazero compiled again
		p.file = file
		e.disk.put(key, p)
	}
	c.globals, c.shape = p.globals, p.shape
	return c, nil
}

// compileImaged compiles an instrumented module, with its constant data
// moved into an image when wasmrewrite.DataImage can (image.go), and
// returns the wazero cache file the compilation wrote, when known.
func (e *Engine) compileImaged(ctx context.Context, wasm []byte) (*compiledCode, string, error) {
	blanked, data, imaged, err := wasmrewrite.DataImage(wasm)
	if err != nil {
		return nil, "", err
	}
	compiled, file, err := e.compile(ctx, blanked)
	if err != nil {
		return nil, "", err
	}
	c := &compiledCode{compiled: compiled}
	if imaged {
		c.image = e.newImage(data)
	}
	return c, file, nil
}

// prepare instruments, compiles and checks a module's code. It returns the
// wazero cache file the compilation wrote, when known (diskCache.compiling).
func (e *Engine) prepare(ctx context.Context, code []byte, lim Limits, refuse func(format string, args ...any) error, over func(limit, value, format string, args ...any) error) (*compiledCode, string, error) {
	merged, stats, err := wasmrewrite.MergeDataSegments(code, wasmrewrite.DefaultMaxGap)
	if err != nil {
		return nil, "", refuse("decode: %v", err)
	}
	if msg := checkSections(merged); msg != "" {
		return nil, "", refuse("%s", msg)
	}
	merged, tables, err := wasmrewrite.CapTables(merged, uint32(lim.TableEntries))
	if err != nil {
		return nil, "", refuse("decode: %v", err)
	}
	var tableBytes uint64
	for _, t := range tables {
		tableBytes += uint64(t.Max) * tableEntryBytes
	}
	memPages := uint64(lim.MemoryMB)*pagesPerMiB - min(uint64(lim.MemoryMB)*pagesPerMiB, (tableBytes+pageBytes-1)/pageBytes)
	merged, mem, err := wasmrewrite.CapMemory(merged, uint32(memPages))
	if err != nil {
		return nil, "", refuse("decode: %v", err)
	}
	if uint64(mem.Min) > memPages {
		withTables := ""
		if tableBytes > 0 {
			withTables = fmt.Sprintf(" with tables of %d KiB", tableBytes>>10)
		}
		return nil, "", refuse("memory minimum of %d MiB (%d pages)%s is more than the memory limit of %d MiB",
			mem.Min/pagesPerMiB, mem.Min, withTables, lim.MemoryMB)
	}
	prepared, checks, err := wasmrewrite.InjectInterrupt(merged)
	if err != nil {
		return nil, "", refuse("instrument: %v", err)
	}
	// A failed memory.grow sets a flag, so that a trap after it is known
	// to be the memory limit (classify).
	prepared, _, err = wasmrewrite.FlagFailedGrow(prepared)
	if err != nil {
		return nil, "", refuse("instrument: %v", err)
	}
	prepared, globals, err := wasmrewrite.ExportGlobals(prepared)
	if err != nil {
		return nil, "", refuse("instrument: %v", err)
	}
	// Instances start from an image of the data rather than copying it
	// from the module (image.go), when that changes nothing. The disk
	// cache keeps the module with its data, and images it again on load.
	c, file, err := e.compileImaged(ctx, prepared)
	var compiled wazero.CompiledModule
	if c != nil {
		compiled = c.compiled
	}
	var busy *LimitError
	if errors.As(err, &busy) {
		return nil, "", over(busy.Limit, busy.Value, "not compiled: %d modules are compiling and %d more waiting, host-wide (serve.compile_concurrency, serve.compile_queue); try again shortly",
			cap(e.gate.slots), e.gate.queue)
	}
	if err != nil {
		return nil, "", refuse("compile: %v", err)
	}
	e.log.Debug("module prepared", "data_segments", stats.SegmentsBefore, "merged_to", stats.SegmentsAfter)
	if msg := e.checkImports(compiled); msg != "" {
		compiled.Close(ctx)
		return nil, "", refuse("%s", msg)
	}
	if msg := checkExports(compiled); msg != "" {
		compiled.Close(ctx)
		return nil, "", refuse("%s", msg)
	}
	if !checks.Yields {
		compiled.Close(ctx)
		return nil, "", refuse("does not import %s.sched_yield, which the host's checks call to share the cores "+
			"and to let the garbage collector stop a running guest", wasiModule)
	}
	c.globals, c.wasm = globals, prepared
	return c, file, nil
}

// checkShape refuses, before it is compiled, a module whose shape
// (wasmrewrite.Measure, linear in its size) is over a bound of lim:
// wazero's compilation time grows with the square of the nesting depth,
// and its memory with the counts of functions and locals.
func checkShape(sh wasmrewrite.Shape, lim Limits, over func(limit, value, format string, args ...any) error) error {
	switch {
	case sh.Functions > lim.Functions:
		return over("functions", strconv.Itoa(lim.Functions),
			"%d functions, more than the limit of %d (limits.max_functions)", sh.Functions, lim.Functions)
	case sh.MaxDepth > lim.Nesting:
		return over("nesting", strconv.Itoa(lim.Nesting),
			"a function nests blocks %d deep, more than the limit of %d (limits.max_nesting)", sh.MaxDepth, lim.Nesting)
	case sh.MaxLocals > MaxLocals:
		return over("locals", strconv.Itoa(MaxLocals),
			"a function declares %d locals, more than the limit of %d", sh.MaxLocals, MaxLocals)
	case sh.TableEntries() > uint64(lim.TableEntries):
		return over("table_entries", strconv.Itoa(lim.TableEntries),
			"tables of %d entries, more than the limit of %d (limits.max_table_entries)", sh.TableEntries(), lim.TableEntries)
	}
	return nil
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
const (
	pagesPerMiB = 16
	pageBytes   = 65536
)

func (e *Engine) checkImports(c wazero.CompiledModule) string {
	if len(c.ImportedMemories()) > 0 {
		return "imports a memory; a guest must define its own"
	}
	for _, f := range c.ImportedFunctions() {
		mod, fn, _ := f.Import()
		if msg := e.checkImport(mod, fn, f); msg != "" {
			return fmt.Sprintf("imports %s.%s: %s", mod, fn, msg)
		}
	}
	return ""
}

func (e *Engine) checkImport(mod, fn string, def api.FunctionDefinition) string {
	switch mod {
	case abi.ImportModule:
		sig, ok := e.host.signature(fn)
		if !ok {
			for _, p := range abi.ReservedPrefixes {
				if strings.HasPrefix(fn, p) {
					return "reserved for a later ABI revision; this host speaks ABI v1"
				}
			}
			return "no such host function in ABI v1, or none of this host's capabilities provides it"
		}
		if !sameSig(def, sig) {
			return fmt.Sprintf("signature %s, want %s", sigString(def.ParamTypes(), def.ResultTypes()), sigString(sig.params, sig.results))
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
	over := func(limit string, value int, format string, args ...any) error {
		msg := fmt.Sprintf("%v: module %q: manifest: %s", ErrModule, m.Name, fmt.Sprintf(format, args...))
		return &ModuleLimit{msg: msg, lim: &LimitError{Limit: limit, Value: strconv.Itoa(value)}}
	}
	if len(raw) > m.limits.ManifestBytes {
		return over("manifest_bytes", m.limits.ManifestBytes,
			"%d bytes, more than the limit of %d (limits.max_manifest_bytes)", len(raw), m.limits.ManifestBytes)
	}
	man, err := manifest.Parse(raw)
	if err != nil {
		return err
	}
	if n := len(man.Walkers) + len(man.Functions) + len(man.Nodes) + len(man.Edges); n > m.limits.ManifestEntries {
		return over("manifest_entries", m.limits.ManifestEntries,
			"%d walkers, functions, node and edge types, more than the limit of %d (limits.max_manifest_entries)", n, m.limits.ManifestEntries)
	}
	m.setManifest(man)
	if m.limits.FreshState || m.code.image != nil {
		m.snap = inst.capture()
	}
	return nil
}
