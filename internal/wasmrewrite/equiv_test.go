package wasmrewrite

import (
	"bytes"
	"context"
	"testing"

	"github.com/tetratelabs/wazero"
)

// simulate applies a module's active segments of memory 0 to a zeroed
// memory, as instantiation would. global.get 0 offsets read gval. ok is
// false when the module cannot be simulated (imported memory, another
// expression, or an image larger than limit).
func simulate(wasm []byte, gval int32, limit uint64) (img []byte, maxEnd uint64, ok bool) {
	m, segs, err := parseModule(wasm)
	if err != nil || m.memImported {
		return nil, 0, false
	}
	for _, s := range segs {
		var off uint64
		switch s.kind {
		case segConst:
			off = uint64(s.offset)
		case segOpaque:
			if !isGlobalGet0(s.raw) {
				return nil, 0, false
			}
			off = uint64(uint32(gval))
		default:
			continue
		}
		end := off + uint64(len(s.data))
		if end > limit {
			return nil, 0, false
		}
		maxEnd = max(maxEnd, end)
		if end > uint64(len(img)) {
			img = append(img, make([]byte, end-uint64(len(img)))...)
		}
		copy(img[off:], s.data)
	}
	return img, maxEnd, true
}

// parseModule inspects a module and returns its data segments.
func parseModule(wasm []byte) (*module, []segment, error) {
	secs, err := Sections(wasm)
	if err != nil {
		return nil, nil, err
	}
	m, err := inspect(wasm, secs, DefaultMaxGap)
	if err != nil || m.dataIdx < 0 {
		return m, nil, err
	}
	var segs []segment
	s := secs[m.dataIdx]
	_, err = scanData(wasm[s.Offset:s.End()], func(_ int, s *segment) { segs = append(segs, *s) })
	return m, segs, err
}

func isGlobalGet0(raw []byte) bool {
	r := reader{buf: raw}
	if flags, err := r.u32(); err != nil || flags == 2 {
		return false
	}
	start := r.pos
	if _, _, err := readConstExpr(&r); err != nil {
		return false
	}
	return bytes.Equal(raw[start:r.pos], []byte{opGlobalGet, 0, opEnd})
}

// padEqual compares two images, treating missing bytes as zero.
func padEqual(a, b []byte) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	return bytes.Equal(a[:len(b)], b) && len(bytes.Trim(a[len(b):], "\x00")) == 0
}

// checkStructure checks that out parses, that every section except data
// and data count is byte-identical and in the same order, that the data
// count matches, and that passive segments keep their data (by index when
// indices are preserved, in order otherwise).
func checkStructure(t testing.TB, in, out []byte) {
	t.Helper()
	si, err := Sections(in)
	if err != nil {
		t.Fatalf("input: %v", err)
	}
	so, err := Sections(out)
	if err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	if len(si) != len(so) {
		t.Fatalf("section count %d -> %d", len(si), len(so))
	}
	for i := range si {
		if si[i].ID != so[i].ID {
			t.Fatalf("section %d: id %d -> %d", i, si[i].ID, so[i].ID)
		}
		if si[i].ID != idData && si[i].ID != idDataCount &&
			!bytes.Equal(in[si[i].Start:si[i].End()], out[so[i].Start:so[i].End()]) {
			t.Fatalf("section %d (id %d) changed", i, si[i].ID)
		}
	}
	mi, segsIn, err := parseModule(in)
	if err != nil {
		t.Fatalf("input: %v", err)
	}
	_, segsOut, err := parseModule(out) // also checks the data count
	if err != nil {
		t.Fatalf("output: %v", err)
	}
	checkKept(t, mi.preserve, segsIn, segsOut)
}

// checkKept: segments that are not mergeable survive unchanged, in order
// (and at the same index when indices are preserved).
func checkKept(t testing.TB, preserve bool, in, out []segment) {
	t.Helper()
	if preserve {
		if len(in) != len(out) {
			t.Fatalf("preserve: %d segments -> %d", len(in), len(out))
		}
		for i, s := range in {
			if s.kind != segConst && !bytes.Equal(s.raw, out[i].raw) {
				t.Fatalf("preserve: segment %d changed", i)
			}
		}
		return
	}
	var a, b [][]byte
	for _, s := range in {
		if s.kind != segConst {
			a = append(a, s.raw)
		}
	}
	for _, s := range out {
		if s.kind != segConst {
			b = append(b, s.raw)
		}
	}
	if len(a) != len(b) {
		t.Fatalf("kept segments %d -> %d", len(a), len(b))
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Fatalf("kept segment %d changed", i)
		}
	}
}

// checkSimulated compares the simulated memory images.
func checkSimulated(t testing.TB, in, out []byte, gval int32) {
	t.Helper()
	a, ea, ok := simulate(in, gval, 1<<20)
	if !ok {
		return
	}
	b, eb, ok := simulate(out, gval, 1<<20)
	if !ok {
		t.Fatalf("output cannot be simulated but input can")
	}
	if ea != eb {
		t.Fatalf("max segment end %d -> %d (changes out-of-bounds behaviour)", ea, eb)
	}
	if !padEqual(a, b) {
		t.Fatalf("memory images differ")
	}
}

// wazeroResult is what instantiating a test module in wazero produced.
type wazeroResult struct {
	instErr, initErr bool
	mem              []byte
}

// runWazero instantiates an env module (global g = gval, memory mem) and
// the module, calls "init" if exported, and returns memory 0.
func runWazero(t testing.TB, wasm []byte, gval int32, pages uint32) wazeroResult {
	t.Helper()
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter())
	defer r.Close(ctx)
	if _, err := r.InstantiateWithConfig(ctx, envModule(gval, max(pages, 1)), wazero.NewModuleConfig().WithName("env")); err != nil {
		t.Fatalf("env module: %v", err)
	}
	mod, err := r.InstantiateWithConfig(ctx, wasm, wazero.NewModuleConfig().WithName("m"))
	if err != nil {
		env := r.Module("env")
		mem, _ := env.Memory().Read(0, env.Memory().Size())
		return wazeroResult{instErr: true, mem: bytes.Clone(mem)}
	}
	var res wazeroResult
	if f := mod.ExportedFunction("init"); f != nil {
		_, err := f.Call(ctx)
		res.initErr = err != nil
	}
	mem, _ := mod.Memory().Read(0, mod.Memory().Size())
	res.mem = bytes.Clone(mem)
	return res
}

func checkWazero(t testing.TB, in, out []byte, gval int32, pages uint32) {
	t.Helper()
	a, b := runWazero(t, in, gval, pages), runWazero(t, out, gval, pages)
	if a.instErr != b.instErr || a.initErr != b.initErr {
		t.Fatalf("wazero: instantiate error %v -> %v, init error %v -> %v", a.instErr, b.instErr, a.initErr, b.initErr)
	}
	if !bytes.Equal(a.mem, b.mem) {
		t.Fatalf("wazero: memory after instantiation differs")
	}
}
