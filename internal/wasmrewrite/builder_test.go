package wasmrewrite

import (
	"errors"
	"slices"
)

// Test helpers that assemble small modules by hand.

// seg is a data segment to encode.
type seg struct {
	flags uint32
	mem   uint32
	expr  []byte // full offset expression including end
	data  string
}

func i32Expr(off int32) []byte {
	return append(appendSLEB([]byte{opI32Const}, int64(off)), opEnd)
}

func active(off int32, data string) seg { return seg{expr: i32Expr(off), data: data} }
func passive(data string) seg           { return seg{flags: 1, data: data} }
func globalSeg(g uint32, data string) seg {
	return seg{expr: append(appendULEB([]byte{opGlobalGet}, uint64(g)), opEnd), data: data}
}
func activeMem(mem uint32, off int32, data string) seg {
	return seg{flags: 2, mem: mem, expr: i32Expr(off), data: data}
}

func (s seg) encode() []byte {
	b := appendULEB(nil, uint64(s.flags))
	if s.flags == 2 {
		b = appendULEB(b, uint64(s.mem))
	}
	if s.flags != 1 {
		b = append(b, s.expr...)
	}
	b = appendULEB(b, uint64(len(s.data)))
	return append(b, s.data...)
}

func section(id byte, payload []byte) []byte {
	b := appendULEB([]byte{id}, uint64(len(payload)))
	return append(b, payload...)
}

func vec(items ...[]byte) []byte {
	b := appendULEB(nil, uint64(len(items)))
	for _, it := range items {
		b = append(b, it...)
	}
	return b
}

func name(s string) []byte { return append(appendULEB(nil, uint64(len(s))), s...) }

func dataPayload(segs []seg) []byte {
	items := make([][]byte, len(segs))
	for i, s := range segs {
		items[i] = s.encode()
	}
	return vec(items...)
}

// spec describes a test module.
type spec struct {
	segs         []seg
	pages        uint32 // memory min pages (default 1)
	importGlobal bool   // import env.g (i32) for global.get offsets
	importMemory bool   // import env.mem instead of defining memory
	dataCount    bool   // emit a data count section
	initSeg      int    // >0: export "init" doing memory.init initSeg-1 at 0x8000, then data.drop
	initLen      int    // bytes copied by init
	custom       bool   // add a custom section before and after
}

func (sp spec) build() []byte {
	pages := max(sp.pages, 1)
	m := []byte("\x00asm\x01\x00\x00\x00")
	if sp.custom {
		m = append(m, section(0, append(name("before"), 1, 2, 3))...)
	}
	if sp.initSeg > 0 {
		m = append(m, section(1, vec([]byte{0x60, 0, 0}))...) // type () -> ()
	}
	var imports [][]byte
	if sp.importGlobal {
		imports = append(imports, slices.Concat(name("env"), name("g"), []byte{0x03, 0x7f, 0x00}))
	}
	if sp.importMemory {
		imports = append(imports, slices.Concat(name("env"), name("mem"), []byte{0x02, 0x00}, appendULEB(nil, uint64(pages))))
	}
	if len(imports) > 0 {
		m = append(m, section(2, vec(imports...))...)
	}
	if sp.initSeg > 0 {
		m = append(m, section(3, vec([]byte{0}))...)
	}
	if !sp.importMemory {
		m = append(m, section(5, vec(append([]byte{0x00}, appendULEB(nil, uint64(pages))...)))...)
	}
	exports := [][]byte{slices.Concat(name("memory"), []byte{0x02, 0x00})}
	if sp.initSeg > 0 {
		exports = append(exports, slices.Concat(name("init"), []byte{0x00, 0x00}))
	}
	if !sp.importMemory {
		m = append(m, section(7, vec(exports...))...)
	} else if sp.initSeg > 0 {
		m = append(m, section(7, vec(exports[1]))...)
	}
	if sp.dataCount {
		m = append(m, section(12, appendULEB(nil, uint64(len(sp.segs))))...)
	}
	if sp.initSeg > 0 {
		m = append(m, section(10, vec(sp.initBody()))...)
	}
	m = append(m, section(11, dataPayload(sp.segs))...)
	if sp.custom {
		m = append(m, section(0, append(name("after"), 4, 5, 6))...)
	}
	return m
}

// initBody: memory.init seg (0x8000, 0, len); data.drop seg.
func (sp spec) initBody() []byte {
	idx := uint64(sp.initSeg - 1)
	b := []byte{0x00} // no locals
	b = append(b, i32Expr(0x8000)[:len(i32Expr(0x8000))-1]...)
	b = append(b, opI32Const, 0x00)
	b = append(appendSLEB(append(b, opI32Const), int64(sp.initLen)), 0xfc, 0x08)
	b = append(appendULEB(b, idx), 0x00)
	b = append(appendULEB(append(b, 0xfc, 0x09), idx), opEnd)
	return append(appendULEB(nil, uint64(len(b))), b...)
}

// envModule exports global g (i32 = gval) and memory mem (pages).
func envModule(gval int32, pages uint32) []byte {
	m := []byte("\x00asm\x01\x00\x00\x00")
	m = append(m, section(5, vec(append([]byte{0x00}, appendULEB(nil, uint64(pages))...)))...)
	m = append(m, section(6, vec(append([]byte{0x7f, 0x00}, i32Expr(gval)...)))...)
	exports := [][]byte{
		slices.Concat(name("g"), []byte{0x03, 0x00}),
		slices.Concat(name("mem"), []byte{0x02, 0x00}),
	}
	return append(m, section(7, vec(exports...))...)
}

func errorsIs(err, target error) bool { return err != nil && errors.Is(err, target) }
