package wasmrewrite

import (
	"fmt"
	"slices"
)

// Test helpers that assemble modules with functions by hand.

// cmod is a test module with code.
type cmod struct {
	types       [][]byte // encoded function types (see ftype)
	importFuncs []uint32 // imported functions (env.f<i>), by type index
	importGlobs []byte   // imported immutable globals (env.g<i>), by value type
	funcs       []uint32 // type index of each defined function
	table       bool     // a funcref table holding every function (declares them for ref.func)
	memory      bool     // one page of memory
	globals     [][]byte // encoded global entries (see mutI32)
	exports     [][]byte // encoded export entries (see export)
	dataCount   bool
	data        []seg
	names       bool // a name section naming every defined function
	yield       bool // the first imported function is wasi_snapshot_preview1.sched_yield
	// bodies builds each defined function's body (locals, instructions,
	// end). chk is nil for the input and the expected check sequence for
	// the output, so one function describes both.
	bodies []func(chk []byte) []byte
}

// value types
const (
	tI32 = 0x7f
	tI64 = 0x7e
	tF32 = 0x7d
	tF64 = 0x7c
)

func ftype(params, results []byte) []byte {
	return slices.Concat([]byte{0x60}, vec(bytesOf(params)...), vec(bytesOf(results)...))
}

func bytesOf(b []byte) [][]byte {
	out := make([][]byte, len(b))
	for i := range b {
		out[i] = b[i : i+1]
	}
	return out
}

// Common types: (i32) -> (i32), () -> (), () -> (i32).
var (
	typeII   = ftype([]byte{tI32}, []byte{tI32})
	typeVV   = ftype(nil, nil)
	typeVI   = ftype(nil, []byte{tI32})
	mutI32   = []byte{tI32, 0x01, opI32Const, 0x00, opEnd}
	constI32 = []byte{tI32, 0x00, opI32Const, 0x07, opEnd}
)

func export(n string, kind byte, idx uint32) []byte {
	return appendULEB(append(name(n), kind), uint64(idx))
}

// checkSeq is the sequence InjectInterrupt inserts for global idx.
func checkSeq(idx uint32) []byte {
	return append(appendULEB([]byte{opGlobalGet}, uint64(idx)), opIf, blockTypeEmpty, opUnreachable, opEnd)
}

// fixed returns a body builder for a body without loops.
func fixed(b ...byte) func([]byte) []byte { return func([]byte) []byte { return b } }

func (m cmod) build() []byte { return m.encode(nil) }

// expected returns what InjectInterrupt must produce: the new global and
// export appended, the checks in place.
func (m cmod) expected() []byte {
	idx := uint32(len(m.importGlobs) + len(m.globals))
	m.globals = append(slices.Clone(m.globals), interruptGlobal)
	m.exports = append(slices.Clone(m.exports), export(InterruptExport, 0x03, idx))
	return m.encode(checkSeq(idx))
}

func (m cmod) encode(chk []byte) []byte {
	out := []byte("\x00asm\x01\x00\x00\x00")
	add := func(id byte, payload []byte) { out = append(out, section(id, payload)...) }
	if len(m.types) > 0 {
		add(1, vec(m.types...))
	}
	var imports [][]byte
	for i, t := range m.importFuncs {
		mod, fn := name("env"), name(fmt.Sprint("f", i))
		if i == 0 && m.yield {
			mod, fn = name(yieldModule), name(yieldName)
		}
		imports = append(imports, slices.Concat(mod, fn, []byte{0x00}, appendULEB(nil, uint64(t))))
	}
	for i, t := range m.importGlobs {
		imports = append(imports, slices.Concat(name("env"), name(fmt.Sprint("g", i)), []byte{0x03, t, 0x00}))
	}
	if len(imports) > 0 {
		add(2, vec(imports...))
	}
	nf := len(m.importFuncs) + len(m.funcs)
	if len(m.funcs) > 0 {
		var fs [][]byte
		for _, t := range m.funcs {
			fs = append(fs, appendULEB(nil, uint64(t)))
		}
		add(3, vec(fs...))
	}
	if m.table {
		add(4, vec(append([]byte{0x70, 0x00}, appendULEB(nil, uint64(nf))...)))
	}
	if m.memory {
		add(5, vec([]byte{0x00, 0x01}))
	}
	if len(m.globals) > 0 {
		add(6, vec(m.globals...))
	}
	if len(m.exports) > 0 {
		add(7, vec(m.exports...))
	}
	if m.table {
		var idx [][]byte
		for i := range nf {
			idx = append(idx, appendULEB(nil, uint64(i)))
		}
		add(9, vec(slices.Concat([]byte{0x00}, i32Expr(0), vec(idx...))))
	}
	if m.dataCount {
		add(12, appendULEB(nil, uint64(len(m.data))))
	}
	if len(m.bodies) > 0 {
		var bodies [][]byte
		for _, b := range m.bodies {
			body := withEntryCheck(b(chk), chk)
			bodies = append(bodies, append(appendULEB(nil, uint64(len(body))), body...))
		}
		add(10, vec(bodies...))
	}
	if len(m.data) > 0 {
		add(11, dataPayload(m.data))
	}
	if m.names {
		var names [][]byte
		for i := range m.funcs {
			idx := len(m.importFuncs) + i
			names = append(names, append(appendULEB(nil, uint64(idx)), name(fmt.Sprint("func", idx))...))
		}
		sub := vec(names...)
		add(0, slices.Concat(name("name"), []byte{0x01}, appendULEB(nil, uint64(len(sub))), sub))
	}
	return out
}

// cat concatenates instruction fragments.
func cat(parts ...[]byte) []byte { return slices.Concat(parts...) }

// Instruction fragments.
var (
	noLocals = []byte{0x00}
	endOp    = []byte{opEnd}
)

// emptyLoop is "loop end" with the check inside.
func emptyLoop(chk []byte) []byte { return cat([]byte{opLoop, blockTypeEmpty}, chk, endOp) }

func f32Bytes(b ...byte) []byte { return append([]byte{opF32Const}, b...) }
func f64Bytes(b ...byte) []byte { return append([]byte{opF64Const}, b...) }

// v128 is v128.const with all bytes set to b.
func v128(b byte) []byte {
	return append([]byte{opSIMDPrefix, 0x0c}, bytesRepeat(b, 16)...)
}

func bytesRepeat(b byte, n int) []byte { return slices.Repeat([]byte{b}, n) }

// withEntryCheck inserts chk right after body's locals, unless chk is nil
// or the body opens a loop before any instruction but block and loop.
func withEntryCheck(body, chk []byte) []byte {
	if chk == nil {
		return body
	}
	r := reader{buf: body}
	n, err := r.u32()
	if err != nil {
		panic(err)
	}
	for range n {
		if _, err := r.u32(); err != nil {
			panic(err)
		}
		if err := skipValType(&r); err != nil {
			panic(err)
		}
	}
	for i := r.pos; i < len(body) && (body[i] == opBlock || body[i] == opLoop); i += 2 {
		if body[i] == opLoop { // followed by its (one-byte, in these tests) block type
			return body
		}
	}
	return cat(body[:r.pos], chk, body[r.pos:])
}

// fibBody is fib(n) by plain recursion, without a loop: n < 2 ? n :
// fib(n-1) + fib(n-2), calling function self.
func fibBody(self byte) func([]byte) []byte {
	return fixed(0x00,
		0x20, 0x00, 0x41, 0x02, 0x48, 0x04, tI32, // if n < 2 (result i32)
		0x20, 0x00, // n
		0x05,                                       // else
		0x20, 0x00, 0x41, 0x01, 0x6b, opCall, self, // fib(n-1)
		0x20, 0x00, 0x41, 0x02, 0x6b, opCall, self, // fib(n-2)
		0x6a, opEnd, opEnd) // i32.add
}

// doublingBody is f(n) = n == 0 ? 1 : f(n-1) + f(n-1), without a loop: 2^n
// calls, so with n = 60 it runs for ever on a stack only n frames deep.
func doublingBody(self byte) func([]byte) []byte {
	return fixed(0x00,
		0x20, 0x00, 0x45, 0x04, tI32, 0x41, 0x01, // if n == 0 (result i32) 1
		0x05,                                       // else
		0x20, 0x00, 0x41, 0x01, 0x6b, opCall, self, // f(n-1)
		0x20, 0x00, 0x41, 0x01, 0x6b, opCall, self, // f(n-1)
		0x6a, opEnd, opEnd) // i32.add
}
