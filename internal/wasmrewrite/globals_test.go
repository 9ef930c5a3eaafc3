package wasmrewrite

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

func TestExportGlobals(t *testing.T) {
	run := export("run", 0x00, 0)
	body := fixed(0x00, opEnd)
	tests := []struct {
		name  string
		m     cmod
		added []uint32 // indices of the exports ExportGlobals must append
	}{
		{
			name:  "mutable and immutable defined globals",
			m:     cmod{types: [][]byte{typeVV}, funcs: []uint32{0}, globals: [][]byte{mutI32, constI32, mutI32}, exports: [][]byte{run}, bodies: []func([]byte) []byte{body}},
			added: []uint32{0, 2},
		},
		{
			name:  "imported globals shift the indices",
			m:     cmod{types: [][]byte{typeVV}, importGlobs: []byte{tI32, tI64}, funcs: []uint32{0}, globals: [][]byte{constI32, mutI32}, exports: [][]byte{run}, bodies: []func([]byte) []byte{body}},
			added: []uint32{3},
		},
		{
			name:  "no export section yet",
			m:     cmod{globals: [][]byte{mutI32}, memory: true, data: []seg{active(0, "abc")}},
			added: []uint32{0},
		},
		{
			name: "no mutable globals",
			m:    cmod{types: [][]byte{typeVV}, funcs: []uint32{0}, globals: [][]byte{constI32}, exports: [][]byte{run}, bodies: []func([]byte) []byte{body}},
		},
		{
			name: "no globals at all",
			m:    cmod{types: [][]byte{typeVV}, funcs: []uint32{0}, exports: [][]byte{run}, bodies: []func([]byte) []byte{body}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.m.build()
			out, got, err := ExportGlobals(in)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.added) {
				t.Fatalf("exported %v, want %v", got, tc.added)
			}
			want := tc.m
			for _, idx := range tc.added {
				want.exports = append(slices.Clone(want.exports), export(GlobalExportName(idx), 0x03, idx))
			}
			if exp := want.build(); !bytes.Equal(out, exp) {
				t.Fatalf("output differs from the expected module\n got %x\nwant %x", out, exp)
			}
			if bytes.Equal(in, out) != (len(tc.added) == 0 && len(tc.m.exports) > 0) {
				t.Fatal("input modified or output unexpectedly equal")
			}
		})
	}
}

func TestExportGlobals_Errors(t *testing.T) {
	good := cmod{globals: [][]byte{mutI32}, exports: [][]byte{export(GlobalExportName(0), 0x03, 0)}}.build()
	truncated := cmod{globals: [][]byte{mutI32}}.build()
	truncated = truncated[:len(truncated)-2]
	badMut := cmod{globals: [][]byte{{tI32, 0x02, opI32Const, 0x00, opEnd}}}.build()
	tests := []struct {
		name string
		wasm []byte
		want error
	}{
		{"already exported", good, ErrExportExists},
		{"truncated", truncated, ErrTruncated},
		{"bad mutability", badMut, ErrMalformed},
		{"not wasm", []byte("hello, world"), ErrNotWasm},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := ExportGlobals(tc.wasm); !errorsIs(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestExportGlobals_GoGuest: every mutable global of a real Go guest is
// reachable, writable, and the guest still runs.
func TestExportGlobals_GoGuest(t *testing.T) {
	_, merged, _ := guestModules(t)
	out, idx, err := ExportGlobals(merged)
	if err != nil {
		t.Fatal(err)
	}
	if len(idx) == 0 {
		t.Fatal("a Go guest has mutable globals (its stack pointer), none exported")
	}
	ctx := context.Background()
	rt, compiled := newGuestRuntime(t, out)
	mod, err := rt.InstantiateModule(ctx, compiled, wazero.NewModuleConfig().WithStartFunctions("_initialize"))
	if err != nil {
		t.Fatal(err)
	}
	saved := make([]uint64, len(idx))
	for i, g := range idx {
		mg, ok := mod.ExportedGlobal(GlobalExportName(g)).(api.MutableGlobal)
		if !ok {
			t.Fatalf("global %d: not exported as mutable", g)
		}
		saved[i] = mg.Get()
		mg.Set(saved[i]) // writable
	}
	res, err := mod.ExportedFunction("checksum").Call(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res[0] != nativeChecksum() {
		t.Fatalf("checksum = %#x, want %#x", res[0], nativeChecksum())
	}
}

func FuzzExportGlobals(f *testing.F) {
	f.Add(cmod{globals: [][]byte{mutI32, constI32, mutI32}, exports: [][]byte{export("run", 0x00, 0)}}.build())
	f.Add(cmod{importGlobs: []byte{tI32}, globals: [][]byte{mutI32}, memory: true}.build())
	f.Fuzz(func(t *testing.T, in []byte) {
		orig := bytes.Clone(in)
		out, idx, err := ExportGlobals(in)
		if !bytes.Equal(in, orig) {
			t.Fatal("input modified")
		}
		if err != nil {
			return
		}
		if _, err := Sections(out); err != nil {
			t.Fatalf("output does not parse: %v", err)
		}
		_, again, err := ExportGlobals(out)
		if len(idx) > 0 && !errorsIs(err, ErrExportExists) {
			t.Fatalf("exporting twice: err = %v, want ErrExportExists", err)
		}
		if len(idx) == 0 && (err != nil || len(again) != 0) {
			t.Fatalf("no globals, second pass: %v, %v", again, err)
		}
	})
}
