package wasmrewrite

import (
	"context"
	"errors"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// growModule exports run(n) = memory.grow(n) on a memory of one page, at
// most two once capped.
func growModule(t *testing.T) []byte {
	t.Helper()
	m := cmod{types: [][]byte{typeII}, funcs: []uint32{0}, memory: true, exports: [][]byte{export("run", 0x00, 0)},
		bodies: []func([]byte) []byte{fixed(0x00, 0x20, 0x00, opMemoryGrow, 0x00, opEnd)}}
	wasm, _, err := CapMemory(m.build(), 2)
	if err != nil {
		t.Fatal(err)
	}
	return wasm
}

// TestFlagFailedGrow runs a module instrumented by FlagFailedGrow, alone
// and before or after InjectInterrupt: a grow within the cap leaves the
// flag at 0 and returns what it did before, a grow past it returns -1 and
// sets the flag, which stays set through later grows until the host
// resets it.
func TestFlagFailedGrow(t *testing.T) {
	interrupt := func(w []byte) ([]byte, error) { out, _, err := InjectInterrupt(w); return out, err }
	flag := func(w []byte) ([]byte, error) {
		out, n, err := FlagFailedGrow(w)
		if err == nil && n != 1 {
			t.Fatalf("%d grows instrumented, want 1", n)
		}
		return out, err
	}
	for _, tc := range []struct {
		name  string
		steps []func([]byte) ([]byte, error)
	}{
		{"alone", []func([]byte) ([]byte, error){flag}},
		{"after InjectInterrupt", []func([]byte) ([]byte, error){interrupt, flag}},
		{"before InjectInterrupt", []func([]byte) ([]byte, error){flag, interrupt}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wasm := growModule(t)
			for _, step := range tc.steps {
				var err error
				if wasm, err = step(wasm); err != nil {
					t.Fatal(err)
				}
			}
			ctx := context.Background()
			r := wazero.NewRuntime(ctx)
			defer r.Close(ctx)
			mod, err := r.Instantiate(ctx, wasm)
			if err != nil {
				t.Fatal(err)
			}
			g, ok := mod.ExportedGlobal(GrowFailedExport).(api.MutableGlobal)
			if !ok || g.Get() != 0 {
				t.Fatalf("exported flag %v", mod.ExportedGlobal(GrowFailedExport))
			}
			run := mod.ExportedFunction("run")
			for i, c := range []struct {
				n, want, flag uint64
				reset         bool
			}{
				{n: 0, want: 1, flag: 0},
				{n: 2, want: 0xffffffff, flag: 1}, // past the cap
				{n: 1, want: 1, flag: 1},          // sticky
				{n: 0, want: 2, flag: 0, reset: true},
				{n: 1, want: 0xffffffff, flag: 1},
			} {
				if c.reset {
					g.Set(0)
				}
				got, err := run.Call(ctx, c.n)
				if err != nil || uint32(got[0]) != uint32(c.want) || g.Get() != c.flag {
					t.Fatalf("step %d: grow(%d) = %v, %v, flag %d; want %#x, flag %d", i, c.n, got, err, g.Get(), c.want, c.flag)
				}
			}
		})
	}
}

// TestFlagFailedGrow_Refuses: a module that already exports the flag's
// name is refused; grows of another memory than memory 0 are left alone.
func TestFlagFailedGrow_Refuses(t *testing.T) {
	m := cmod{types: [][]byte{typeII}, funcs: []uint32{0}, memory: true, exports: [][]byte{export(GrowFailedExport, 0x02, 0)}}
	if _, _, err := FlagFailedGrow(m.build()); !errors.Is(err, ErrExportExists) {
		t.Fatalf("got %v, want ErrExportExists", err)
	}
	other := cmod{types: [][]byte{typeII}, funcs: []uint32{0}, memory: true,
		bodies: []func([]byte) []byte{fixed(0x00, 0x20, 0x00, opMemoryGrow, 0x01, opEnd)}}
	if _, n, err := FlagFailedGrow(other.build()); err != nil || n != 0 {
		t.Fatalf("memory.grow 1: %d instrumented, %v; want 0", n, err)
	}
}
