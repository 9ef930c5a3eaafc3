package main

import "github.com/walkerhost/walkerhost/sdk"

// OnEvent is a webhook: served only at POST /webhook/on_event to callers
// with an API key and a body signature. It reports the caller's root so a
// test can check that it ran as the key's owner.
type OnEvent struct{ Event string }

func (w *OnEvent) Fields(f *sdk.Fields) { f.String("event", &w.Event).Required() }

var _ = sdk.Walker("on_event", func() *OnEvent { return new(OnEvent) }).
	Webhook().
	OnRoot(func(w *OnEvent, v *sdk.Visit) error {
		return v.Report(map[string]any{"event": w.Event, "root": v.Root().ID()})
	})
