// Package wasmbomb assembles small walker modules by hand against the raw
// ABI (abi/ABI.md), with no SDK, no Go runtime and no loop anywhere, that
// cost the host far more than their size: huge tables, deep block nesting,
// many functions, huge manifests, exponential recursion in any export,
// host calls where none may be made. Tests use them to check that the
// host refuses or stops each one; each Spec field makes one kind of bomb.
package wasmbomb

import (
	"cmp"
	"fmt"
	"strings"
)

// Spec describes a module. The zero value is a minimal walker module with a
// one-walker manifest.
type Spec struct {
	Tables    []uint32 // one funcref table per entry, with that minimum and no maximum
	Functions int      // extra empty functions
	Nesting   int      // depth of nested empty blocks in Nested extra functions
	Nested    int      // how many functions have Nesting blocks; 0 is one
	Locals    uint32   // i32 locals of one extra function
	Manifest  string   // walker_manifest's JSON; "" is a one-walker manifest
	Pad       int      // bytes of a custom section that pads the module
	// Recurse names an export (abi's Export names) that first calls f(60),
	// where f(n) = n == 0 ? 1 : f(n-1) + f(n-1): 2^60 calls on a stack 60
	// frames deep, which runs for ever unless something stops it at a
	// function entry.
	Recurse string
	// Depth, when set, replaces 60 as the argument of Recurse's first
	// call: 1<<30 overflows any call stack before it returns.
	Depth int64
	// Handle is raw code walker_handle runs first (before Recurse's call,
	// if any): a trap, a memory.grow.
	Handle []byte
	// HostCall names an export that first calls walker.now.
	HostCall string
	// HostFunc, when set, is the walker import of type () -> i64 that
	// HostCall calls in place of now: a host function a capability adds.
	HostFunc string
	// Programs are custom sections named abi.ProgramSection, in order.
	Programs [][]byte
	// ProgramRead names an export that first calls
	// walker.program_read(ReadAt, ReadCap) and drops the result.
	ProgramRead     string
	ReadAt, ReadCap uint32
	// NoYield leaves out the wasi_snapshot_preview1.sched_yield import
	// that the host requires.
	NoYield bool
}

// PublicManifest declares one public walker without fields, "bomb", for
// modules whose walker is called over HTTP.
const PublicManifest = `{"abi":1,"walkers":[{"name":"bomb","access":"public","fields":[]}]}`

// MinimalManifest is the manifest of a zero Spec.
const MinimalManifest = `{"abi":1,"walkers":[{"name":"hello"}]}`

// Walkers returns a manifest declaring n walkers.
func Walkers(n int) string {
	var b strings.Builder
	b.WriteString(`{"abi":1,"walkers":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"w%d","fields":[{"name":"f","type":"string"}]}`, i)
	}
	b.WriteString(`]}`)
	return b.String()
}

const (
	i32        = 0x7f
	i64        = 0x7e
	funcref    = 0x70
	opEnd      = 0x0b
	opBlock    = 0x02
	opI32      = 0x41
	opI64      = 0x42
	opIf       = 0x04
	opElse     = 0x05
	opCall     = 0x10
	opDrop     = 0x1a
	opLocalGet = 0x20
	opI32Eqz   = 0x45
	opI32Add   = 0x6a
	opI32Sub   = 0x6b
	empty      = 0x40
	dataBase   = 1024 // where the manifest lives in memory
)

// Build assembles the module.
func (s Spec) Build() []byte {
	man := s.Manifest
	if man == "" {
		man = MinimalManifest
	}
	types := vec(
		fn(nil, nil),                      // 0: _initialize, extra functions
		fn(nil, []byte{i32}),              // 1: walker_abi_version, sched_yield
		fn(nil, []byte{i64}),              // 2: walker_manifest, walker.now
		fn([]byte{i32}, []byte{i32}),      // 3: walker_alloc, walker_handle, f
		fn([]byte{i32, i32}, []byte{i32}), // 4: walker.program_read
	)
	hostFunc := "now"
	if s.HostFunc != "" {
		hostFunc = s.HostFunc
	}
	imports := [][]byte{cat(name("walker"), name(hostFunc), []byte{0, 2})}
	if s.ProgramRead != "" {
		imports = append(imports, cat(name("walker"), name("program_read"), []byte{0, 4})) // function 1
	}
	if !s.NoYield {
		imports = append(imports, cat(name("wasi_snapshot_preview1"), name("sched_yield"), []byte{0, 1}))
	}
	first := uint64(len(imports)) // the index of the first defined function
	fIdx := first + 5             // f, after the five exports
	packed := int64(dataBase)<<32 | int64(len(man))
	exports := []struct {
		name string
		typ  byte
		tail []byte // what the export does after the prelude
	}{
		{"_initialize", 0, nil},
		{"walker_abi_version", 1, sleb(nil, opI32, 1)},
		{"walker_manifest", 2, sleb(nil, opI64, packed)},
		{"walker_alloc", 3, sleb(nil, opI32, 1<<16)},
		{"walker_handle", 3, sleb(nil, opI32, 0)},
	}
	var bodies [][]byte
	var funcTypes []byte
	for _, e := range exports {
		var code []byte
		if e.name == s.HostCall {
			code = append(code, opCall, 0, opDrop) // walker.now or HostFunc
		}
		if e.name == s.ProgramRead {
			code = append(sleb(sleb(code, opI32, int64(int32(s.ReadAt))), opI32, int64(int32(s.ReadCap))), opCall, 1, opDrop)
		}
		if e.name == "walker_handle" {
			code = append(code, s.Handle...)
		}
		if e.name == s.Recurse {
			code = append(uleb(append(sleb(code, opI32, cmp.Or(s.Depth, 60)), opCall), fIdx), opDrop)
		}
		bodies = append(bodies, body(nil, cat(code, e.tail, []byte{opEnd})...))
		funcTypes = append(funcTypes, e.typ)
	}
	recurse := cat([]byte{opLocalGet, 0, opI32Eqz, opIf, i32}, sleb(nil, opI32, 1), []byte{opElse},
		[]byte{opLocalGet, 0}, sleb(nil, opI32, 1), uleb([]byte{opI32Sub, opCall}, fIdx),
		[]byte{opLocalGet, 0}, sleb(nil, opI32, 1), uleb([]byte{opI32Sub, opCall}, fIdx),
		[]byte{opI32Add, opEnd, opEnd})
	bodies = append(bodies, body(nil, recurse...))
	funcTypes = append(funcTypes, 3)
	if s.Nesting > 0 {
		code := append(repeat([]byte{opBlock, empty}, s.Nesting), repeat([]byte{opEnd}, s.Nesting+1)...)
		for range max(s.Nested, 1) {
			bodies = append(bodies, body(nil, code...))
			funcTypes = append(funcTypes, 0)
		}
	}
	if s.Locals > 0 {
		bodies = append(bodies, body(append(uleb(uleb(nil, 1), uint64(s.Locals)), i32), opEnd))
		funcTypes = append(funcTypes, 0)
	}
	n := uint64(len(bodies) + s.Functions)
	funcSec := append(uleb(nil, n), funcTypes...)
	funcSec = append(funcSec, make([]byte, s.Functions)...) // type 0
	codeSec := uleb(nil, n)
	for _, b := range bodies {
		codeSec = append(codeSec, b...)
	}
	codeSec = append(codeSec, repeat(body(nil, opEnd), s.Functions)...)
	pages := uint64(1 + (dataBase+len(man))>>16 + 1)
	exps := [][]byte{export("memory", 2, 0)}
	for i, e := range exports {
		exps = append(exps, export(e.name, 0, first+uint64(i)))
	}
	var tables [][]byte
	for _, min := range s.Tables {
		tables = append(tables, uleb([]byte{funcref, 0}, uint64(min)))
	}
	data := vec(cat(sleb([]byte{0}, opI32, dataBase), []byte{opEnd}, uleb(nil, uint64(len(man))), []byte(man)))
	out := []byte("\x00asm\x01\x00\x00\x00")
	out = append(out, section(1, types)...)
	out = append(out, section(2, vec(imports...))...)
	out = append(out, section(3, funcSec)...)
	if len(tables) > 0 {
		out = append(out, section(4, vec(tables...))...)
	}
	out = append(out, section(5, vec(uleb([]byte{0}, pages)))...)
	out = append(out, section(7, vec(exps...))...)
	out = append(out, section(10, codeSec)...)
	out = append(out, section(11, data)...)
	for _, p := range s.Programs {
		out = append(out, section(0, cat(name("walker.program"), p))...)
	}
	if s.Pad > 0 {
		out = append(out, section(0, cat(uleb(nil, 3), []byte("pad"), make([]byte, s.Pad)))...)
	}
	return out
}

func fn(params, results []byte) []byte {
	return cat([]byte{0x60}, uleb(nil, uint64(len(params))), params, uleb(nil, uint64(len(results))), results)
}

// body encodes a function body: its locals declaration (nil: none) and code.
func body(locals []byte, code ...byte) []byte {
	if locals == nil {
		locals = []byte{0}
	}
	b := cat(locals, code)
	return cat(uleb(nil, uint64(len(b))), b)
}

func export(name string, kind byte, idx uint64) []byte {
	return uleb(cat(uleb(nil, uint64(len(name))), []byte(name), []byte{kind}), idx)
}

// name encodes a name: its length, then its bytes.
func name(s string) []byte { return cat(uleb(nil, uint64(len(s))), []byte(s)) }

func section(id byte, payload []byte) []byte {
	return cat(uleb([]byte{id}, uint64(len(payload))), payload)
}

func vec(items ...[]byte) []byte {
	n := 0
	for _, it := range items {
		n += len(it)
	}
	b := make([]byte, 0, n+5)
	b = uleb(b, uint64(len(items)))
	for _, it := range items {
		b = append(b, it...)
	}
	return b
}

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func repeat(b []byte, n int) []byte {
	return []byte(strings.Repeat(string(b), n))
}

func uleb(dst []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(dst, c)
		}
		dst = append(dst, c|0x80)
	}
}

// sleb appends op and v as a signed LEB128.
func sleb(dst []byte, op byte, v int64) []byte {
	dst = append(dst, op)
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(dst, c)
		}
		dst = append(dst, c|0x80)
	}
}
