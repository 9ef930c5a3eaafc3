package sdk_test

import (
	"strconv"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

// The benchmarks run one request record per iteration through
// sdk.HandleRecord, as walker_handle does in wasm. The host discards
// reports and output (checking their encoding only), so that allocs/op
// counts the SDK's work: decoding the record, binding the walker's fields,
// walking, reporting and encoding the walker's fields for output. The
// "kept" variants keep and decode what the guest sends, as tests do.

// BenchmarkHandle_Greet is the trivial walker: one string field, one
// report of a one-key map.
func BenchmarkHandle_Greet(b *testing.B) {
	rec := sdktest.Record(abi.KindWalker, "greet", 1, 1, abi.TypeRoot, map[string]any{"name": "bench"})
	b.Run("discard", func(b *testing.B) { benchRecord(b, sdktest.New(), rec, true, 1) })
	b.Run("kept", func(b *testing.B) { benchRecord(b, sdktest.New(), rec, false, 1) })
}

// BenchmarkHandle_List walks a root with 10 neighbours, brought with their
// fields by one edge query, and reports each.
func BenchmarkHandle_List(b *testing.B) {
	rec := sdktest.Record(abi.KindWalker, "list", 1, 1, abi.TypeRoot, nil)
	b.Run("discard", func(b *testing.B) { benchRecord(b, listGraph(10), rec, true, 10) })
	b.Run("kept", func(b *testing.B) { benchRecord(b, listGraph(10), rec, false, 10) })
}

func listGraph(n int) *sdktest.Host {
	h := sdktest.New()
	for i := range n {
		item := h.AddNode("Item", map[string]any{"name": "item " + strconv.Itoa(i), "count": i})
		h.AddEdge(h.RootID(), item, "Has", nil)
	}
	return h
}

func benchRecord(b *testing.B, h *sdktest.Host, rec []byte, discard bool, reports int) {
	h.Discard(discard)
	check := func(res sdktest.Result) {
		if err := res.Err(); err != nil {
			b.Fatal(err)
		}
		if got := res.Discarded + len(res.Reports); got != reports {
			b.Fatalf("%d reports, want %d", got, reports)
		}
	}
	check(h.Run(rec)) // warm: the SDK's buffers grow once
	b.ReportAllocs()
	for b.Loop() {
		if res := h.Run(rec); res.Status != abi.StatusOK {
			b.Fatal(res.Err())
		}
	}
	check(h.Run(rec))
}
