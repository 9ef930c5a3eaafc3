package sandbox

import (
	"bytes"
	"time"

	"github.com/tetratelabs/wazero/api"
	"github.com/walkerhost/walkerhost/internal/wasmrewrite"
)

// snapshot is an instance's state once loaded, after _initialize and the
// manifest call: its linear memory, its mutable globals (exported by
// wasmrewrite.ExportGlobals) and its clocks. New instances start from it
// (when the module's data could be moved into an image, see newInstance)
// without running _initialize; on Linux they share its pages copy-on-write.
// With Limits.FreshState every instance is put back to its module's
// snapshot after each call, so no call can observe what an earlier one
// left in globals or on the heap (docs/LIFECYCLE.md, "Fresh state").
type snapshot struct {
	img             *memImage
	globals         []uint64
	clock, wall     int64
	arena, arenaCap uint32 // the input arena, allocated before the capture
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

// capture copies the instance's current state. On Linux the instance then
// maps the copy over its own memory, so that it too shares its pages. It
// calls nothing in the guest: the input arena is allocated by the first
// call of each instance, under that call's deadline (walker_alloc is the
// module's code, and may not return).
func (inst *instance) capture() *snapshot {
	mem, _ := inst.mem.Read(0, inst.mem.Size())
	s := &snapshot{img: inst.m.engine.newImage(mem), globals: make([]uint64, len(inst.globals)),
		clock: inst.clock, wall: inst.wall, arena: inst.arena, arenaCap: inst.arenaCap}
	for i, g := range inst.globals {
		s.globals[i] = g.Get()
	}
	if inst.mapped && rebase(mem, s.img) {
		inst.img = s.img
	}
	return s
}

// start puts a new instance, made from s's image, in s's state: its memory
// at the snapshot's size, its globals and clocks.
func (inst *instance) start(s *snapshot) bool {
	if size, want := inst.mem.Size(), uint32(len(s.img.data)); size < want {
		if _, ok := inst.mem.Grow((want - size) / wasmPage); !ok {
			return false
		}
	}
	for i, g := range inst.globals {
		g.Set(s.globals[i])
	}
	inst.clock, inst.wall = s.clock, s.wall
	inst.arena, inst.arenaCap = s.arena, s.arenaCap
	return true
}

// restore puts the instance back to s. An instance mapping s's image
// copy-on-write can differ from it only in the pages it holds a private
// copy of, which the page tables tell (privatePages): restore compares
// those, a few dozen, and copies back the ones that differ. Otherwise it
// compares every page. It reports false, leaving the instance unusable,
// when its memory grew past the snapshot's size (memory cannot shrink, and
// Go's allocator would grow it again on top): the instance is discarded
// instead.
func (inst *instance) restore(s *snapshot) bool {
	size, want := inst.mem.Size(), uint32(len(s.img.data))
	if size > want {
		return false
	}
	if size < want { // an instance that had not made the manifest call yet
		if _, ok := inst.mem.Grow((want - size) / wasmPage); !ok {
			return false
		}
	}
	mem, _ := inst.mem.Read(0, inst.mem.Size())
	put := func(off int) {
		end := min(off+restorePage, len(mem))
		if !bytes.Equal(mem[off:end], s.img.data[off:end]) {
			copy(mem[off:end], s.img.data[off:end])
		}
	}
	if !inst.mapped || inst.img != s.img || !privatePages(mem, &inst.pages, put) {
		for off := 0; off < len(mem); off += restorePage {
			put(off)
		}
	}
	for i, g := range inst.globals {
		g.Set(s.globals[i])
	}
	inst.arena, inst.arenaCap = s.arena, s.arenaCap // a larger one was allocated after it
	return true
}

// The clocks of an instance are wazero's deterministic ones (1 ms a
// reading, the wall clock from 2022-01-01), kept in the instance so that
// one started from a snapshot continues the snapshot's time instead of
// going back to zero under the Go runtime's feet.
const (
	clockStep = int64(time.Millisecond)
	wallEpoch = int64(1640995200) * int64(time.Second)
)

func (inst *instance) nanotime() int64 {
	inst.clock += clockStep
	return inst.clock
}

func (inst *instance) walltime() (int64, int32) {
	inst.wall += clockStep
	t := wallEpoch + inst.wall
	return t / 1e9, int32(t % 1e9)
}

// privateBytes is how much of its memory the instance holds a private copy
// of; -1 when it does not map its image or the page tables are unreadable.
func (inst *instance) privateBytes() int64 {
	if !inst.mapped {
		return -1
	}
	mem, _ := inst.mem.Read(0, inst.mem.Size())
	var n int64
	if !privatePages(mem, &inst.pages, func(int) { n += restorePage }) {
		return -1
	}
	return n
}
