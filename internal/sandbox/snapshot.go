package sandbox

import (
	"bytes"

	"github.com/tetratelabs/wazero/api"
	"github.com/walkerhost/walkerhost/internal/wasmrewrite"
)

// snapshot is an instance's state once loaded, after _initialize and the
// manifest call: its linear memory and its mutable globals (exported by
// wasmrewrite.ExportGlobals).
// With Limits.FreshState every instance is put back to its module's
// snapshot after each call, so no call can observe what an earlier one
// left in globals or on the heap (docs/LIFECYCLE.md, "Fresh state").
type snapshot struct {
	mem     []byte
	globals []uint64
}

const (
	restorePage = 4096  // the granularity of restore's compare-and-copy
	wasmPage    = 65536 // the unit of memory.grow
)

// bindGlobals looks up the instance's exported mutable globals.
func (inst *instance) bindGlobals(indices []uint32) {
	inst.globals = make([]api.MutableGlobal, len(indices))
	for i, idx := range indices {
		inst.globals[i] = inst.mod.ExportedGlobal(wasmrewrite.GlobalExportName(idx)).(api.MutableGlobal)
	}
}

// capture copies the instance's current state.
func (inst *instance) capture() *snapshot {
	mem, _ := inst.mem.Read(0, inst.mem.Size())
	s := &snapshot{mem: bytes.Clone(mem), globals: make([]uint64, len(inst.globals))}
	for i, g := range inst.globals {
		s.globals[i] = g.Get()
	}
	return s
}

// restore puts the instance back to s, copying only the pages that differ
// (a call typically dirties a few dozen of the snapshot's ~900). It
// reports false, leaving the instance unusable, when its memory grew past
// the snapshot's size (memory cannot shrink, and Go's allocator would
// grow it again on top): the instance is discarded instead.
func (inst *instance) restore(s *snapshot) bool {
	size, want := inst.mem.Size(), uint32(len(s.mem))
	if size > want {
		return false
	}
	if size < want { // an instance that had not made the manifest call yet
		if _, ok := inst.mem.Grow((want - size) / wasmPage); !ok {
			return false
		}
	}
	mem, _ := inst.mem.Read(0, inst.mem.Size())
	for off := 0; off < len(mem); off += restorePage {
		end := min(off+restorePage, len(mem))
		if !bytes.Equal(mem[off:end], s.mem[off:end]) {
			copy(mem[off:end], s.mem[off:end])
		}
	}
	for i, g := range inst.globals {
		g.Set(s.globals[i])
	}
	inst.arena, inst.arenaCap = 0, 0 // the arena was allocated after the snapshot
	return true
}
