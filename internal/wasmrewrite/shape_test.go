package wasmrewrite

import (
	"bytes"
	"errors"
	"slices"
	"testing"
)

// shapeMod assembles a module for Measure and CapTables: imported
// functions and a memory, defined tables and function bodies.
type shapeMod struct {
	importFuncs int
	importMem   bool
	tables      [][]byte // encoded table types (see tableType)
	bodies      [][]byte // locals and code of each defined function, without the size
	declared    int      // function section count; -1: as many as bodies
}

func tableType(min uint32, max ...uint32) []byte {
	if len(max) == 0 {
		return appendULEB([]byte{0x70, 0x00}, uint64(min))
	}
	return appendULEB(appendULEB([]byte{0x70, 0x01}, uint64(min)), uint64(max[0]))
}

func (m shapeMod) build() []byte {
	out := []byte("\x00asm\x01\x00\x00\x00")
	out = append(out, section(1, vec(ftype(nil, nil)))...)
	var imports [][]byte
	for range m.importFuncs {
		imports = append(imports, slices.Concat(name("env"), name("f"), []byte{0x00, 0x00}))
	}
	if m.importMem {
		imports = append(imports, slices.Concat(name("env"), name("m"), []byte{0x02, 0x00, 0x01}))
	}
	if len(imports) > 0 {
		out = append(out, section(idImport, vec(imports...))...)
	}
	n := m.declared
	if n < 0 {
		n = len(m.bodies)
	}
	out = append(out, section(idFunction, vec(slices.Repeat([][]byte{{0}}, n)...))...)
	if len(m.tables) > 0 {
		out = append(out, section(idTable, vec(m.tables...))...)
	}
	codes := make([][]byte, len(m.bodies))
	for i, b := range m.bodies {
		codes[i] = append(appendULEB(nil, uint64(len(b))), b...)
	}
	return append(out, section(idCode, vec(codes...))...)
}

// nested is a body with depth-1 nested blocks of the given opcode.
func nested(op byte, depth int) []byte {
	b := []byte{0}
	for range depth - 1 {
		b = append(b, op, blockTypeEmpty)
	}
	if op == opIf {
		b = slices.Concat([]byte{0}, bytes.Repeat([]byte{opI32Const, 0, opIf, blockTypeEmpty}, depth-1))
	}
	return append(b, bytes.Repeat([]byte{opEnd}, depth)...)
}

func locals(entries ...uint32) []byte {
	b := appendULEB(nil, uint64(len(entries)))
	for _, n := range entries {
		b = append(appendULEB(b, uint64(n)), tI32)
	}
	return append(b, opEnd)
}

func TestMeasure(t *testing.T) {
	tests := []struct {
		name string
		mod  shapeMod
		want Shape
	}{
		{"empty", shapeMod{declared: -1}, Shape{}},
		{"one empty function", shapeMod{bodies: [][]byte{{0, opEnd}}, declared: -1}, Shape{Functions: 1, MaxDepth: 1}},
		{"imports count as functions", shapeMod{importFuncs: 3, importMem: true, bodies: [][]byte{{0, opEnd}}, declared: -1},
			Shape{Functions: 4, MaxDepth: 1}},
		{"nested blocks", shapeMod{bodies: [][]byte{nested(opBlock, 5), nested(opBlock, 2)}, declared: -1}, Shape{Functions: 2, MaxDepth: 5}},
		{"nested loops", shapeMod{bodies: [][]byte{nested(opLoop, 100)}, declared: -1}, Shape{Functions: 1, MaxDepth: 100}},
		{"nested ifs", shapeMod{bodies: [][]byte{nested(opIf, 7)}, declared: -1}, Shape{Functions: 1, MaxDepth: 7}},
		{"sequential blocks do not nest", shapeMod{bodies: [][]byte{{0, opBlock, blockTypeEmpty, opEnd, opBlock, blockTypeEmpty, opEnd, opEnd}}, declared: -1},
			Shape{Functions: 1, MaxDepth: 2}},
		{"locals summed over entries", shapeMod{bodies: [][]byte{locals(3, 4), locals(1_000_000)}, declared: -1},
			Shape{Functions: 2, MaxDepth: 1, MaxLocals: 1_000_000}},
		{"tables", shapeMod{tables: [][]byte{tableType(10), tableType(5, 20)}, declared: -1},
			Shape{Tables: []Table{{Min: 10}, {Min: 5, Max: 20, HasMax: true}}}},
		{"function section counts more than the code section", shapeMod{bodies: [][]byte{{0, opEnd}}, declared: 2_000_000},
			Shape{Functions: 2_000_000, MaxDepth: 1}},
		{"code section counts more than the function section", shapeMod{bodies: [][]byte{{0, opEnd}, {0, opEnd}}},
			Shape{Functions: 2, MaxDepth: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Measure(tc.mod.build())
			if err != nil {
				t.Fatal(err)
			}
			if got.Functions != tc.want.Functions || got.MaxDepth != tc.want.MaxDepth || got.MaxLocals != tc.want.MaxLocals ||
				!slices.Equal(got.Tables, tc.want.Tables) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestMeasure_Errors(t *testing.T) {
	tests := []struct {
		name string
		wasm []byte
		want error
	}{
		{"not wasm", []byte("nope"), ErrNotWasm},
		{"body without end", shapeMod{bodies: [][]byte{{0, opBlock, blockTypeEmpty, opEnd}}, declared: -1}.build(), ErrTruncated},
		{"bytes after the final end", shapeMod{bodies: [][]byte{{0, opEnd, 0x01}}, declared: -1}.build(), ErrMalformed},
		{"unknown opcode", shapeMod{bodies: [][]byte{{0, 0xff, opEnd}}, declared: -1}.build(), ErrUnsupportedInstr},
		{"shared table", shapeMod{tables: [][]byte{{0x70, 0x03, 1, 1}}, declared: -1}.build(), ErrMalformed},
		{"table count past the section", append([]byte("\x00asm\x01\x00\x00\x00"), section(idTable, []byte{5, 0x70, 0x00, 1})...), ErrTruncated},
		{"huge body count", append([]byte("\x00asm\x01\x00\x00\x00"), section(idCode, appendULEB(nil, 1<<31))...), ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Measure(tc.wasm); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestCapTables(t *testing.T) {
	tests := []struct {
		name   string
		tables [][]byte
		total  uint32
		want   []Table // as the rewritten module declares them
	}{
		{"no maximum: grows no further", [][]byte{tableType(10)}, 100, []Table{{10, 10, true}}},
		{"maximum within the limit kept", [][]byte{tableType(10, 50)}, 100, []Table{{10, 50, true}}},
		{"maximum lowered to the limit", [][]byte{tableType(10, 1<<30)}, 100, []Table{{10, 100, true}}},
		{"headroom shared", [][]byte{tableType(10, 1<<30), tableType(20, 1<<30)}, 100, []Table{{10, 45, true}, {20, 55, true}}},
		{"minimums over the limit unchanged", [][]byte{tableType(1 << 26), tableType(1 << 26)}, 1 << 20, []Table{{Min: 1 << 26}, {Min: 1 << 26}}},
		{"maximum below minimum becomes the minimum", [][]byte{tableType(10, 5)}, 100, []Table{{10, 10, true}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := shapeMod{tables: tc.tables, bodies: [][]byte{{0, opEnd}}, declared: -1}.build()
			orig := bytes.Clone(in)
			out, got, err := CapTables(in, tc.total)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(in, orig) {
				t.Fatal("input modified")
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			sh, err := Measure(out)
			if err != nil {
				t.Fatalf("output: %v", err)
			}
			if len(got) > 0 && got[0].HasMax && !slices.Equal(sh.Tables, got) {
				t.Fatalf("output declares %+v, CapTables said %+v", sh.Tables, got)
			}
		})
	}
	plain := shapeMod{bodies: [][]byte{{0, opEnd}}, declared: -1}.build()
	if out, got, err := CapTables(plain, 10); err != nil || got != nil || !bytes.Equal(out, plain) {
		t.Fatalf("module without tables: %v %+v, changed %v", err, got, !bytes.Equal(out, plain))
	}
}

// FuzzMeasure checks that Measure never panics, that CapTables agrees
// with it and bounds the tables, and that a module CapTables rewrote
// measures the same but for the tables' maximums.
func FuzzMeasure(f *testing.F) {
	f.Add(shapeMod{bodies: [][]byte{nested(opBlock, 4), locals(2, 3)}, declared: -1, importFuncs: 2}.build(), uint32(8))
	f.Add(shapeMod{tables: [][]byte{tableType(3), tableType(1, 9)}, bodies: [][]byte{nested(opIf, 3)}, declared: -1}.build(), uint32(7))
	f.Add(shapeMod{bodies: [][]byte{nested(opLoop, 30)}, declared: 5, importMem: true}.build(), uint32(0))
	f.Fuzz(func(t *testing.T, in []byte, total uint32) {
		orig := bytes.Clone(in)
		sh, err := Measure(in)
		if !bytes.Equal(in, orig) {
			t.Fatal("input modified")
		}
		if err != nil {
			return
		}
		if sh.Functions < 0 || sh.MaxDepth < 0 {
			t.Fatalf("shape %+v", sh)
		}
		out, tables, err := CapTables(in, total)
		if err != nil {
			t.Fatalf("Measure accepted what CapTables refused: %v", err)
		}
		if len(tables) != len(sh.Tables) {
			t.Fatalf("CapTables saw %d tables, Measure %d", len(tables), len(sh.Tables))
		}
		if sh.TableEntries() > uint64(total) {
			if !bytes.Equal(out, in) {
				t.Fatal("tables over the limit rewritten")
			}
			return
		}
		var sum uint64
		for i, tb := range tables {
			if len(tables) > 0 && (!tb.HasMax || tb.Min != sh.Tables[i].Min || tb.Max < tb.Min) {
				t.Fatalf("table %d: %+v from %+v", i, tb, sh.Tables[i])
			}
			sum += uint64(tb.Max)
		}
		if sum > uint64(total) {
			t.Fatalf("tables may hold %d entries, more than %d", sum, total)
		}
		again, err := Measure(out)
		if err != nil {
			t.Fatalf("rewritten module: %v", err)
		}
		if again.Functions != sh.Functions || again.MaxDepth != sh.MaxDepth || again.MaxLocals != sh.MaxLocals ||
			(len(tables) > 0 && !slices.Equal(again.Tables, tables)) {
			t.Fatalf("rewritten module measures %+v, was %+v (tables %+v)", again, sh, tables)
		}
	})
}
