package main

import "github.com/walkerhost/walkerhost/sdk"

// Secret is private: it has no HTTP route, only call_secret spawns it.
type Secret struct{ Word string }

func (w *Secret) Fields(f *sdk.Fields) { f.String("word", &w.Word).Default("swordfish") }

var _ = sdk.Walker("secret", func() *Secret { return new(Secret) }).
	Private().
	OnRoot(func(w *Secret, v *sdk.Visit) error {
		return v.Report(map[string]any{"secret": w.Word})
	})

// CallSecret spawns secret on the caller's root; secret's report joins the
// response.
type CallSecret struct{}

func (*CallSecret) Fields(*sdk.Fields) {}

var _ = sdk.Walker("call_secret", func() *CallSecret { return new(CallSecret) }).
	Public().
	OnRoot(func(_ *CallSecret, v *sdk.Visit) error {
		return v.Spawn("secret", v.Here())
	})
