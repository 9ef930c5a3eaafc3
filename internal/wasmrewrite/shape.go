package wasmrewrite

import (
	"fmt"
	"math"
)

// Section ids Measure reads besides those of sections.go.
const (
	idFunction = 3
	idTable    = 4
)

// Shape is what a module costs the engine that compiles and instantiates
// it, read without compiling: the counts whose size makes compilation time
// or memory grow faster than the module's bytes.
type Shape struct {
	Functions int     // imported and defined
	MaxDepth  int     // deepest block nesting in a body; the body itself is depth 1
	MaxLocals uint64  // most locals declared by one body (parameters not counted)
	Tables    []Table // defined tables, in order
}

// Table is what a table definition declares, in entries.
type Table struct {
	Min    uint32
	Max    uint32 // meaningful when HasMax
	HasMax bool
}

// TableEntries is the sum of the tables' minimums: the entries every
// instance holds from the start.
func (s Shape) TableEntries() uint64 {
	var n uint64
	for _, t := range s.Tables {
		n += uint64(t.Min)
	}
	return n
}

// Measure returns the shape of wasm in one pass over its bytes, decoding
// every instruction of every body to find the nesting depth. Its cost is
// linear in the module's size, so a host can refuse a module whose shape
// would make compilation slow or large before compiling it. Bodies that
// the instruction decoder cannot read (see InjectInterrupt) are errors.
func Measure(wasm []byte) (Shape, error) {
	secs, err := Sections(wasm)
	if err != nil {
		return Shape{}, err
	}
	var sh Shape
	var declared, bodies uint32 // function and code section counts
	for _, s := range secs {
		payload := wasm[s.Offset:s.End():s.End()]
		switch s.ID {
		case idImport:
			err = sh.countImports(payload)
		case idFunction:
			r := reader{buf: payload}
			declared, err = r.u32()
		case idTable:
			sh.Tables, _, err = readTables(payload)
		case idCode:
			bodies, err = sh.measureCode(payload, s.Offset)
		}
		if err != nil {
			return Shape{}, fmt.Errorf("wasmrewrite: section %d at offset %#x: %w", s.ID, s.Start, err)
		}
	}
	sh.Functions += int(max(declared, bodies)) // a mismatch fails compilation later
	return sh, nil
}

// countImports adds the imported functions to sh.Functions.
func (sh *Shape) countImports(payload []byte) error {
	r := reader{buf: payload}
	n, err := r.u32()
	if err != nil {
		return err
	}
	for i := uint32(0); i < n; i++ {
		kind, err := skipImportNames(&r)
		if err != nil {
			return fmt.Errorf("import %d: %w", i, err)
		}
		switch kind {
		case 0x00:
			sh.Functions++
			err = skipImportDesc(&r, kind)
		case 0x02:
			err = skipLimits(&r)
		default:
			err = skipImportDesc(&r, kind)
		}
		if err != nil {
			return fmt.Errorf("import %d: %w", i, err)
		}
	}
	return nil
}

// measureCode records the deepest nesting and the most locals of the
// bodies of a code section. base is the payload's module offset.
func (sh *Shape) measureCode(payload []byte, base int) (uint32, error) {
	r := reader{buf: payload}
	n, err := r.u32()
	if err != nil {
		return 0, err
	}
	for i := uint32(0); i < n; i++ {
		body, err := r.vec()
		if err != nil {
			return 0, fmt.Errorf("body %d: %w", i, err)
		}
		br := reader{buf: body}
		locals, depth, err := measureBody(&br)
		if err != nil {
			return 0, fmt.Errorf("body %d at offset %#x: %w", i, base+r.pos-len(body), err)
		}
		sh.MaxLocals = max(sh.MaxLocals, locals)
		sh.MaxDepth = max(sh.MaxDepth, depth)
	}
	if r.remaining() != 0 {
		return 0, fmt.Errorf("%w: %d bytes after the last body", ErrMalformed, r.remaining())
	}
	return n, nil
}

// measureBody decodes one function body and returns its number of locals
// and its deepest block nesting.
func measureBody(r *reader) (locals uint64, deepest int, err error) {
	n, err := r.u32()
	if err != nil {
		return 0, 0, fmt.Errorf("locals: %w", err)
	}
	for i := uint32(0); i < n; i++ {
		count, err := r.u32()
		if err != nil {
			return 0, 0, fmt.Errorf("locals: entry %d: %w", i, err)
		}
		locals += uint64(count)
		if err := skipValType(r); err != nil {
			return 0, 0, fmt.Errorf("locals: entry %d: type: %w", i, err)
		}
	}
	depth, deepest := 1, 1
	for {
		op, err := r.byte()
		if err != nil {
			return 0, 0, fmt.Errorf("%w: body ends before its end opcode (%d open blocks)", ErrTruncated, depth)
		}
		kind := opImm[op]
		switch kind {
		case immEnd:
			if depth--; depth == 0 {
				if r.remaining() != 0 {
					return 0, 0, fmt.Errorf("%w: %d bytes after the function's final end", ErrMalformed, r.remaining())
				}
				return locals, deepest, nil
			}
			continue
		case immBlock:
			depth++
			deepest = max(deepest, depth)
		}
		if err := skipImmediates(r, kind); err != nil {
			return 0, 0, fmt.Errorf("opcode %#02x: %w", op, err)
		}
	}
}

// readTables decodes a table section. With each table it returns the
// offsets, within payload, of its limits: from the flags byte to the end.
func readTables(payload []byte) ([]Table, [][2]int, error) {
	r := reader{buf: payload}
	n, err := r.u32()
	if err != nil {
		return nil, nil, err
	}
	if uint64(n) > uint64(r.remaining()) { // each table takes >= 3 bytes
		return nil, nil, fmt.Errorf("%w: %d tables", ErrTruncated, n)
	}
	tables := make([]Table, 0, n)
	spans := make([][2]int, 0, n)
	for i := uint32(0); i < n; i++ {
		if err := skipValType(&r); err != nil {
			return nil, nil, fmt.Errorf("table %d: %w", i, err)
		}
		start := r.pos
		flags, err := r.byte()
		if err != nil {
			return nil, nil, fmt.Errorf("table %d: %w", i, err)
		}
		if flags > 1 {
			return nil, nil, fmt.Errorf("table %d: %w: limits flags %#x (shared, 64-bit or initialised table)", i, ErrMalformed, flags)
		}
		var t Table
		if t.Min, err = r.u32(); err == nil && flags == 1 {
			t.HasMax = true
			t.Max, err = r.u32()
		}
		if err != nil {
			return nil, nil, fmt.Errorf("table %d: %w", i, err)
		}
		tables = append(tables, t)
		spans = append(spans, [2]int{start, r.pos})
	}
	if r.remaining() != 0 {
		return nil, nil, fmt.Errorf("%w: %d bytes after the last table", ErrMalformed, r.remaining())
	}
	return tables, spans, nil
}

// CapTables returns a copy of wasm whose defined tables together can never
// hold more than total entries, and its tables as the copy declares them.
// A table without a declared maximum gets its minimum as maximum (a
// module that grows a table says how far); a declared maximum becomes at
// most the minimum plus an equal share of what total leaves above the sum
// of the minimums. So no sequence of table.grow exceeds total, and the sum
// of the returned maximums is what an instance's tables may take. A module without a
// table section is returned unchanged; one whose minimums already exceed
// total is returned unchanged too, and the caller compares
// Shape.TableEntries itself to refuse it with its own message.
func CapTables(wasm []byte, total uint32) ([]byte, []Table, error) {
	secs, err := Sections(wasm)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range secs {
		if s.ID != idTable {
			continue
		}
		payload := wasm[s.Offset:s.End():s.End()]
		tables, spans, err := readTables(payload)
		if err != nil {
			return nil, nil, fmt.Errorf("wasmrewrite: table section: %w", err)
		}
		sum := Shape{Tables: tables}.TableEntries()
		if len(tables) == 0 || sum > uint64(total) {
			return wasm, tables, nil
		}
		share := (uint64(total) - sum) / uint64(len(tables))
		var out []byte
		prev := 0
		for i, t := range tables {
			capped := uint64(t.Min)
			if t.HasMax {
				capped = max(capped, min(capped+share, uint64(t.Max)))
			}
			tables[i] = Table{Min: t.Min, Max: uint32(capped), HasMax: true}
			out = append(out, payload[prev:spans[i][0]]...)
			out = append(out, 0x01)
			out = appendULEB(out, uint64(t.Min))
			out = appendULEB(out, capped)
			prev = spans[i][1]
		}
		out = append(out, payload[prev:]...)
		if uint64(len(out)) > math.MaxUint32 {
			return nil, nil, fmt.Errorf("wasmrewrite: table section: %w", ErrTooLarge)
		}
		res := make([]byte, 0, len(wasm)+5*len(tables)+5)
		res = append(res, wasm[:s.Start]...)
		res = append(res, idTable)
		res = appendULEB(res, uint64(len(out)))
		res = append(res, out...)
		return append(res, wasm[s.End():]...), tables, nil
	}
	return wasm, nil, nil
}
