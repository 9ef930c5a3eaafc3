package main

import (
	"errors"

	"github.com/walkerhost/walkerhost/sdk"
)

// crud runs every graph call once on a new item (ABI.md "Graph") and
// reports what it sees, then that the deleted item is gone.
var _ = sdk.Walker("crud", newEmpty).
	OnRoot(func(_ *Empty, v *sdk.Visit) error {
		item, err := Item.Create(map[string]any{"name": "x"})
		if err != nil {
			return err
		}
		if _, err := v.Here().Connect(item, Has, map[string]any{"weight": 2.5}); err != nil {
			return err
		}
		if err := item.Set(map[string]any{"count": 5, "name": "y"}); err != nil {
			return err
		}
		links, err := v.Here().Links(sdk.DirOut, Has)
		if err != nil || len(links) != 1 {
			return errors.New("want one link")
		}
		l := links[0]
		again, err := sdk.NodeByID(item.ID())
		if err != nil {
			return err
		}
		gone, err := v.Here().Disconnect(item, nil)
		if err != nil {
			return err
		}
		report := map[string]any{
			"id_known": item.ID() != "", "count": item.Int("count"), "name": item.Str("name"),
			"weight": l.Edge.Float("weight"), "src_is_root": l.Edge.Src() == v.Root(),
			"dst_is_item": l.Edge.Dst() == item, "is_item": l.Node.Is(Item), "edge_type": l.Edge.Type().Name(),
			"same_handle": again == item, "disconnected": gone, "node": item, "root": v.Root(), "id": item.ID(),
		}
		if err := v.Report(report); err != nil {
			return err
		}
		id := item.ID()
		if err := item.Delete(); err != nil {
			return err
		}
		_, err = sdk.NodeByID(id)
		if err := v.Report(errors.Is(err, sdk.ErrNotFound)); err != nil {
			return err
		}
		if err := v.Report(item); err != nil { // deleted in this request: reported as null
			return err
		}
		other, err := Item.Create(map[string]any{"name": "z"})
		if err != nil {
			return err
		}
		generic, err := v.Here().Connect(other, nil, nil)
		if err != nil {
			return err
		}
		return v.Report(generic)
	})

// MakeItem creates an Item from the given values, so that the host's
// checks of declared types (ABI.md "Declared types") answer; with Handle it
// reports the refusal instead of failing with it.
type MakeItem struct {
	Values map[string]any
	Handle bool
}

func (w *MakeItem) Fields(f *sdk.Fields) {
	f.Object("values", &w.Values)
	f.Bool("handle", &w.Handle)
}

var _ = sdk.Walker("make_item", func() *MakeItem { return new(MakeItem) }).
	OnRoot(func(w *MakeItem, v *sdk.Visit) error {
		item, err := Item.Create(w.Values)
		if err != nil && w.Handle {
			return v.Report(outcome(nil, err))
		}
		if err != nil {
			return err
		}
		if _, err := v.Here().Connect(item, Has, nil); err != nil {
			return err
		}
		return v.Report(item)
	})

// Bulk creates n items with long names and lists them in one query: a
// result larger than the SDK's first buffer, fetched with result_take.
type Bulk struct{ N int }

func (w *Bulk) Fields(f *sdk.Fields) { f.Int("n", &w.N) }

var _ = sdk.Walker("bulk", func() *Bulk { return new(Bulk) }).
	OnRoot(func(w *Bulk, v *sdk.Visit) error {
		if w.N > 1000 {
			return errors.New("n is at most 1000")
		}
		long := string(make([]byte, 100))
		for i := 0; i < w.N; i++ {
			item, err := Item.Create(map[string]any{"name": long, "count": i})
			if err != nil {
				return err
			}
			if _, err := v.Here().Connect(item, Has, nil); err != nil {
				return err
			}
		}
		items, err := v.Here().Out(Has)
		if err != nil {
			return err
		}
		sum := int64(0)
		for _, it := range items {
			sum += it.Int("count")
		}
		return v.Report([]any{len(items), sum})
	})

// Lookup reports what NodeByID says about its id.
type Lookup struct{ ID string }

func (w *Lookup) Fields(f *sdk.Fields) { f.String("id", &w.ID).Required() }

var _ = sdk.Walker("lookup", func() *Lookup { return new(Lookup) }).
	OnRoot(func(w *Lookup, v *sdk.Visit) error {
		n, err := sdk.NodeByID(w.ID)
		switch {
		case errors.Is(err, sdk.ErrNotFound):
			return v.Report("not found")
		case errors.Is(err, sdk.ErrDenied):
			return v.Report("denied")
		case err != nil:
			return err
		}
		return v.Report(n)
	})

// lookup_edge reports what EdgeByID says about its id.
var _ = sdk.Walker("lookup_edge", func() *Lookup { return new(Lookup) }).
	OnRoot(func(w *Lookup, v *sdk.Visit) error {
		e, err := sdk.EdgeByID(w.ID)
		if err != nil {
			return v.Report(outcome(nil, err))
		}
		return v.Report(e)
	})

// lookup_ignored drops NodeByID's error unseen: error_take is never called.
var _ = sdk.Walker("lookup_ignored", func() *Lookup { return new(Lookup) }).
	OnRoot(func(w *Lookup, v *sdk.Visit) error {
		_, _ = sdk.NodeByID(w.ID)
		return nil
	})

// lookup_raw fails with NodeByID's error, whose message is the output.
var _ = sdk.Walker("lookup_raw", func() *Lookup { return new(Lookup) }).
	OnRoot(func(w *Lookup, v *sdk.Visit) error {
		_, err := sdk.NodeByID(w.ID)
		return err
	})

// items reports the items the root has, from one edge query.
var _ = sdk.Walker("items", newEmpty).
	Method("GET").
	OnRoot(func(_ *Empty, v *sdk.Visit) error {
		items, err := v.Here().Out(Has, Item)
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := v.Report(it); err != nil {
				return err
			}
		}
		return nil
	})
