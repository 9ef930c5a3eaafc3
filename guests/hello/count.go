package main

import "github.com/walkerhost/walkerhost/sdk"

// Count reports 1..n, one report each, for the host's streaming tests;
// with fail it then refuses the request (409), as a walker may.
type Count struct {
	N    int
	Fail bool
}

func (w *Count) Fields(f *sdk.Fields) {
	f.Int("n", &w.N).Default(3)
	f.Bool("fail", &w.Fail).Default(false)
}

var _ = sdk.Walker("count", func() *Count { return new(Count) }).
	Public().
	OnRoot(func(w *Count, v *sdk.Visit) error {
		for i := 1; i <= w.N; i++ {
			if err := v.Report(i); err != nil {
				return err
			}
		}
		if w.Fail {
			return sdk.Fail(409, "count: failed after the reports, as asked")
		}
		return nil
	})
