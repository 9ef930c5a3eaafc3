package sandbox

import (
	"context"
	"fmt"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/walkerhost/walkerhost/abi"
)

// Module is a loaded, validated walker module and its pool of instances.
// It is safe for concurrent use.
type Module struct {
	Name     string
	Manifest *abi.Manifest

	engine   *Engine
	limits   Limits        // what its calls run under (Engine.LoadWith)
	code     *compiledCode // shared with Modules of the same code
	compiled wazero.CompiledModule
	program  []byte // abi.ProgramSection's contents, for _initialize
	closed   sync.Once
	pool     *pool
	globals  []uint32  // indices of the exported mutable globals
	snap     *snapshot // the first instance's state once loaded (describe)

	nodeTypes []string // by type id; 0 is "Root"
	edgeTypes []string // by type id; 0 is "" (the generic edge)
	nodeIDs   map[string]uint32
	edgeIDs   map[string]uint32
	walkers   map[string]*abi.Entry
	functions map[string]*abi.Entry
}

// RootType and GenericEdge are the graph type names of the built-in types.
const (
	RootType    = "Root"
	GenericEdge = ""
)

func (m *Module) setManifest(man *abi.Manifest) {
	m.Manifest = man
	m.nodeTypes, m.nodeIDs = typeTable(RootType, man.Nodes)
	m.edgeTypes, m.edgeIDs = typeTable(GenericEdge, man.Edges)
	m.walkers = entryTable(man.Walkers)
	m.functions = entryTable(man.Functions)
}

func typeTable(builtin string, decls []abi.TypeDecl) ([]string, map[string]uint32) {
	names := []string{builtin}
	ids := map[string]uint32{builtin: 0}
	for i, d := range decls {
		names = append(names, d.Name)
		ids[d.Name] = uint32(i + 1)
	}
	return names, ids
}

func entryTable(entries []abi.Entry) map[string]*abi.Entry {
	t := make(map[string]*abi.Entry, len(entries))
	for i := range entries {
		t[entries[i].Name] = &entries[i]
	}
	return t
}

// Walker returns the declaration of the named walker, if any.
func (m *Module) Walker(name string) (*abi.Entry, bool) {
	e, ok := m.walkers[name]
	return e, ok
}

// Function returns the declaration of the named function, if any.
func (m *Module) Function(name string) (*abi.Entry, bool) {
	e, ok := m.functions[name]
	return e, ok
}

// NodeFields returns the declared fields of a node type, if it is declared.
func (m *Module) NodeFields(typ string) ([]abi.Field, bool) {
	id, ok := m.nodeIDs[typ]
	if !ok || id == 0 {
		return nil, ok
	}
	return m.Manifest.Nodes[id-1].Fields, true
}

func (m *Module) nodeTypeID(name string) uint32 { return lookupID(m.nodeIDs, name) }
func (m *Module) edgeTypeID(name string) uint32 { return lookupID(m.edgeIDs, name) }

func lookupID(ids map[string]uint32, name string) uint32 {
	if id, ok := ids[name]; ok {
		return id
	}
	return abi.TypeUnknown
}

// typeName maps a guest type id (or abi.TypeAny) to a graph type name.
func typeName(names []string, id int32, anyName string) (string, bool) {
	if id == abi.TypeAny {
		return anyName, true
	}
	if id < 0 || int(id) >= len(names) {
		return "", false
	}
	return names[id], true
}

// Warm instantiates instances ahead of traffic until n are idle, at most
// the pool size, so that first requests do not pay for instantiation.
func (m *Module) Warm(ctx context.Context, n int) error { return m.pool.warm(ctx, n) }

// Probe instantiates a fresh instance and closes it: a check that the
// module still starts, and the measure of what a new instance costs.
func (m *Module) Probe(ctx context.Context) error {
	inst, err := m.newInstance(ctx)
	if err != nil {
		return err
	}
	inst.close(ctx)
	return nil
}

// release returns an instance after a call that left it healthy. With
// Limits.FreshState it is first restored to the module's snapshot, or
// discarded when that is impossible.
func (m *Module) release(inst *instance) {
	if m.limits.FreshState && m.snap != nil && !inst.restore(m.snap) {
		m.pool.discard(inst)
		return
	}
	m.pool.put(inst)
}

// Limits returns the limits the module's calls run under.
func (m *Module) Limits() Limits { return m.limits }

// Stats reports the pool's state.
func (m *Module) Stats() PoolStats { return m.pool.stats() }

// Ready reports whether the module still serves: nil until Close.
func (m *Module) Ready() error {
	if m.pool.isClosed() {
		return fmt.Errorf("%w: module %q", ErrClosed, m.Name)
	}
	return nil
}

// Close closes every instance and the compiled module. Calls in flight
// finish first.
func (m *Module) Close(ctx context.Context) error {
	m.pool.close(ctx)
	var err error
	m.closed.Do(func() { err = m.engine.releaseCode(ctx, m.code) })
	return err
}
