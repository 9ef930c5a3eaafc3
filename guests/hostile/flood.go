package main

import (
	"unsafe"

	"github.com/walkerhost/walkerhost/sdk"
)

// Flood reports count strings of size bytes each: by default one 64 MiB
// report, to hit the host's report-bytes limit; many small ones with
// {"size": 1024, "count": 100000}.
type Flood struct{ Size, Count int }

func (w *Flood) Fields(f *sdk.Fields) {
	f.Int("size", &w.Size).Default(64 << 20)
	f.Int("count", &w.Count).Default(1)
}

var _ = sdk.Walker("flood", func() *Flood { return new(Flood) }).
	Public().
	OnRoot(func(w *Flood, v *sdk.Visit) error {
		b := make([]byte, max(w.Size, 1))
		b[0] = 'x'
		for n := 1; n < len(b); n *= 2 {
			copy(b[n:], b[:n]) // fill by doubling: a loop per byte is slow in wasm
		}
		s := unsafe.String(unsafe.SliceData(b), len(b)) // no second copy
		for range w.Count {
			if err := v.Report(s); err != nil {
				return err
			}
		}
		return nil
	})
