package main

import "github.com/walkerhost/walkerhost/sdk"

// The walkers of the hostile-tenant suite (internal/attack) beside the
// misbehaving ones: deep takes any JSON, hook is a webhook whose captured
// calls the suite replays.

// Deep takes a value of any shape.
type Deep struct{ V any }

func (w *Deep) Fields(f *sdk.Fields) { f.Any("v", &w.V) }

// Hook takes a counter.
type Hook struct{ N int }

func (w *Hook) Fields(f *sdk.Fields) { f.Int("n", &w.N) }

func init() {
	sdk.Walker("deep", func() *Deep { return new(Deep) }).Public().
		OnRoot(func(*Deep, *sdk.Visit) error { return nil })
	sdk.Walker("hook", func() *Hook { return new(Hook) }).Webhook().
		OnRoot(func(w *Hook, v *sdk.Visit) error { return v.Report(w.N) })
}
