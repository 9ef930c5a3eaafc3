package main

import "github.com/walkerhost/walkerhost/sdk"

// Perms creates an item with a Has edge from the root, sets permissions on
// both and, with Share, on the root (ABI.md "Permissions"), and reports
// each call's errno with the item's and the edge's ids; Undo takes the
// item's back.
type Perms struct {
	Root        string
	Level       int
	Undo, Share bool
}

func (w *Perms) Fields(f *sdk.Fields) {
	f.String("root", &w.Root)
	f.Int("level", &w.Level)
	f.Bool("undo", &w.Undo)
	f.Bool("share", &w.Share)
}

var _ = sdk.Walker("perms", func() *Perms { return new(Perms) }).
	OnRoot(func(w *Perms, v *sdk.Visit) error {
		item, err := Item.Create(map[string]any{"name": "p"})
		if err != nil {
			return err
		}
		edge, err := v.Root().Connect(item, Has, nil)
		if err != nil {
			return err
		}
		level := sdk.PermLevel(w.Level)
		out := map[string]any{"id": item.ID(), "edge": edge.ID(), "root_id": v.Root().ID(),
			"grant":      errno(item.Grant(level)),
			"allow":      errno(item.AllowRoot(w.Root, level)),
			"edge_grant": errno(edge.Grant(sdk.Read)),
		}
		if w.Share {
			out["root_allow"] = errno(v.Root().AllowRoot(w.Root, level))
		}
		if w.Undo {
			out["revoke"] = errno(item.Revoke())
			out["disallow"] = errno(item.DisallowRoot(w.Root))
		}
		return v.Report(out)
	})

// Target names an object of another user by id.
type Target struct {
	ID     string
	Level  int
	Ignore bool
}

func (w *Target) Fields(f *sdk.Fields) {
	f.String("id", &w.ID).Required()
	f.Int("level", &w.Level)
	f.Bool("ignore", &w.Ignore)
}

// perm_other calls every permission call on the object with id, as a
// caller who may READ it but not WRITE; with Ignore it makes one call and
// drops its error unseen.
var _ = sdk.Walker("perm_other", func() *Target { return new(Target) }).
	OnRoot(func(w *Target, v *sdk.Visit) error {
		n, err := sdk.NodeByID(w.ID)
		if err != nil {
			return err
		}
		level := sdk.PermLevel(w.Level)
		if w.Ignore {
			_ = n.Grant(level)
			return nil
		}
		root := v.Root().ID()
		return v.Report(map[string]any{
			"grant": errno(n.Grant(level)), "allow": errno(n.AllowRoot(root, level)),
			"revoke": errno(n.Revoke()), "disallow": errno(n.DisallowRoot(root)),
			"update": errno(n.Set(map[string]any{"name": "mine"})),
			"connect": func() int {
				_, err := v.Root().Connect(n, Has, nil)
				return errno(err)
			}(),
		})
	})

// errno is err's ABI errno, 0 for nil.
func errno(err error) int {
	if err == nil {
		return 0
	}
	return outcome(nil, err)["errno"].(int)
}
