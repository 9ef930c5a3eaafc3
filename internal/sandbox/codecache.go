package sandbox

import (
	"context"
	"crypto/sha256"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/walkerhost/walkerhost/internal/wasmrewrite"
)

// compiledCode is a module's code, instrumented and compiled once, shared
// by every Module of the engine loaded from the same code under the same
// memory and table caps. Jac apps are one runtime guest with different
// programs (abi.ProgramSection, stripped before this point): the tenth Jac
// app costs an instantiation, not a compilation of the runtime.
type compiledCode struct {
	key      codeKey
	compiled wazero.CompiledModule
	globals  []uint32  // indices of the exported mutable globals
	wasm     []byte    // the instrumented module, until the disk cache has it
	image    *memImage // its data, moved out of the module; nil: kept in it
	shape    wasmrewrite.Shape
	refs     int // Modules using it; guarded by codeCache.mu
}

// codeKey names compiled code: the hash of the module without its program
// and the limits that change its instrumented form (CapMemory, CapTables).
type codeKey struct {
	sum          [sha256.Size]byte
	memoryMB     int
	tableEntries int
}

type codeCache struct {
	mu sync.Mutex
	m  map[codeKey]*compiledCode
}

// compiledFor returns the compiled form under lim of the code made of
// parts, made by build (from the parts and their key) when the engine has none
// yet: a hit costs a hash of the code. Two loads of the same new code at
// once may both build; the second keeps the first's and closes its own.
func (e *Engine) compiledFor(ctx context.Context, parts [][]byte, lim Limits, build func(key codeKey, parts [][]byte) (*compiledCode, error)) (*compiledCode, error) {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	key := codeKey{memoryMB: lim.MemoryMB, tableEntries: lim.TableEntries}
	h.Sum(key.sum[:0])
	if c := e.codes.take(key); c != nil {
		return c, nil
	}
	c, err := build(key, parts)
	if err != nil {
		return nil, err
	}
	c.key, c.refs = key, 1
	e.codes.mu.Lock()
	if o := e.codes.m[key]; o != nil {
		o.refs++
		e.codes.mu.Unlock()
		c.compiled.Close(ctx)
		return o, nil
	}
	if e.codes.m == nil {
		e.codes.m = map[codeKey]*compiledCode{}
	}
	e.codes.m[key] = c
	e.codes.mu.Unlock()
	return c, nil
}

func (cc *codeCache) take(key codeKey) *compiledCode {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c := cc.m[key]
	if c != nil {
		c.refs++
	}
	return c
}

// releaseCode drops a Module's use of c, closing it after the last one.
func (e *Engine) releaseCode(ctx context.Context, c *compiledCode) error {
	e.codes.mu.Lock()
	c.refs--
	last := c.refs == 0
	if last {
		delete(e.codes.m, c.key)
	}
	e.codes.mu.Unlock()
	if !last {
		return nil
	}
	return c.compiled.Close(ctx)
}

// CompiledModules reports how many compiled codes the engine holds.
func (e *Engine) CompiledModules() int {
	e.codes.mu.Lock()
	defer e.codes.mu.Unlock()
	return len(e.codes.m)
}
