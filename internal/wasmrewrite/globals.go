package wasmrewrite

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// GlobalExportPrefix starts the names under which ExportGlobals exports a
// module's mutable globals; the global's index follows.
const GlobalExportPrefix = "__walker_global_"

// ExportGlobals returns a copy of wasm that also exports every mutable
// global the module defines, as GlobalExportPrefix followed by the
// global's index, and the indices it exported, in order. A host that can
// read and write all of an instance's mutable state (its memory and these
// globals) can snapshot an instance and later restore it; Go keeps its
// stack pointer and scheduler registers in such globals.
//
// Only the export section changes (it is added if absent); every other
// section is copied byte for byte. A module that already exports a name
// starting with GlobalExportPrefix is refused with ErrExportExists.
func ExportGlobals(wasm []byte) ([]byte, []uint32, error) {
	secs, err := Sections(wasm)
	if err != nil {
		return nil, nil, err
	}
	var (
		imported  uint64
		mutable   []uint32
		exportSec = -1
		count     uint32
		countLen  int
	)
	for i, s := range secs {
		payload := wasm[s.Offset:s.End():s.End()]
		switch s.ID {
		case idImport:
			err = eachImport(payload, func(_, _ []byte, kind byte) {
				if kind == 0x03 {
					imported++
				}
			})
		case idGlobal:
			mutable, err = mutableGlobals(payload, imported)
		case idExport:
			exportSec = i
			count, countLen, err = eachExport(payload, func(name string) error {
				if strings.HasPrefix(name, GlobalExportPrefix) {
					return fmt.Errorf("%w: %q", ErrExportExists, name)
				}
				return nil
			})
		}
		if err != nil {
			return nil, nil, fmt.Errorf("wasmrewrite: %w", err)
		}
	}
	var entries []byte
	for _, idx := range mutable {
		entries = append(entries, globalExport(idx)...)
	}
	size := ulebLen(uint64(count)+uint64(len(mutable))) + len(entries)
	if exportSec >= 0 {
		size += secs[exportSec].Size - countLen
	}
	if uint64(size) > math.MaxUint32 {
		return nil, nil, fmt.Errorf("wasmrewrite: export section: %w: %d bytes", ErrTooLarge, size)
	}
	out := make([]byte, 0, len(wasm)+len(entries)+16)
	out = append(out, wasm[:headerLen]...)
	done := false
	emit := func(old []byte) {
		out = append(out, idExport)
		out = appendULEB(out, uint64(size))
		out = appendULEB(out, uint64(count)+uint64(len(mutable)))
		out = append(out, old...)
		out = append(out, entries...)
		done = true
	}
	for i, s := range secs {
		switch {
		case i == exportSec:
			emit(wasm[s.Offset+countLen : s.End()])
			continue
		case !done && exportSec < 0 && s.ID != idCustom && sectionRank[s.ID] > sectionRank[idExport]:
			emit(nil)
		}
		out = append(out, wasm[s.Start:s.End()]...)
	}
	if !done {
		emit(nil)
	}
	return out, mutable, nil
}

// mutableGlobals returns the indices of the mutable globals a global
// section defines; the first has index imported.
func mutableGlobals(payload []byte, imported uint64) ([]uint32, error) {
	r := reader{buf: payload}
	count, err := r.u32()
	if err != nil {
		return nil, fmt.Errorf("global section: count: %w", err)
	}
	if imported+uint64(count) > math.MaxUint32 {
		return nil, fmt.Errorf("global section: %w: %d globals", ErrTooLarge, imported+uint64(count))
	}
	var out []uint32
	for i := uint32(0); i < count; i++ {
		start := r.pos
		if err := skipGlobal(&r); err != nil {
			return nil, fmt.Errorf("global section: global %d: %w", i, err)
		}
		if isMutable(payload[start:]) {
			out = append(out, uint32(imported)+i)
		}
	}
	if n := r.remaining(); n != 0 {
		return nil, fmt.Errorf("global section: %w: %d trailing bytes", ErrMalformed, n)
	}
	return out, nil
}

// isMutable reads the mutability flag that follows a global's value type
// (which skipGlobal has already validated).
func isMutable(global []byte) bool {
	r := reader{buf: global}
	_ = skipValType(&r)
	mut, _ := r.byte()
	return mut == 1
}

// GlobalExportName is the name ExportGlobals gives global idx.
func GlobalExportName(idx uint32) string {
	return GlobalExportPrefix + strconv.FormatUint(uint64(idx), 10)
}

func globalExport(idx uint32) []byte {
	n := GlobalExportName(idx)
	e := appendULEB(nil, uint64(len(n)))
	e = append(e, n...)
	return appendULEB(append(e, 0x03), uint64(idx))
}
