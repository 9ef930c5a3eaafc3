package main

import "github.com/walkerhost/walkerhost/sdk"

// Todo and Tagged are types whose declarations the host must enforce on
// writes the SDK passes through unchecked: the raw_* walkers write
// whatever fields the request gives.
var (
	Todo   = sdk.NodeType("Todo", sdk.StringField("title").Required(), sdk.BoolField("done").Default(false), sdk.IntField("n"))
	Tagged = sdk.EdgeType("Tagged", sdk.StringField("label").Required(), sdk.IntField("weight").Default(1))
)

// Raw is the input of the raw_* walkers: the fields to write, the node to
// update, and whether to swallow the host's refusal.
type Raw struct {
	Values map[string]any
	ID     string
	Catch  bool
}

func (w *Raw) Fields(f *sdk.Fields) {
	f.Object("fields", &w.Values)
	f.String("id", &w.ID)
	f.Bool("catch", &w.Catch)
}

func raw(name string, fn func(w *Raw, v *sdk.Visit) error) {
	sdk.Walker(name, func() *Raw { return new(Raw) }).Public().OnRoot(func(w *Raw, v *sdk.Visit) error {
		err := fn(w, v)
		if err != nil && w.Catch {
			return v.Report("refused: " + err.Error())
		}
		return err
	})
}

func init() {
	raw("raw_create", func(w *Raw, v *sdk.Visit) error {
		todo, err := Todo.Create(w.Values)
		if err != nil {
			return err
		}
		if _, err := v.Here().Connect(todo, Tagged, map[string]any{"label": "mine"}); err != nil {
			return err
		}
		return v.Report(todo)
	})
	raw("raw_update", func(w *Raw, v *sdk.Visit) error {
		todo, err := sdk.NodeByID(w.ID)
		if err != nil {
			return err
		}
		if err := todo.Set(w.Values); err != nil {
			return err
		}
		return v.Report(todo)
	})
	raw("raw_connect", func(w *Raw, v *sdk.Visit) error {
		todo, err := Todo.Create(map[string]any{"title": "t"})
		if err != nil {
			return err
		}
		edge, err := v.Here().Connect(todo, Tagged, w.Values)
		if err != nil {
			return err
		}
		return v.Report(edge)
	})
}
