package testenv

import (
	"encoding/binary"
	"slices"
)

// HandManifest is the manifest of HandModule: one public walker, "bomb".
const HandManifest = `{"abi":1,"walkers":[{"name":"bomb","access":"public","fields":[]}]}`

// HandModule returns a walker module assembled by hand against the raw ABI
// (no SDK, no Go runtime, no loop anywhere): _initialize does nothing,
// walker_abi_version returns 1, walker_manifest HandManifest, walker_alloc
// a fixed arena and walker_handle StatusOK. It imports
// wasi_snapshot_preview1.sched_yield (the host requires it) and walker.now.
//
// The export named recurse (one of abi's Export names, or "") first calls
// f(60), where f(n) = n == 0 ? 1 : f(n-1) + f(n-1): 2^60 calls on a stack
// 60 frames deep, which runs for ever unless something stops it at a
// function entry. The export named hostCall first calls walker.now.
func HandModule(recurse, hostCall string) []byte { return handModule(recurse, hostCall, true) }

// HandModuleNoYield is HandModule("", "") without the sched_yield import.
func HandModuleNoYield() []byte { return handModule("", "", false) }

func handModule(recurse, hostCall string, yield bool) []byte {
	const (
		manifestAt = 1024
		arenaAt    = 4096
	)
	var w wasmWriter
	w.section(1, vec( // types
		[]byte{0x60, 0, 0},             // 0: () -> ()
		[]byte{0x60, 0, 1, 0x7f},       // 1: () -> i32
		[]byte{0x60, 0, 1, 0x7e},       // 2: () -> i64
		[]byte{0x60, 1, 0x7f, 1, 0x7f}, // 3: (i32) -> i32
	))
	imports := [][]byte{slices.Concat(str("walker"), str("now"), []byte{0x00, 2})} // func 0
	if yield {
		imports = append(imports, slices.Concat(str("wasi_snapshot_preview1"), str("sched_yield"), []byte{0x00, 1}))
	}
	w.section(2, vec(imports...))
	first := byte(len(imports)) // index of the first defined function
	exports := []struct {
		name string
		typ  byte
		tail []byte // what the export does after the prelude, up to its end
	}{
		{"_initialize", 0, nil},
		{"walker_abi_version", 1, []byte{0x41, 0x01}},
		{"walker_manifest", 2, append([]byte{0x42}, sleb(int64(manifestAt)<<32|int64(len(HandManifest)))...)},
		{"walker_alloc", 3, append([]byte{0x41}, sleb(arenaAt)...)},
		{"walker_handle", 3, []byte{0x41, 0x00}},
	}
	bomb := first + 5 // after the five exports
	funcs := [][]byte{}
	for _, e := range exports {
		funcs = append(funcs, []byte{e.typ})
	}
	funcs = append(funcs, []byte{3})
	w.section(3, vec(funcs...))
	w.section(5, vec([]byte{0x00, 0x01})) // memory: 1 page
	exps := [][]byte{slices.Concat(str("memory"), []byte{0x02, 0x00})}
	for i, e := range exports {
		exps = append(exps, slices.Concat(str(e.name), []byte{0x00, first + byte(i)}))
	}
	w.section(7, vec(exps...))
	var bodies [][]byte
	for _, e := range exports {
		b := []byte{0x00} // no locals
		if e.name == hostCall {
			b = append(b, 0x10, 0x00, 0x1a) // call now; drop
		}
		if e.name == recurse {
			b = append(b, 0x41, 60, 0x10, bomb, 0x1a) // f(60); drop
		}
		bodies = append(bodies, slices.Concat(b, e.tail, []byte{0x0b}))
	}
	bodies = append(bodies, []byte{0x00,
		0x20, 0x00, 0x45, 0x04, 0x7f, 0x41, 0x01, // if n == 0 (result i32) 1
		0x05,                                     // else
		0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, bomb, // f(n-1)
		0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, bomb, // f(n-1)
		0x6a, 0x0b, 0x0b}) // i32.add end end
	for i, b := range bodies {
		bodies[i] = append(uleb(uint64(len(b))), b...)
	}
	w.section(10, vec(bodies...))
	w.section(11, vec(slices.Concat([]byte{0x00, 0x41}, sleb(manifestAt), []byte{0x0b}, str(HandManifest))))
	return w.b
}

// wasmWriter appends sections to a module header.
type wasmWriter struct{ b []byte }

func (w *wasmWriter) section(id byte, payload []byte) {
	if w.b == nil {
		w.b = []byte("\x00asm\x01\x00\x00\x00")
	}
	w.b = append(append(append(w.b, id), uleb(uint64(len(payload)))...), payload...)
}

func vec(items ...[]byte) []byte {
	return slices.Concat(append([][]byte{uleb(uint64(len(items)))}, items...)...)
}

func str(s string) []byte { return append(uleb(uint64(len(s))), s...) }

func uleb(v uint64) []byte { return binary.AppendUvarint(nil, v) }

// sleb is v as a signed LEB128.
func sleb(v int64) []byte {
	var b []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
