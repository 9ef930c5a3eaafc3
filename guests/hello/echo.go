package main

import "github.com/walkerhost/walkerhost/sdk"

// Echo has a field of every type, required and defaulted, and reports them
// as it received them, so the host's type validation can be tested.
type Echo struct {
	Text  string
	Count int
	Ratio float64
	Flag  bool
	Tags  []any
	Meta  map[string]any
	Extra any
	Note  *string
}

func (w *Echo) Fields(f *sdk.Fields) {
	f.String("text", &w.Text).Required()
	f.Int("count", &w.Count).Default(1)
	f.Float("ratio", &w.Ratio).Default(0.5)
	f.Bool("flag", &w.Flag).Default(false)
	f.List("tags", &w.Tags).Default([]any{})
	f.Object("meta", &w.Meta).Required()
	f.Any("extra", &w.Extra)
	f.OptString("note", &w.Note)
}

var _ = sdk.Walker("echo", func() *Echo { return new(Echo) }).
	Public().
	OnRoot(func(w *Echo, v *sdk.Visit) error {
		var note any
		if w.Note != nil {
			note = *w.Note
		}
		return v.Report(map[string]any{
			"text": w.Text, "count": w.Count, "ratio": w.Ratio, "flag": w.Flag,
			"tags": w.Tags, "meta": w.Meta, "extra": w.Extra, "note": note,
		})
	})
