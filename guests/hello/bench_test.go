package main

import (
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

// BenchmarkGreet is one greet request natively. "call" goes through
// sdktest.Host.Call, which encodes the record and decodes the report and
// the output as tests do; "discard" runs a prepared record with the host
// dropping reports and output, so that it measures the SDK and the walker:
// allocs/op is then the walker value, the greeting string and its boxing.
func BenchmarkGreet(b *testing.B) {
	fields := map[string]any{"name": "bench"}
	b.Run("call", func(b *testing.B) {
		h := sdktest.New()
		b.ReportAllocs()
		for b.Loop() {
			if res := h.Call("greet", fields); res.Status != abi.StatusOK {
				b.Fatal(res.Err())
			}
		}
	})
	b.Run("discard", func(b *testing.B) {
		h := sdktest.New()
		h.Discard(true)
		rec := sdktest.Record(abi.KindWalker, "greet", 1, 1, abi.TypeRoot, fields)
		b.ReportAllocs()
		for b.Loop() {
			if res := h.Run(rec); res.Status != abi.StatusOK || res.Discarded != 1 {
				b.Fatal(res.Err())
			}
		}
	})
}
