package wasmrewrite

import "fmt"

// GrowFailedExport is the name under which FlagFailedGrow exports its flag.
const GrowFailedExport = "__walker_grow_failed"

// Opcodes of the grow check.
const (
	opI32Eq = 0x46
	opI32Or = 0x72
)

// FlagFailedGrow returns a copy of wasm in which every memory.grow of
// memory 0 that fails (returns -1) sets a flag the host can read, and the
// number of memory.grow instructions so instrumented. A host that caps the
// memory (CapMemory) can so tell, when the guest then traps or exits, that
// it did because the memory limit refused it more memory: it need not
// guess from the memory's size or from what the guest printed.
//
// It adds two mutable i32 globals after the module's globals, the flag
// and a scratch global, both initially 0, exports the flag as
// GrowFailedExport, and inserts after every memory.grow of memory 0
//
//	global.set $scratch  global.get $scratch         ;; the result stays
//	global.get $scratch  i32.const -1  i32.eq
//	global.get $flag  i32.or  global.set $flag       ;; flag |= result == -1
//
// The flag only ever goes from 0 to 1 inside the guest: the host resets it
// (api.MutableGlobal.Set) before each call it wants to classify. Memory 0
// must be a 32-bit memory (CapMemory refuses 64-bit ones).
//
// Like InjectInterrupt, whose decoder it shares, it changes only the
// global, export and code sections, refuses a module that already exports
// GrowFailedExport (ErrExportExists), and composes with InjectInterrupt
// in either order.
func FlagFailedGrow(wasm []byte) ([]byte, int, error) {
	secs, err := Sections(wasm)
	if err != nil {
		return nil, 0, err
	}
	m, err := inspectCode(wasm, secs, true)
	if err != nil {
		return nil, 0, fmt.Errorf("wasmrewrite: %w", err)
	}
	out, err := m.assemble(wasm)
	if err != nil {
		return nil, 0, fmt.Errorf("wasmrewrite: %w", err)
	}
	return out, len(m.code.inserts), nil
}

// growCheck is the sequence inserted after a memory.grow; flag is the
// index of the flag global, the scratch global follows it.
func growCheck(flag uint64) []byte {
	scratch := flag + 1
	b := appendULEB([]byte{opGlobalSet}, scratch)
	b = appendULEB(append(b, opGlobalGet), scratch)
	b = appendULEB(append(b, opGlobalGet), scratch)
	b = append(b, opI32Const, 0x7f, opI32Eq) // -1
	b = appendULEB(append(b, opGlobalGet), flag)
	b = append(b, opI32Or)
	return appendULEB(append(b, opGlobalSet), flag)
}

// exportName is the export the instrumentation adds.
func (m *instrumenter) exportName() string {
	if m.grows {
		return GrowFailedExport
	}
	return InterruptExport
}
