package sandbox_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/testenv/wasmbomb"
)

// programModule is a hand module whose _initialize copies its program over
// its manifest (a placeholder of the program's length at the manifest's
// address): it loads only if the program reached guest memory during
// _initialize.
func programModule(program string) []byte {
	return wasmbomb.Spec{
		Manifest:    strings.Repeat(" ", len(program)),
		Programs:    [][]byte{[]byte(program)},
		ProgramRead: abi.ExportInitialize, ReadAt: 1024, ReadCap: uint32(len(program)),
	}.Build()
}

func walkerNames(m *sandbox.Module) []string {
	var names []string
	for _, w := range m.Manifest.Walkers {
		names = append(names, w.Name)
	}
	return names
}

// TestProgram_SharedCode: two modules that differ only in their program
// each get their own program (here, their manifest) during _initialize,
// and share one compiled code, which lives until the last of them closes.
func TestProgram_SharedCode(t *testing.T) {
	eng := handEngine(t)
	ctx := context.Background()
	a, err := eng.Load(ctx, "a", programModule(`{"abi":1,"walkers":[{"name":"aa"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := eng.Load(ctx, "b", programModule(`{"abi":1,"walkers":[{"name":"bb"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := walkerNames(a); !slices.Equal(got, []string{"aa"}) {
		t.Errorf("a's walkers: %q", got)
	}
	if got := walkerNames(b); !slices.Equal(got, []string{"bb"}) {
		t.Errorf("b's walkers: %q", got)
	}
	if n := eng.CompiledModules(); n != 1 {
		t.Errorf("%d compiled modules, want 1 for two modules of the same code", n)
	}
	a.Close(ctx)
	a.Close(ctx) // a second Close does not release the code again
	if n := eng.CompiledModules(); n != 1 {
		t.Errorf("after closing a: %d compiled modules, want 1", n)
	}
	if err := b.Probe(ctx); err != nil {
		t.Fatalf("b after a closed: %v", err)
	}
	b.Close(ctx)
	if n := eng.CompiledModules(); n != 0 {
		t.Errorf("after closing both: %d compiled modules, want 0", n)
	}
}

// TestProgram_Hostile: malformed programs and program calls out of place
// refuse the module, or end the request, with one sentence.
func TestProgram_Hostile(t *testing.T) {
	eng := handEngine(t)
	ctx := context.Background()
	small := benchLimits
	small.ModuleBytes = 64 << 10
	// A program section whose size says 4 GiB, at the end of a valid module.
	lying := append(wasmbomb.Spec{}.Build(), 0, 0xff, 0xff, 0xff, 0xff, 0x0f, 14)
	lying = append(lying, abi.ProgramSection...)
	tests := []struct {
		name  string
		wasm  []byte
		lim   sandbox.Limits
		limit string // the ModuleLimit's limit, if one
		msg   string
	}{
		{"program over max_module_bytes", wasmbomb.Spec{Programs: [][]byte{make([]byte, 1<<20)}}.Build(), small,
			"module_bytes", "more than the module size limit of 65536 bytes (limits.max_module_bytes)"},
		{"size past the end", lying, benchLimits, "", "size: truncated"},
		{"two programs", wasmbomb.Spec{Programs: [][]byte{[]byte("a"), []byte("b")}}.Build(), benchLimits,
			"", "has 2 walker.program sections; a module carries at most one program"},
		{"read outside memory", wasmbomb.Spec{Programs: [][]byte{[]byte("prog")}, ProgramRead: abi.ExportInitialize, ReadAt: 0xffff_fff0, ReadCap: 64}.Build(), benchLimits,
			"", "_initialize: guest passed an out-of-range pointer to walker.program_read (ptr 0xfffffff0, len 4"},
		{"read after _initialize", wasmbomb.Spec{Programs: [][]byte{[]byte("prog")}, ProgramRead: abi.ExportManifest, ReadAt: 2048, ReadCap: 64}.Build(), benchLimits,
			"", "walker_manifest: sandbox: execution failed: called walker.program_read; the program is handed over during _initialize only"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := eng.LoadWith(ctx, "prog", tc.wasm, tc.lim)
			if m != nil {
				m.Close(ctx)
			}
			if !errors.Is(err, sandbox.ErrModule) || !strings.Contains(err.Error(), tc.msg) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %v, want a one-line refusal saying %q", err, tc.msg)
			}
			var lim *sandbox.LimitError
			if tc.limit != "" && (!errors.As(err, &lim) || lim.Limit != tc.limit) {
				t.Fatalf("got %v, want the limit %q", err, tc.limit)
			}
		})
	}
}

// TestProgram_ReadDuringRequest: a guest reading its program during a
// request ends that request with an execution error, not a Go panic.
func TestProgram_ReadDuringRequest(t *testing.T) {
	eng := handEngine(t)
	ctx := context.Background()
	wasm := wasmbomb.Spec{Manifest: wasmbomb.PublicManifest, Programs: [][]byte{[]byte("prog")},
		ProgramRead: abi.ExportHandle, ReadAt: 2048, ReadCap: 64}.Build()
	m, err := eng.Load(ctx, "prog", wasm)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close(ctx)
	err = callBomb(t, m)
	var ex *sandbox.ExecError
	if !errors.As(err, &ex) || !strings.Contains(err.Error(), "called walker.program_read; the program is handed over during _initialize only") {
		t.Fatalf("got %v, want an execution error for program_read during a request", err)
	}
}
