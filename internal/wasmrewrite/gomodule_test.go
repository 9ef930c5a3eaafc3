package wasmrewrite

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// The real Go guest: a reactor with a string table, a sparse table (zero
// runs make the linker split segments, big ones make large gaps) and an
// export that checksums both.

const guestWords = 3000

func guestWord(i int) string { return fmt.Sprintf("w%05d:%x", i, uint32(i)*2654435761) }

// guestSparse: index -> value; the rest of the 1<<16-entry array is zero.
func guestSparse() map[int]uint64 {
	m := map[int]uint64{}
	for i := 0; i < 1<<16; i += 97 + i%1013 {
		m[i] = uint64(i)*0x9e3779b97f4a7c15 | 1
	}
	return m
}

func guestSource() string {
	var b strings.Builder
	b.WriteString("package main\n\nvar words = []string{\n")
	for i := range guestWords {
		fmt.Fprintf(&b, "\t%q,\n", guestWord(i))
	}
	b.WriteString("}\n\nvar sparse = [1 << 16]uint64{\n")
	for i, v := range guestSparse() {
		fmt.Fprintf(&b, "\t%d: %#x,\n", i, v)
	}
	b.WriteString(`}

//go:wasmexport checksum
func checksum() uint64 {
	h := uint64(14695981039346656037)
	for _, w := range words {
		for i := 0; i < len(w); i++ {
			h = (h ^ uint64(w[i])) * 1099511628211
		}
	}
	for i, v := range sparse {
		if v != 0 {
			h = (h ^ uint64(i) ^ v) * 1099511628211
		}
	}
	return h
}

func main() {}
`)
	return b.String()
}

// nativeChecksum computes what the guest's checksum export must return.
func nativeChecksum() uint64 {
	h := uint64(14695981039346656037)
	for i := range guestWords {
		w := guestWord(i)
		for j := 0; j < len(w); j++ {
			h = (h ^ uint64(w[j])) * 1099511628211
		}
	}
	sp := guestSparse()
	for i := range 1 << 16 {
		if v := sp[i]; v != 0 {
			h = (h ^ uint64(i) ^ v) * 1099511628211
		}
	}
	return h
}

// goGuest holds the built guest, shared by all tests and benchmarks of one
// test binary run.
var goGuest struct {
	once   sync.Once
	stock  []byte
	merged []byte
	stats  Stats
	err    error
}

// guestModules builds the guest once with GOOS=wasip1 GOARCH=wasm
// -buildmode=c-shared and merges it with DefaultMaxGap.
func guestModules(tb testing.TB) (stock, merged []byte, st Stats) {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds a Go wasm module")
	}
	g := &goGuest
	g.once.Do(func() { g.stock, g.err = buildGoModule(guestSource()) })
	if g.err != nil {
		tb.Fatal(g.err)
	}
	if g.merged == nil {
		g.merged, g.stats, g.err = MergeDataSegments(g.stock, DefaultMaxGap)
		if g.err != nil {
			tb.Fatal(g.err)
		}
	}
	return g.stock, g.merged, g.stats
}

// newGuestRuntime returns a compiler runtime with WASI and the compiled module.
func newGuestRuntime(tb testing.TB, wasm []byte) (wazero.Runtime, wazero.CompiledModule) {
	tb.Helper()
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	tb.Cleanup(func() { r.Close(ctx) })
	wasi_snapshot_preview1.MustInstantiate(ctx, r)
	cm, err := r.CompileModule(ctx, wasm)
	if err != nil {
		tb.Fatal(err)
	}
	return r, cm
}

func TestGoModule(t *testing.T) {
	stock, merged, st := guestModules(t)
	t.Logf("segments %d -> %d, bytes %d -> %d, zero fill %d",
		st.SegmentsBefore, st.SegmentsAfter, st.BytesBefore, st.BytesAfter, st.ZeroFillBytes)
	if st.SegmentsBefore < 1000 || st.SegmentsAfter*100 > st.SegmentsBefore {
		t.Fatalf("expected a large reduction: %+v", st)
	}
	checkStructure(t, stock, merged)
	for _, gap := range []int{0, 64, DefaultMaxGap, 1 << 20} {
		out, st, err := MergeDataSegments(stock, gap)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("maxGap %7d: segments %d -> %d, bytes %d -> %d", gap, st.SegmentsBefore, st.SegmentsAfter, st.BytesBefore, st.BytesAfter)
		checkSimulated(t, stock, out, 0)
	}
	again, st2, err := MergeDataSegments(merged, DefaultMaxGap)
	if err != nil || st2.SegmentsAfter != st.SegmentsAfter || !bytes.Equal(again, merged) {
		t.Fatalf("not idempotent: %+v %v", st2, err)
	}
	want := nativeChecksum()
	memStock, sumStock := runGuest(t, stock)
	memMerged, sumMerged := runGuest(t, merged)
	if !bytes.Equal(memStock, memMerged) {
		t.Fatal("memory after instantiation (before _initialize) differs")
	}
	if sumStock != want || sumMerged != want {
		t.Fatalf("checksum: stock %#x, merged %#x, native %#x", sumStock, sumMerged, want)
	}
}

// runGuest returns memory right after instantiation (no start function)
// and the checksum export's result after _initialize.
func runGuest(t *testing.T, wasm []byte) ([]byte, uint64) {
	ctx := context.Background()
	r, cm := newGuestRuntime(t, wasm)
	raw, err := r.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		t.Fatal(err)
	}
	mem, _ := raw.Memory().Read(0, raw.Memory().Size())
	mem = bytes.Clone(mem)
	raw.Close(ctx)
	mod, err := r.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName("").WithStartFunctions("_initialize"))
	if err != nil {
		t.Fatal(err)
	}
	defer mod.Close(ctx)
	res, err := mod.ExportedFunction("checksum").Call(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return mem, res[0]
}

// BenchmarkInstantiate: instantiate + _initialize + close of the stock and
// the merged guest (compile excluded).
func BenchmarkInstantiate(b *testing.B) {
	stock, merged, _ := guestModules(b)
	for _, bc := range []struct {
		name string
		wasm []byte
	}{{"stock", stock}, {"merged", merged}} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			r, cm := newGuestRuntime(b, bc.wasm)
			cfg := wazero.NewModuleConfig().WithName("").WithStartFunctions("_initialize")
			b.ReportAllocs()
			for b.Loop() {
				mod, err := r.InstantiateModule(ctx, cm, cfg)
				if err != nil {
					b.Fatal(err)
				}
				mod.Close(ctx)
			}
		})
	}
}
