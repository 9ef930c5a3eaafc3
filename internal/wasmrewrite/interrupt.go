package wasmrewrite

import (
	"fmt"
	"math"
)

// InterruptExport is the name under which InjectInterrupt exports the
// interrupt flag global.
const InterruptExport = "__walker_interrupt"

// InterruptInfo describes an InjectInterrupt call.
type InterruptInfo struct {
	GlobalIndex uint32 // index of the added global: imported + defined globals of the input
	Loops       int    // loops instrumented (one check each)
	Entries     int    // function entries instrumented (one check each)
	Functions   int    // function bodies that got at least one check (the bodies changed)
	Yields      bool   // the module imports sched_yield, and the checks call it
}

// Section ids InjectInterrupt edits or orders by.
const (
	idGlobal = 6
	idExport = 7
)

// sectionRank gives the required order of the non-custom sections (the
// tag section, id 13, comes between memory and global).
var sectionRank = [maxID + 1]int{
	1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, idGlobal: 7, idExport: 8,
	8: 9, 9: 10, idDataCount: 11, idCode: 12, idData: 13,
}

// The import InjectInterrupt calls to yield to the host, and how often.
const (
	yieldModule = "wasi_snapshot_preview1"
	yieldName   = "sched_yield"
	// YieldEvery is how many checks (loop iterations and function
	// entries) pass between two yields.
	YieldEvery = 10000
)

// Opcodes of the fuel countdown.
const (
	opGlobalSet = 0x24
	opI32Sub    = 0x6b
	opI32Eqz    = 0x45
	opCall      = 0x10
	opDrop      = 0x1a
)

// interruptGlobal is the added global: (mut i32) initialised by i32.const 0.
var interruptGlobal = []byte{0x7f, 0x01, opI32Const, 0x00, opEnd}

// InjectInterrupt returns a copy of wasm instrumented so that the host can
// stop a running guest: it adds a mutable i32 global, initially 0, after
// the module's globals (existing global indices do not change), exports it
// as InterruptExport, and inserts at the top of every loop body, right
// after the loop's block type, and at the entry of every function, right
// after its locals,
//
//	global.get $interrupt
//	if
//	  unreachable
//	end
//
// (The entry check is left out of a function that opens a loop before any
// other instruction but block: the loop's check comes first anyway.)
// Every path through guest code thus meets a check within a bounded number
// of instructions: straight-line code is bounded by the size of a function
// body, loops by their headers, calls (recursion included, direct,
// indirect or tail) by the callee's entry, and the returns that unwind a
// stack by its depth times the largest body.
//
// When the module imports wasi_snapshot_preview1.sched_yield (every Go
// guest does), a second added global counts checks down and the check
// also calls that import every YieldEvery checks (see appendYield), so
// that a long-running guest regularly returns to the host.
//
// Setting the global to a non-zero value from the host (for wazero,
// api.MutableGlobal.Set on ExportedGlobal(InterruptExport)) makes the
// guest trap with "unreachable" at its next loop iteration or function
// call. A call blocked in a host function is not interrupted. The guest is trapped in the middle of
// whatever it did: close the module instance afterwards. The global is
// only reachable once instantiation returns, so to cover _initialize
// instantiate without start functions and call it like any export.
//
// Only the global, export and code sections change (the first two are
// added if absent); every other section is copied byte for byte. Function
// indices do not change, so the name section stays valid; custom sections
// that hold code offsets (DWARF, branch hints) do not, and are left as
// they are.
//
// Every instruction of every function body is decoded, as strictly as the
// spec requires: MVP, sign extension, saturating truncation, bulk memory,
// reference types, multi-value, tail calls, typed function references,
// SIMD and multi-memory memargs. Threads, exception handling, relaxed SIMD
// and unknown opcodes are errors (ErrUnsupportedInstr), as are truncated
// or malformed bodies and sections out of order. A module that already
// exports InterruptExport is refused with ErrExportExists. Errors say
// where, with function indices counting imported functions:
//
//	wasmrewrite: code section: function 12: offset 0x1a3: opcode 0xfe: unsupported instruction: threads (atomic) instructions
//
// The output is allocated once at its final size: at most the input size
// plus a check (at most 50 bytes) per loop and function, plus a few dozen
// bytes. Bookkeeping takes 4 bytes per check. The input is not modified.
func InjectInterrupt(wasm []byte) ([]byte, InterruptInfo, error) {
	var info InterruptInfo
	secs, err := Sections(wasm)
	if err != nil {
		return nil, info, err
	}
	m, err := inspectCode(wasm, secs, false)
	if err != nil {
		return nil, info, fmt.Errorf("wasmrewrite: %w", err)
	}
	out, err := m.assemble(wasm)
	if err != nil {
		return nil, info, fmt.Errorf("wasmrewrite: %w", err)
	}
	info = InterruptInfo{GlobalIndex: m.globalIdx, Loops: len(m.code.inserts) - m.code.entries,
		Entries: m.code.entries, Functions: len(m.patches), Yields: m.yieldFunc >= 0}
	return out, info, nil
}

// instrumenter holds what InjectInterrupt learnt about a module.
type instrumenter struct {
	secs            []Section
	importedFuncs   uint64
	importedGlobals uint64
	globalSec       int    // index in secs, or -1
	globals         uint64 // defined globals
	globalCountLen  int    // bytes of the global count
	exportSec       int    // index in secs, or -1
	exports         uint64
	exportCountLen  int
	codeSec         int   // index in secs, or -1
	yieldFunc       int64 // function index of the imported wasi sched_yield, or -1
	grows           bool  // FlagFailedGrow rather than InjectInterrupt
	globalIdx       uint32
	check           []byte // the inserted instructions
	code            codeScanner
	patches         []patch // function bodies with checks, in order
}

// patch is a function body that gets checks: its size LEB128 starts at
// sizeAt, its bytes are [start, end) (offsets in the code section payload),
// and n entries of code.inserts are in it.
type patch struct{ sizeAt, start, end, n uint32 }

// inspectCode checks the section order and parses the import, global, export
// and code sections, for InjectInterrupt or, with grows, FlagFailedGrow.
func inspectCode(wasm []byte, secs []Section, grows bool) (*instrumenter, error) {
	m := &instrumenter{secs: secs, globalSec: -1, exportSec: -1, codeSec: -1, yieldFunc: -1, grows: grows}
	m.code.grows = grows
	last := 0
	for i, s := range secs {
		if s.ID == idCustom {
			continue
		}
		if sectionRank[s.ID] <= last {
			return nil, fmt.Errorf("section %d at offset %#x: %w: section id %d out of order", i, s.Start, ErrMalformed, s.ID)
		}
		last = sectionRank[s.ID]
		payload := wasm[s.Offset:s.End():s.End()]
		var err error
		switch s.ID {
		case idImport:
			err = m.parseImports(payload)
		case idGlobal:
			m.globalSec = i
			err = m.parseGlobals(payload)
		case idExport:
			m.exportSec = i
			err = m.parseExports(payload)
		case idCode:
			m.codeSec = i
			err = m.scanCode(payload, s.Offset)
		}
		if err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *instrumenter) parseImports(payload []byte) error {
	return eachImport(payload, func(mod, name []byte, kind byte) {
		switch kind {
		case 0x00:
			if string(mod) == yieldModule && string(name) == yieldName {
				m.yieldFunc = int64(m.importedFuncs)
			}
			m.importedFuncs++
		case 0x03:
			m.importedGlobals++
		}
	})
}

func (m *instrumenter) parseGlobals(payload []byte) error {
	r := reader{buf: payload}
	count, err := r.u32()
	if err != nil {
		return fmt.Errorf("global section: count: %w", err)
	}
	m.globals, m.globalCountLen = uint64(count), r.pos
	for i := uint32(0); i < count; i++ {
		if err := skipGlobal(&r); err != nil {
			return fmt.Errorf("global section: global %d: %w", i, err)
		}
	}
	if n := r.remaining(); n != 0 {
		return fmt.Errorf("global section: %w: %d trailing bytes", ErrMalformed, n)
	}
	return nil
}

// skipGlobal skips a global: value type, mutability, initialiser.
func skipGlobal(r *reader) error {
	if err := skipValType(r); err != nil {
		return fmt.Errorf("type: %w", err)
	}
	mut, err := r.byte()
	if err != nil {
		return fmt.Errorf("mutability: %w", err)
	}
	if mut > 1 {
		return fmt.Errorf("%w: mutability %#02x", ErrMalformed, mut)
	}
	if _, _, err := readConstExpr(r); err != nil {
		return fmt.Errorf("initializer: %w", err)
	}
	return nil
}

func (m *instrumenter) parseExports(payload []byte) error {
	count, countLen, err := eachExport(payload, func(name string) error {
		if name == m.exportName() {
			return fmt.Errorf("%w: %q", ErrExportExists, name)
		}
		return nil
	})
	m.exports, m.exportCountLen = uint64(count), countLen
	return err
}

// scanCode decodes every function body and records the bodies with checks.
// It runs after the import and global sections are parsed (section order).
func (m *instrumenter) scanCode(payload []byte, base int) error {
	if err := m.setGlobalIndex(); err != nil {
		return err
	}
	m.code.base = base
	r := reader{buf: payload}
	count, err := r.u32()
	if err != nil {
		return fmt.Errorf("code section: count: %w", err)
	}
	for i := uint32(0); i < count; i++ { // each body takes >= 2 bytes
		fn := m.importedFuncs + uint64(i)
		sizeAt := r.pos
		body, err := r.vec()
		if err != nil {
			return fmt.Errorf("code section: function %d: body size: %w", fn, err)
		}
		start, before := r.pos-len(body), len(m.code.inserts)
		br := reader{buf: payload[:r.pos:r.pos], pos: start}
		if err := m.code.scanBody(&br); err != nil {
			return fmt.Errorf("code section: function %d: %w", fn, err)
		}
		if n := len(m.code.inserts) - before; n > 0 {
			m.patches = append(m.patches, patch{uint32(sizeAt), uint32(start), uint32(r.pos), uint32(n)})
		}
	}
	if n := r.remaining(); n != 0 {
		return fmt.Errorf("code section: %w: %d trailing bytes", ErrMalformed, n)
	}
	return nil
}

// setGlobalIndex computes the new global's index and the check sequence.
func (m *instrumenter) setGlobalIndex() error {
	idx := m.importedGlobals + m.globals
	if idx > math.MaxUint32-2 {
		return fmt.Errorf("global section: %w: %d globals", ErrTooLarge, idx)
	}
	m.globalIdx = uint32(idx)
	if m.grows {
		m.check = growCheck(idx)
		return nil
	}
	m.check = appendULEB([]byte{opGlobalGet}, idx)
	m.check = append(m.check, opIf, blockTypeEmpty, opUnreachable, opEnd)
	if m.yieldFunc >= 0 {
		m.check = appendYield(m.check, idx+1, uint64(m.yieldFunc))
	}
	return nil
}

// appendYield appends the fuel countdown that calls sched_yield every
// YieldEvery checks:
//
//	global.get $fuel  i32.const 1  i32.sub  global.set $fuel
//	global.get $fuel  i32.eqz
//	if
//	  i32.const YieldEvery  global.set $fuel
//	  call $sched_yield  drop
//	end
//
// The call leaves native code for a host (Go) function, where the Go
// scheduler can stop the goroutine: without it a long-running guest holds
// its thread through every stop-the-world phase of the host's garbage
// collector, and the whole host stalls until the guest returns.
func appendYield(b []byte, fuel, yield uint64) []byte {
	b = appendULEB(append(b, opGlobalGet), fuel)
	b = append(b, opI32Const, 0x01, opI32Sub)
	b = appendULEB(append(b, opGlobalSet), fuel)
	b = appendULEB(append(b, opGlobalGet), fuel)
	b = append(b, opI32Eqz, opIf, blockTypeEmpty)
	b = appendSLEB(append(b, opI32Const), YieldEvery)
	b = appendULEB(append(b, opGlobalSet), fuel)
	b = appendULEB(append(b, opCall), yield)
	return append(b, opDrop, opEnd)
}

// fuelGlobal is the added countdown global: (mut i32) = YieldEvery.
func fuelGlobal() []byte {
	return append(appendSLEB([]byte{0x7f, 0x01, opI32Const}, YieldEvery), opEnd)
}

// addedGlobals returns the encoded globals InjectInterrupt adds.
func (m *instrumenter) addedGlobals() []byte {
	if m.grows {
		return append(append([]byte(nil), interruptGlobal...), interruptGlobal...)
	}
	if m.yieldFunc < 0 {
		return interruptGlobal
	}
	return append(append([]byte(nil), interruptGlobal...), fuelGlobal()...)
}

// addedCount is the number of globals InjectInterrupt adds.
func (m *instrumenter) addedCount() uint64 {
	if m.yieldFunc < 0 && !m.grows {
		return 1
	}
	return 2
}

// exportEntry is the added export.
func (m *instrumenter) exportEntry() []byte {
	e := appendULEB(nil, uint64(len(m.exportName())))
	e = append(e, m.exportName()...)
	return appendULEB(append(e, 0x03), uint64(m.globalIdx))
}

// assemble builds the output, allocated once at its final size.
func (m *instrumenter) assemble(wasm []byte) ([]byte, error) {
	if m.codeSec < 0 { // no code: the index is still needed
		if err := m.setGlobalIndex(); err != nil {
			return nil, err
		}
	}
	export := m.exportEntry()

	// New payload sizes of the global, export and code sections.
	added := m.addedGlobals()
	globalSize := ulebLen(m.globals+m.addedCount()) + len(added)
	if m.globalSec >= 0 {
		globalSize += m.secs[m.globalSec].Size - m.globalCountLen
	}
	exportSize := ulebLen(m.exports+1) + len(export)
	if m.exportSec >= 0 {
		exportSize += m.secs[m.exportSec].Size - m.exportCountLen
	}
	codeSize := 0
	if m.codeSec >= 0 {
		codeSize = m.secs[m.codeSec].Size + len(m.code.inserts)*len(m.check)
		for _, p := range m.patches {
			codeSize += ulebLen(uint64(p.end-p.start)+uint64(p.n)*uint64(len(m.check))) - int(p.start-p.sizeAt)
		}
	}
	for _, c := range []struct {
		name string
		size int
	}{{"global", globalSize}, {"export", exportSize}, {"code", codeSize}} {
		if uint64(c.size) > math.MaxUint32 {
			return nil, fmt.Errorf("%s section: %w: %d bytes", c.name, ErrTooLarge, c.size)
		}
	}

	total := len(wasm) + sectionLen(globalSize) + sectionLen(exportSize)
	for _, i := range []int{m.globalSec, m.exportSec} {
		if i >= 0 {
			total -= m.secs[i].End() - m.secs[i].Start
		}
	}
	if m.codeSec >= 0 {
		s := m.secs[m.codeSec]
		total += sectionLen(codeSize) - (s.End() - s.Start)
	}

	out := make([]byte, 0, total)
	out = append(out, wasm[:headerLen]...)
	globalDone, exportDone := m.globalSec >= 0, m.exportSec >= 0
	emitNew := func(rank int) {
		if !globalDone && rank > sectionRank[idGlobal] {
			out = append(out, idGlobal)
			out = appendULEB(out, uint64(globalSize))
			out = appendULEB(out, m.addedCount())
			out = append(out, added...)
			globalDone = true
		}
		if !exportDone && rank > sectionRank[idExport] {
			out = append(out, idExport)
			out = appendULEB(out, uint64(exportSize))
			out = appendULEB(out, 1)
			out = append(out, export...)
			exportDone = true
		}
	}
	for i, s := range m.secs {
		if s.ID != idCustom {
			emitNew(sectionRank[s.ID])
		}
		payload := wasm[s.Offset:s.End()]
		switch i {
		case m.globalSec:
			out = append(out, idGlobal)
			out = appendULEB(out, uint64(globalSize))
			out = appendULEB(out, m.globals+m.addedCount())
			out = append(out, payload[m.globalCountLen:]...)
			out = append(out, added...)
		case m.exportSec:
			out = append(out, idExport)
			out = appendULEB(out, uint64(exportSize))
			out = appendULEB(out, m.exports+1)
			out = append(out, payload[m.exportCountLen:]...)
			out = append(out, export...)
		case m.codeSec:
			out = append(out, idCode)
			out = appendULEB(out, uint64(codeSize))
			out = m.appendCode(out, payload)
		default:
			out = append(out, wasm[s.Start:s.End()]...)
		}
	}
	emitNew(math.MaxInt)
	return out, nil
}

// sectionLen is the encoded length of a section with the given payload size.
func sectionLen(size int) int { return 1 + ulebLen(uint64(size)) + size }

// appendCode appends the code section payload with the checks inserted and
// the sizes of the changed bodies re-encoded.
func (m *instrumenter) appendCode(out, payload []byte) []byte {
	cur, k := uint32(0), 0
	for _, p := range m.patches {
		out = append(out, payload[cur:p.sizeAt]...)
		out = appendULEB(out, uint64(p.end-p.start)+uint64(p.n)*uint64(len(m.check)))
		cur = p.start
		for _, at := range m.code.inserts[k : k+int(p.n)] {
			out = append(out, payload[cur:at]...)
			out = append(out, m.check...)
			cur = at
		}
		k += int(p.n)
	}
	return append(out, payload[cur:]...)
}
