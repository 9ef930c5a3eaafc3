package wasmrewrite

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// interruptCase is a module InjectInterrupt must rewrite into exactly
// tc.m.expected().
type interruptCase struct {
	name   string
	m      cmod
	loops  int
	wazero bool     // valid for wazero: compile both, and run "run" if exported
	arg    uint64   // argument of "run"
	want   []uint64 // result of "run"
}

func interruptCases() []interruptCase {
	runExport := [][]byte{export("run", 0x00, 0)}
	return []interruptCase{
		{
			name: "loop", loops: 1, wazero: true, arg: 10, want: []uint64{55},
			m: cmod{types: [][]byte{typeII}, funcs: []uint32{0}, exports: runExport,
				bodies: []func([]byte) []byte{func(c []byte) []byte {
					return cat([]byte{0x01, 0x01, tI32}, // one i32 local: acc
						[]byte{opLoop, blockTypeEmpty}, c,
						[]byte{0x20, 0x01, 0x20, 0x00, 0x6a, 0x21, 0x01}, // acc += n
						[]byte{0x20, 0x00, 0x41, 0x01, 0x6b, 0x22, 0x00}, // n--
						[]byte{0x0d, 0x00, opEnd},                        // br_if 0; end
						[]byte{0x20, 0x01, opEnd})
				}}},
		},
		{
			name: "nested loops", loops: 2, wazero: true, arg: 4, want: []uint64{10},
			m: cmod{types: [][]byte{typeII}, funcs: []uint32{0}, exports: runExport, names: true,
				bodies: []func([]byte) []byte{func(c []byte) []byte {
					return cat([]byte{0x01, 0x02, tI32}, // locals 1 = acc, 2 = j
						[]byte{opLoop, blockTypeEmpty}, c,
						[]byte{0x20, 0x00, 0x21, 0x02}, // j = i
						[]byte{opBlock, blockTypeEmpty, opLoop, blockTypeEmpty}, c,
						[]byte{0x20, 0x01, 0x41, 0x01, 0x6a, 0x21, 0x01}, // acc++
						[]byte{0x20, 0x02, 0x41, 0x01, 0x6b, 0x22, 0x02}, // j--
						[]byte{0x0d, 0x00, opEnd, opEnd},
						[]byte{0x20, 0x00, 0x41, 0x01, 0x6b, 0x22, 0x00, 0x0d, 0x00, opEnd}, // i--
						[]byte{0x20, 0x01, opEnd})
				}}},
		},
		{
			// Type 64 is encoded as the s33 0xc0 0x00; a single 0x40 byte
			// would be the empty block type.
			name: "type index block types", loops: 3, wazero: true, arg: 5, want: []uint64{0},
			m: cmod{types: append(slices64(typeVV), typeII), funcs: []uint32{64}, exports: runExport,
				bodies: []func([]byte) []byte{func(c []byte) []byte {
					return cat(noLocals,
						[]byte{0x20, 0x00, opLoop, 0xc0, 0x00}, c, // loop (type 64)
						[]byte{0x41, 0x01, 0x6b, 0x22, 0x00, 0x20, 0x00, 0x0d, 0x00, opEnd},
						[]byte{opLoop, 0x00}, c, endOp, // loop (type 0): () -> ()
						[]byte{opLoop, 0x80, 0x00}, c, endOp, // loop (type 0), non-minimal s33
						endOp)
				}}},
		},
		{
			name: "recursion without loops", wazero: true, arg: 10, want: []uint64{55},
			m: cmod{types: [][]byte{typeII}, funcs: []uint32{0}, exports: runExport, bodies: []func([]byte) []byte{fibBody(0)}},
		},
		{
			// The loop's check comes first: no entry check.
			name: "block then loop first", loops: 1, wazero: true, arg: 3, want: []uint64{3},
			m: cmod{types: [][]byte{typeII}, funcs: []uint32{0}, exports: runExport,
				bodies: []func([]byte) []byte{func(c []byte) []byte {
					return cat(noLocals, []byte{opBlock, blockTypeEmpty, opLoop, blockTypeEmpty}, c,
						[]byte{opEnd, opEnd, 0x20, 0x00, opEnd})
				}}},
		},
		{
			// An instruction before the loop: the entry check stays.
			name: "loop after an instruction", loops: 1, wazero: true, arg: 3, want: []uint64{3},
			m: cmod{types: [][]byte{typeII}, funcs: []uint32{0}, exports: runExport,
				bodies: []func([]byte) []byte{func(c []byte) []byte {
					return cat(noLocals, []byte{0x01}, emptyLoop(c), []byte{0x20, 0x00, opEnd})
				}}},
		},
		{
			name: "no loops", wazero: true, arg: 7, want: []uint64{7},
			m: cmod{types: [][]byte{typeII}, funcs: []uint32{0}, exports: runExport,
				bodies: []func([]byte) []byte{fixed(0x00, 0x20, 0x00, opEnd)}},
		},
		{
			name: "br_table", loops: 2, wazero: true, arg: 1, want: []uint64{30},
			m: cmod{types: [][]byte{typeII}, funcs: []uint32{0}, exports: runExport,
				bodies: []func([]byte) []byte{func(c []byte) []byte {
					return cat(noLocals, emptyLoop(c),
						[]byte{opBlock, blockTypeEmpty, opBlock, blockTypeEmpty, opBlock, blockTypeEmpty, opBlock, blockTypeEmpty},
						[]byte{0x20, 0x00, 0x0e, 0x03, 0x03, 0x02, 0x03, 0x03}, // br_table [3 2 3] 3
						[]byte{opEnd, 0x41, 0x0a, 0x0f},
						[]byte{opEnd, 0x41, 0x14, 0x0f},
						[]byte{opEnd, 0x41, 0x1e, 0x0f},
						[]byte{opEnd}, emptyLoop(c), []byte{0x41, 0x28, opEnd})
				}}},
		},
		{
			name: "call_indirect and call", loops: 2, wazero: true, arg: 1, want: []uint64{6},
			m: cmod{types: [][]byte{typeII, typeVV, typeVV, typeVI}, funcs: []uint32{0, 3, 3, 3}, table: true, exports: runExport,
				bodies: []func([]byte) []byte{
					func(c []byte) []byte {
						return cat(noLocals, emptyLoop(c),
							[]byte{0x20, 0x00, 0x11, 0x03, 0x00}, // call_indirect (type 3) table 0
							[]byte{0x10, 0x03, 0x6a},             // call 3; i32.add
							emptyLoop(c), endOp)
					},
					fixed(0x00, 0x41, 0x03, opEnd), fixed(0x00, 0x41, 0x03, opEnd), fixed(0x00, 0x41, 0x03, opEnd),
				}},
		},
		{
			name: "memory ops", loops: 2, wazero: true, arg: 0x01020304, want: []uint64{0x01020304 + 9},
			m: cmod{types: [][]byte{typeII}, funcs: []uint32{0}, memory: true, exports: runExport,
				bodies: []func([]byte) []byte{func(c []byte) []byte {
					return cat(noLocals,
						[]byte{0x41, 0x00, 0x20, 0x00, 0x36, 0x02, 0x03}, // i32.store align=2 offset=3
						emptyLoop(c),
						[]byte{0x41, 0x00, 0x28, 0x02, 0x03},             // i32.load offset=3
						[]byte{0x41, 0x00, 0x31, 0x00, 0x03, 0xa7, 0x6a}, // i64.load8_u offset=3; wrap; add
						[]byte{0x41, 0x00, 0x28, 0x00, 0x83, 0x03, 0x6a}, // i32.load align=0 offset=387; add
						[]byte{0x3f, 0x00, 0x6a},                         // memory.size; add
						[]byte{0x41, 0x00, 0x40, 0x00, 0x6a},             // memory.grow 0; add
						[]byte{0x41, 0x03, 0x42, 0x03, 0x3c, 0x00, 0x03}, // i64.store8 offset=3
						[]byte{0x41, 0x00, 0x2d, 0x00, 0x06, 0x6a},       // i32.load8_u offset=6; add
						emptyLoop(c), endOp)
				}}},
		},
		{
			name: "0xfc prefix", loops: 2, wazero: true, arg: 2, want: []uint64{1 + 2 + 2 + 1 + 0x00030301},
			m: cmod{types: [][]byte{typeII}, funcs: []uint32{0}, memory: true, table: true, dataCount: true, exports: runExport,
				data: []seg{passive("a"), passive("b"), passive("c"), passive("\x01")},
				bodies: []func([]byte) []byte{func(c []byte) []byte {
					return cat(noLocals,
						f32Bytes(0x00, 0x00, 0xc0, 0x3f), []byte{0xfc, 0x00}, // 1.5: i32.trunc_sat_f32_s
						f64Bytes(0, 0, 0, 0, 0, 0, 0x00, 0x40), []byte{0xfc, 0x03, 0x6a}, // 2.0: i32.trunc_sat_f64_u; add
						[]byte{0x20, 0x00, 0x6a}, // add arg
						emptyLoop(c),
						[]byte{0x41, 0x00, 0x41, 0x03, 0x41, 0x04, 0xfc, 0x0b, 0x00},       // memory.fill 0, 3, 4
						[]byte{0x41, 0x08, 0x41, 0x00, 0x41, 0x03, 0xfc, 0x0a, 0x00, 0x00}, // memory.copy 8, 0, 3
						[]byte{0x41, 0x08, 0x41, 0x00, 0x41, 0x01, 0xfc, 0x08, 0x03, 0x00}, // memory.init 3: 8, 0, 1
						[]byte{0xfc, 0x09, 0x03},                                           // data.drop 3
						[]byte{0xfc, 0x10, 0x00, 0x6a},                                     // table.size; add
						[]byte{0xd0, 0x70, 0x41, 0x00, 0xfc, 0x0f, 0x00, 0x1a},             // table.grow null, 0; drop
						[]byte{0x41, 0x00, 0xd0, 0x70, 0x41, 0x00, 0xfc, 0x11, 0x00},       // table.fill 0, null, 0
						[]byte{0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0e, 0x00, 0x00}, // table.copy
						[]byte{0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0c, 0x00, 0x00}, // table.init elem 0
						[]byte{0xfc, 0x0d, 0x00},                                           // elem.drop 0
						[]byte{0x41, 0x08, 0x28, 0x02, 0x00, 0x6a},                         // i32.load 8; add
						emptyLoop(c), endOp)
				}}},
		},
		{
			name: "float consts containing 0x03", loops: 1, wazero: true, arg: 5, want: []uint64{5},
			m: cmod{types: [][]byte{typeII}, funcs: []uint32{0}, exports: runExport,
				bodies: []func([]byte) []byte{func(c []byte) []byte {
					return cat(noLocals,
						f64Bytes(0x03, 0x40, 0x0b, 0x03, 0x03, 0x40, 0x03, 0x0b), []byte{0x1a},
						f32Bytes(0x03, 0x40, 0x03, 0x0b), []byte{0x1a},
						f64Bytes(0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03), []byte{0xaa}, // i32.trunc_f64_s: 0
						[]byte{0x20, 0x00, 0x6a},
						emptyLoop(c), endOp)
				}}},
		},
		{
			name: "immediates containing 0x03", loops: 1, wazero: true, arg: 9, want: []uint64{9},
			m: cmod{types: [][]byte{typeII, typeVV, typeVV, typeVI}, funcs: []uint32{0, 3, 3, 3}, table: true, memory: true,
				globals: [][]byte{mutI32, mutI32, mutI32, mutI32}, exports: runExport,
				bodies: []func([]byte) []byte{
					func(c []byte) []byte {
						return cat([]byte{0x01, 0x03, tI32},
							[]byte{0x20, 0x03, 0x21, 0x03}, // local.get 3; local.set 3
							[]byte{0x23, 0x03, 0x24, 0x03}, // global.get 3; global.set 3
							[]byte{opBlock, blockTypeEmpty, opBlock, blockTypeEmpty, opBlock, blockTypeEmpty, opBlock, blockTypeEmpty,
								0x0c, 0x03, opEnd, opEnd, opEnd, opEnd}, // br 3
							[]byte{0x42, 0x03, 0x1a},                                           // i64.const 3
							[]byte{0x42, 0x83, 0x03, 0x1a},                                     // i64.const 387
							[]byte{0x41, 0x83, 0x03, 0x1a},                                     // i32.const 387
							[]byte{0xd2, 0x03, 0xd1, 0x1a},                                     // ref.func 3; ref.is_null
							[]byte{0xd0, 0x70, 0x1a},                                           // ref.null func
							[]byte{0x41, 0x03, 0x41, 0x03, 0x41, 0x01, 0x1c, 0x01, tI32, 0x1a}, // select (result i32)
							[]byte{0x10, 0x03, 0x1a},                                           // call 3
							v128(0x03), v128(0x03),
							append([]byte{0xfd, 0x0d}, bytesRepeat(0x03, 16)...), // i8x16.shuffle 3...
							[]byte{0xfd, 0x15, 0x03, 0x1a},                       // i8x16.extract_lane_s 3
							v128(0x03), []byte{0xfd, 0x80, 0x01},                 // i16x8.abs (two-byte sub-opcode)
							[]byte{0xfd, 0x18, 0x03, 0x1a},                                       // i16x8.extract_lane_s 3
							[]byte{0x41, 0x00, 0xfd, 0x00, 0x04, 0x03},                           // v128.load align=4 offset=3
							[]byte{0xfd, 0x16, 0x03, 0x1a},                                       // i8x16.extract_lane_u 3
							[]byte{0x41, 0x00}, v128(0x03), []byte{0xfd, 0x54, 0x00, 0x03, 0x03}, // v128.load8_lane offset=3 lane 3
							[]byte{0xfd, 0x1b, 0x03, 0x1a},                                     // i32x4.extract_lane 3
							[]byte{0x41, 0x00, 0xfd, 0x5c, 0x02, 0x03, 0xfd, 0x1b, 0x03, 0x1a}, // v128.load32_zero offset=3; i32x4.extract_lane 3
							[]byte{0x41, 0x00, 0xfd, 0x5d, 0x03, 0x03, 0xfd, 0x1d, 0x01, 0x1a}, // v128.load64_zero offset=3; i64x2.extract_lane 1
							emptyLoop(c),
							[]byte{0x20, 0x00}, endOp)
					},
					fixed(0x00, 0x41, 0x03, opEnd), fixed(0x00, 0x41, 0x03, opEnd), fixed(0x00, 0x41, 0x03, opEnd),
				}},
		},
		{
			name: "loops in several functions, value and ref block types", loops: 4, wazero: true,
			m: cmod{types: [][]byte{typeVI, typeVV}, funcs: []uint32{0, 1, 1, 0}, names: true,
				bodies: []func([]byte) []byte{
					func(c []byte) []byte { return cat(noLocals, []byte{opLoop, tI32}, c, []byte{0x41, 0x03, opEnd, opEnd}) },
					fixed(0x00, opEnd),
					func(c []byte) []byte {
						return cat(noLocals, []byte{0x00}, emptyLoop(c), endOp) // loop in unreachable code
					},
					func(c []byte) []byte {
						return cat(noLocals,
							[]byte{opLoop, 0x63, 0x70}, c, []byte{0xd0, 0x70, opEnd, 0x1a}, // loop (result (ref null func))
							[]byte{0x41, 0x01, opIf, tI32, 0x41, 0x03, 0x05}, // i32.const 1; if (result i32) 3 else
							[]byte{opLoop, tI32}, c, []byte{0x41, 0x04, opEnd, opEnd}, endOp)
					},
				}},
		},
		{
			name: "imported and defined globals", loops: 1, wazero: true,
			m: cmod{types: [][]byte{typeVV}, importFuncs: []uint32{0}, importGlobs: []byte{tI32, tI64},
				funcs: []uint32{0}, globals: [][]byte{constI32}, exports: [][]byte{export("f", 0x00, 1), export("c", 0x03, 2)},
				bodies: []func([]byte) []byte{func(c []byte) []byte { return cat(noLocals, emptyLoop(c), endOp) }}},
		},
		{
			name: "no code", wazero: true,
			m: cmod{memory: true, data: []seg{active(0, "abc")}},
		},
		{
			// Decoded but not run: tail calls, typed function references
			// and multi-memory are not all enabled in wazero by default.
			name: "extensions", loops: 1,
			m: cmod{types: [][]byte{typeVV, typeVV, typeVV, typeVV}, funcs: []uint32{0}, table: true, memory: true,
				bodies: []func([]byte) []byte{func(c []byte) []byte {
					return cat(noLocals,
						[]byte{0x41, 0x00, 0x28, 0x42, 0x03, 0x03, 0x1a}, // i32.load memory 3 offset 3
						[]byte{0x12, 0x03},                         // return_call 3
						[]byte{0x13, 0x03, 0x03},                   // return_call_indirect type 3 table 3
						[]byte{0x41, 0x00, 0x11, 0x03, 0x03, 0x1a}, // call_indirect type 3 table 3
						[]byte{0x14, 0x03, 0x15, 0x03},             // call_ref 3, return_call_ref 3
						[]byte{0xd4, 0xd5, 0x03, 0xd6, 0x03},       // ref.as_non_null, br_on_null 3, br_on_non_null 3
						[]byte{0xd0, 0x03},                         // ref.null 3 (concrete)
						[]byte{opBlock, 0x64, 0x03, opEnd},         // block (result (ref 3))
						[]byte{0x1c, 0x02, 0x63, 0x03, tI32},       // select (ref null 3) i32
						[]byte{0xc0, 0xc1, 0xc2, 0xc3, 0xc4},       // sign extension
						emptyLoop(c), endOp)
				}}},
		},
	}
}

func slices64(t []byte) [][]byte {
	out := make([][]byte, 64)
	for i := range out {
		out[i] = t
	}
	return out
}

func TestInjectInterrupt(t *testing.T) {
	for _, tc := range interruptCases() {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.m.build()
			orig := bytes.Clone(in)
			out, info, err := InjectInterrupt(in)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(in, orig) {
				t.Fatal("input modified")
			}
			if want := tc.m.expected(); !bytes.Equal(out, want) {
				t.Fatalf("output\n% x\nwant\n% x", out, want)
			}
			wantIdx := uint32(len(tc.m.importGlobs) + len(tc.m.globals))
			// Every body gets a check: at its entry, or in the loop it opens first.
			entries := 0
			for _, b := range tc.m.bodies {
				if body := b(nil); len(withEntryCheck(body, []byte{0x01})) > len(body) {
					entries++
				}
			}
			if want := (InterruptInfo{wantIdx, tc.loops, entries, len(tc.m.bodies), tc.m.yield}); info != want {
				t.Fatalf("info %+v, want %+v", info, want)
			}
			checkInterruptOutput(t, in, out, info)
			if tc.wazero {
				runInterruptCase(t, tc, in, out)
			}
		})
	}
}

// checkInterruptOutput checks that every section other than global, export
// and code is unchanged and in order, that the output's code decodes with
// a check right after each loop's block type and nowhere else, and that
// injecting again is refused only because of the export.
func checkInterruptOutput(t testing.TB, in, out []byte, info InterruptInfo) {
	t.Helper()
	si, err := Sections(in)
	if err != nil {
		t.Fatal(err)
	}
	so, err := Sections(out)
	if err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	var a, b [][]byte
	for _, s := range si {
		if s.ID != idGlobal && s.ID != idExport && s.ID != idCode {
			a = append(a, in[s.Start:s.End()])
		}
	}
	var code []byte
	var codeOff int
	for _, s := range so {
		switch s.ID {
		case idGlobal, idExport:
		case idCode:
			code, codeOff = out[s.Offset:s.End()], s.Offset
		default:
			b = append(b, out[s.Start:s.End()])
		}
	}
	if len(a) != len(b) {
		t.Fatalf("untouched sections: %d -> %d", len(a), len(b))
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Fatalf("untouched section %d changed", i)
		}
	}
	if code != nil {
		m := &instrumenter{}
		if err := m.scanCode(code, codeOff); err != nil {
			t.Fatalf("output code does not decode: %v", err)
		}
		if len(m.code.inserts) != info.Loops+info.Entries || m.code.entries != info.Entries {
			t.Fatalf("output has %d checks at %d entries, info says %+v", len(m.code.inserts), m.code.entries, info)
		}
		chk := checkSeq(info.GlobalIndex)
		for _, at := range m.code.inserts {
			if !bytes.HasPrefix(code[at:], chk) {
				t.Fatalf("loop at payload offset %d: no check", at)
			}
		}
	} else if info.Loops != 0 {
		t.Fatalf("no code section but %d loops", info.Loops)
	}
	if again, _, err := InjectInterrupt(out); again != nil || !errorsIs(err, ErrExportExists) {
		t.Fatalf("second injection: %v, want ErrExportExists", err)
	}
}

// runInterruptCase compiles both modules in wazero and, if the module
// exports "run", compares results and checks the interrupt flag.
func runInterruptCase(t *testing.T, tc interruptCase, in, out []byte) {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	if _, err := r.CompileModule(ctx, in); err != nil {
		t.Fatalf("input does not compile: %v", err)
	}
	cm, err := r.CompileModule(ctx, out)
	if err != nil {
		t.Fatalf("output does not compile: %v", err)
	}
	if len(tc.m.importFuncs)+len(tc.m.importGlobs) > 0 {
		return
	}
	orig, err := r.Instantiate(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	mod, err := r.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName("out"))
	if err != nil {
		t.Fatal(err)
	}
	g, ok := mod.ExportedGlobal(InterruptExport).(api.MutableGlobal)
	if !ok || g.Type() != api.ValueTypeI32 || g.Get() != 0 {
		t.Fatalf("exported global %v", mod.ExportedGlobal(InterruptExport))
	}
	run := mod.ExportedFunction("run")
	if run == nil {
		return
	}
	want, err := orig.ExportedFunction("run").Call(ctx, tc.arg)
	if err != nil {
		t.Fatal(err)
	}
	got, err := run.Call(ctx, tc.arg)
	if err != nil || !equalU64(got, want) || !equalU64(want, tc.want) {
		t.Fatalf("run(%d): %v, %v; original %v; want %v", tc.arg, got, err, want, tc.want)
	}
	// Every function has a check at its entry or in its first loop, so
	// "run" traps once the flag is set.
	traps := true
	g.Set(1)
	_, err = run.Call(ctx, tc.arg)
	if traps != (err != nil) || (err != nil && !strings.Contains(err.Error(), "unreachable")) {
		t.Fatalf("with the flag set: %v, want trap %v", err, traps)
	}
	if traps {
		// A fresh instance runs normally again.
		mod2, err := r.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName("out2"))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := mod2.ExportedFunction("run").Call(ctx, tc.arg); err != nil || !equalU64(got, want) {
			t.Fatalf("fresh instance: %v, %v", got, err)
		}
	}
}

func equalU64(a, b []uint64) bool { return bytes.Equal(u64Bytes(a), u64Bytes(b)) }

func u64Bytes(v []uint64) []byte {
	var b []byte
	for _, x := range v {
		b = appendULEB(b, x)
	}
	return b
}

func TestInjectInterruptErrors(t *testing.T) {
	hdr := "\x00asm\x01\x00\x00\x00"
	// code builds a module with one () -> () function and the given raw
	// code section payload.
	code := func(payload ...byte) string {
		return hdr + string(section(1, vec(typeVV))) + string(section(3, vec([]byte{0}))) + string(section(10, payload))
	}
	// body builds a module with one () -> () function whose body is b.
	body := func(b ...byte) string { return code(vec(append(appendULEB(nil, uint64(len(b))), b...))...) }
	tests := []struct {
		name string
		in   string
		err  error
		msg  string // exact message when set
	}{
		{name: "not wasm", in: "\x00asn", err: ErrNotWasm},
		{name: "reserved export", err: ErrExportExists,
			in:  string(cmod{memory: true, exports: [][]byte{export("memory", 2, 0), export(InterruptExport, 2, 0)}}.build()),
			msg: `wasmrewrite: export section: export 1: export name already in use: "__walker_interrupt"`},
		{name: "reserved export (function)", err: ErrExportExists,
			in: string(cmod{types: [][]byte{typeVV}, funcs: []uint32{0}, exports: [][]byte{export(InterruptExport, 0, 0)},
				bodies: []func([]byte) []byte{fixed(0x00, opEnd)}}.build())},
		{name: "sections out of order", in: hdr + string(section(7, []byte{0})) + string(section(6, []byte{0})), err: ErrMalformed,
			msg: "wasmrewrite: section 1 at offset 0xb: malformed: section id 6 out of order"},
		{name: "data count after code", in: code(0) + string(section(12, []byte{0})), err: ErrMalformed},
		{name: "import kind", in: hdr + string(section(2, vec(append(append(name("a"), name("b")...), 0x05)))), err: ErrMalformed},
		{name: "import truncated", in: hdr + string(section(2, vec(append(append(name("a"), name("b")...), 0x03, tI32)))), err: ErrTruncated},
		{name: "import table limits", in: hdr + string(section(2, vec(append(append(name("a"), name("b")...), 0x01, 0x70, 0x10, 0)))), err: ErrMalformed},
		{name: "import trailing", in: hdr + string(section(2, []byte{0, 0})), err: ErrMalformed},
		{name: "global mutability", in: hdr + string(section(6, vec([]byte{tI32, 0x02, opI32Const, 0, opEnd}))), err: ErrMalformed},
		{name: "global initializer", in: hdr + string(section(6, vec([]byte{tI32, 0x00, 0x10, 0, opEnd}))), err: ErrUnsupportedExpr,
			msg: "wasmrewrite: global section: global 0: initializer: unsupported opcode in constant expression: 0x10"},
		{name: "global truncated", in: hdr + string(section(6, []byte{2, tI32, 0, opI32Const, 0, opEnd})), err: ErrTruncated},
		{name: "export kind", in: hdr + string(section(7, vec(export("x", 5, 0)))), err: ErrMalformed},
		{name: "export trailing", in: hdr + string(section(7, append(vec(export("x", 0, 0)), 0))), err: ErrMalformed},
		{name: "export name past end", in: hdr + string(section(7, []byte{1, 9, 'a'})), err: ErrTruncated},

		{name: "code count past bodies", in: code(2, 2, 0, opEnd), err: ErrTruncated,
			msg: "wasmrewrite: code section: function 1: body size: truncated"},
		{name: "body size past section", in: code(1, 5, 0, opEnd), err: ErrTruncated},
		{name: "body size overflow", in: code(1, 0xff, 0xff, 0xff, 0xff, 0x7f), err: ErrLEB128},
		{name: "code trailing bytes", in: code(1, 2, 0, opEnd, 0), err: ErrMalformed},
		{name: "empty body", in: body(), err: ErrTruncated,
			msg: "wasmrewrite: code section: function 0: locals: truncated"},
		{name: "locals truncated", in: body(0x02, 0x01, tI32), err: ErrTruncated},
		{name: "local type truncated", in: body(0x01, 0x01, 0x63), err: ErrTruncated},
		{name: "missing end", in: body(0x00, 0x01), err: ErrTruncated,
			msg: "wasmrewrite: code section: function 0: truncated: body ends before its end opcode (1 open blocks)"},
		{name: "loop not closed", in: body(0x00, opLoop, blockTypeEmpty, opEnd), err: ErrTruncated},
		{name: "bytes after end", in: body(0x00, opEnd, 0x01), err: ErrMalformed},
		{name: "i32.const truncated", in: body(0x00, 0x41), err: ErrTruncated,
			msg: "wasmrewrite: code section: function 0: offset 0x17: opcode 0x41: truncated"},
		{name: "i32.const overflow", in: body(0x00, 0x41, 0xff, 0xff, 0xff, 0xff, 0x0f, opEnd), err: ErrLEB128},
		{name: "f64.const truncated", in: body(0x00, 0x44, 0x03, 0x40, 0x0b), err: ErrTruncated},
		{name: "f32.const truncated", in: body(0x00, 0x43, 0x03), err: ErrTruncated},
		{name: "block type truncated", in: body(0x00, opLoop), err: ErrTruncated},
		{name: "block type overflow", in: body(0x00, opLoop, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), err: ErrLEB128},
		{name: "ref block type truncated", in: body(0x00, opLoop, 0x63), err: ErrTruncated},
		{name: "br_table truncated", in: body(0x00, 0x0e, 0x05, 0x00, 0x00), err: ErrTruncated},
		{name: "br_table huge count", in: body(0x00, 0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x00, opEnd), err: ErrTruncated},
		{name: "call_indirect truncated", in: body(0x00, 0x11, 0x00), err: ErrTruncated},
		{name: "select truncated", in: body(0x00, 0x1c, 0x02, tI32), err: ErrTruncated},
		{name: "memarg truncated", in: body(0x00, 0x28, 0x02), err: ErrTruncated},
		{name: "memarg flags", in: body(0x00, 0x28, 0x80, 0x01, 0x00, opEnd), err: ErrMalformed},
		{name: "multi-memory memarg truncated", in: body(0x00, 0x28, 0x42, 0x00), err: ErrTruncated},
		{name: "0xfc truncated", in: body(0x00, 0xfc, 0x0a, 0x00), err: ErrTruncated},
		{name: "v128.const truncated", in: body(0x00, 0xfd, 0x0c, 0x03, 0x03), err: ErrTruncated},
		{name: "lane truncated", in: body(0x00, 0xfd, 0x15), err: ErrTruncated},

		{name: "unknown opcode", in: body(0x00, 0xff, opEnd), err: ErrUnsupportedInstr,
			msg: "wasmrewrite: code section: function 0: offset 0x17: opcode 0xff: unsupported instruction: unknown opcode"},
		{name: "unknown opcode 0x27", in: body(0x00, 0x27, opEnd), err: ErrUnsupportedInstr},
		{name: "unknown opcode 0xc5", in: body(0x00, 0xc5, opEnd), err: ErrUnsupportedInstr},
		{name: "threads", in: body(0x00, 0xfe, 0x00, 0x00, 0x00, opEnd), err: ErrUnsupportedInstr,
			msg: "wasmrewrite: code section: function 0: offset 0x17: opcode 0xfe: unsupported instruction: threads (atomic) instructions"},
		{name: "exception handling", in: body(0x00, 0x06, 0x40, opEnd, opEnd), err: ErrUnsupportedInstr},
		{name: "try_table", in: body(0x00, 0x1f, 0x40, 0x00, opEnd, opEnd), err: ErrUnsupportedInstr},
		{name: "unknown 0xfc", in: body(0x00, 0xfc, 0x12, opEnd), err: ErrUnsupportedInstr},
		{name: "unassigned SIMD", in: body(0x00, 0xfd, 0x9a, 0x01, opEnd), err: ErrUnsupportedInstr},
		{name: "non-minimal SIMD", in: body(0x00, 0xfd, 0x8c, 0x00, opEnd), err: ErrUnsupportedInstr,
			msg: "wasmrewrite: code section: function 0: offset 0x17: opcode 0xfd: unsupported instruction: SIMD opcode 0xc not minimally encoded"},
		{name: "relaxed SIMD", in: body(0x00, 0xfd, 0x80, 0x02, opEnd), err: ErrUnsupportedInstr},
		{name: "function index counts imports", err: ErrUnsupportedInstr,
			in: string(cmod{types: [][]byte{typeVV}, importFuncs: []uint32{0, 0}, funcs: []uint32{0, 0},
				bodies: []func([]byte) []byte{fixed(0x00, opEnd), fixed(0x00, 0xff, opEnd)}}.build())},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := InjectInterrupt([]byte(tc.in))
			if out != nil || !errorsIs(err, tc.err) {
				t.Fatalf("got %v (output %d bytes), want %v", err, len(out), tc.err)
			}
			if !strings.HasPrefix(err.Error(), "wasmrewrite: ") || (tc.msg != "" && err.Error() != tc.msg) {
				t.Fatalf("message %q, want %q", err, tc.msg)
			}
			if tc.name == "function index counts imports" && !strings.Contains(err.Error(), "function 3:") {
				t.Fatalf("message %q, want function 3", err)
			}
		})
	}
}

// TestInterruptComposesWithMerge: InjectInterrupt and MergeDataSegments
// edit disjoint sections, so either order gives the same bytes.
func TestInterruptComposesWithMerge(t *testing.T) {
	for _, m := range []cmod{
		{memory: true, data: []seg{active(0, "ab"), active(2, "cd"), active(10, "ef")}},
		{types: [][]byte{typeII}, funcs: []uint32{0}, memory: true, dataCount: true, exports: [][]byte{export("run", 0, 0)},
			data: []seg{active(0, "ab"), active(2, "cd"), passive("x"), active(100, "ef")},
			bodies: []func([]byte) []byte{func(c []byte) []byte {
				// memory.init 2 (so merging keeps indices) inside a loop.
				return cat(noLocals, emptyLoop(c), []byte{0x41, 0x00, 0x41, 0x00, 0x41, 0x01, 0xfc, 0x08, 0x02, 0x00, 0x20, 0x00, opEnd})
			}}},
	} {
		in := m.build()
		checkComposition(t, in)
	}
}

func checkComposition(t testing.TB, in []byte) []byte {
	t.Helper()
	a, infoA, err := InjectInterrupt(in)
	if err != nil {
		t.Fatal(err)
	}
	a, stA, err := MergeDataSegments(a, DefaultMaxGap)
	if err != nil {
		t.Fatal(err)
	}
	b, stB, err := MergeDataSegments(in, DefaultMaxGap)
	if err != nil {
		t.Fatal(err)
	}
	b, infoB, err := InjectInterrupt(b)
	if err != nil {
		t.Fatal(err)
	}
	if infoA != infoB || stA.SegmentsAfter != stB.SegmentsAfter || !bytes.Equal(a, b) {
		t.Fatalf("orders differ: %+v %+v, %+v %+v", infoA, infoB, stA, stB)
	}
	if stA.SegmentsAfter > 0 && stA.SegmentsAfter >= stA.SegmentsBefore && stA.Placeholders == 0 {
		t.Fatalf("nothing merged: %+v", stA)
	}
	return a
}

func FuzzInjectInterrupt(f *testing.F) {
	for _, tc := range interruptCases() {
		f.Add(tc.m.build())
	}
	f.Add(spec{segs: []seg{active(0, "ab")}, dataCount: true, initSeg: 1, initLen: 1, custom: true}.build())
	f.Fuzz(func(t *testing.T, in []byte) {
		orig := bytes.Clone(in)
		out, info, err := InjectInterrupt(in)
		if !bytes.Equal(in, orig) {
			t.Fatal("input modified")
		}
		if err != nil {
			if out != nil {
				t.Fatal("output with error")
			}
			return
		}
		if len(out) > len(in)+50*(info.Loops+info.Entries)+5*info.Functions+64 {
			t.Fatalf("size %d -> %d with %+v", len(in), len(out), info)
		}
		if info.Functions > info.Loops+info.Entries {
			t.Fatalf("info %+v", info)
		}
		checkInterruptOutput(t, in, out, info)
	})
}

// TestOpcodeSpace decodes every opcode (single-byte, 0xfc 0-20, 0xfd
// 0-255) with its immediates filled with 0x03 bytes, followed by an empty
// loop: a decoder that reads too few bytes sees a loop opcode too early,
// one that reads too many swallows the marker loop. Opcodes not listed
// must be rejected.
func TestOpcodeSpace(t *testing.T) {
	// Immediate layouts: b block type, u u32/s32/s64 (one byte), m memarg,
	// 4/8/v 4/8/16 bytes, l lane byte, t br_table, s select types.
	layout := func(l string) []byte {
		var b []byte
		for _, c := range l {
			switch c {
			case 'b', 'u', 'l':
				b = append(b, 0x03)
			case 'm':
				b = append(b, 0x03, 0x03)
			case '4', '8', 'v':
				b = append(b, bytesRepeat(0x03, map[rune]int{'4': 4, '8': 8, 'v': 16}[c])...)
			case 't':
				b = append(b, 0x03, 0x03, 0x03, 0x03, 0x03)
			case 's':
				b = append(b, 0x03, tI32, tI64, tF32)
			}
		}
		return b
	}
	top := map[int]string{0x02: "b", 0x03: "b", 0x04: "b", 0x0c: "u", 0x0d: "u", 0x0e: "t", 0x10: "u", 0x11: "uu",
		0x12: "u", 0x13: "uu", 0x14: "u", 0x15: "u", 0x1c: "s", 0x3f: "u", 0x40: "u", 0x41: "u", 0x42: "u", 0x43: "4",
		0x44: "8", 0xd0: "u", 0xd2: "u", 0xd5: "u", 0xd6: "u"}
	for _, op := range []int{0x00, 0x01, 0x05, 0x0f, 0x1a, 0x1b, 0xd1, 0xd4} {
		top[op] = ""
	}
	for op := 0x20; op <= 0x26; op++ {
		top[op] = "u"
	}
	for op := 0x28; op <= 0x3e; op++ {
		top[op] = "m"
	}
	for op := 0x45; op <= 0xc4; op++ {
		top[op] = ""
	}
	misc := map[int]string{8: "uu", 9: "u", 10: "uu", 11: "u", 12: "uu", 13: "u", 14: "uu", 15: "u", 16: "u", 17: "u"}
	for op := 0; op <= 7; op++ {
		misc[op] = ""
	}
	simd := map[int]string{0x0c: "v", 0x0d: "v", 0x5c: "m", 0x5d: "m"}
	unassigned := []byte{0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb, 0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2, 0xee}
	for op := 0; op <= 0xff; op++ {
		if _, preset := simd[op]; preset || bytes.IndexByte(unassigned, byte(op)) >= 0 {
			continue
		}
		switch {
		case op <= 0x0b:
			simd[op] = "m"
		case op >= 0x15 && op <= 0x22:
			simd[op] = "l"
		case op >= 0x54 && op <= 0x5b:
			simd[op] = "ml"
		default:
			simd[op] = ""
		}
	}
	try := func(t *testing.T, instr []byte, valid, opens bool) {
		t.Helper()
		body := cat(noLocals, instr, emptyLoop(nil))
		if opens {
			body = append(body, opEnd)
		}
		body = append(body, opEnd)
		s := codeScanner{}
		r := reader{buf: body}
		err := s.scanBody(&r)
		if !valid {
			if !errorsIs(err, ErrUnsupportedInstr) {
				t.Errorf("% x: got %v, want ErrUnsupportedInstr", instr, err)
			}
			return
		}
		want := []uint32{uint32(1 + len(instr) + 2)}
		if instr[0] == opLoop {
			want = []uint32{uint32(1 + len(instr)), want[0]}
		}
		if instr[0] != opLoop && instr[0] != opBlock { // the entry check stands
			want = append([]uint32{1}, want...)
		}
		if err != nil || !slices.Equal(s.inserts, want) {
			t.Errorf("% x: inserts %v, %v; want %v", instr, s.inserts, err, want)
		}
	}
	for op := 0; op <= 0xff; op++ {
		if op == opEnd || op == 0xfc || op == 0xfd {
			continue
		}
		l, ok := top[op]
		try(t, append([]byte{byte(op)}, layout(l)...), ok, op >= opBlock && op <= opIf)
	}
	for op := 0; op <= 20; op++ {
		l, ok := misc[op]
		try(t, append([]byte{0xfc, byte(op)}, layout(l)...), ok, false)
	}
	for op := 0; op <= 0xff; op++ {
		l, ok := simd[op]
		try(t, slices.Concat([]byte{0xfd}, appendULEB(nil, uint64(op)), layout(l)), ok, false)
	}
}

// TestInjectInterruptHostile: deep nesting and many tiny functions stay
// linear in time and output size.
func TestInjectInterruptHostile(t *testing.T) {
	const n = 300_000
	nested := func(c []byte) []byte {
		b := slices.Repeat(cat([]byte{opLoop, blockTypeEmpty}, c), n)
		return cat(noLocals, b, bytesRepeat(opEnd, n+1))
	}
	many := make([]func([]byte) []byte, n)
	for i := range many {
		many[i] = func(c []byte) []byte { return cat(noLocals, emptyLoop(c), endOp) }
	}
	for name, m := range map[string]cmod{
		"nested loops":   {types: [][]byte{typeVV}, funcs: []uint32{0}, bodies: []func([]byte) []byte{nested}},
		"many functions": {types: [][]byte{typeVV}, funcs: make([]uint32, n), bodies: many},
	} {
		t.Run(name, func(t *testing.T) {
			in := m.build()
			out, info, err := InjectInterrupt(in)
			if err != nil {
				t.Fatal(err)
			}
			if info.Loops != n || len(out) > len(in)+11*n+64 || !bytes.Equal(out, m.expected()) {
				t.Fatalf("info %+v, %d -> %d bytes", info, len(in), len(out))
			}
		})
	}
}
