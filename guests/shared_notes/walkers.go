package main

import (
	"errors"

	"github.com/walkerhost/walkerhost/sdk"
)

// Empty is a walker without fields.
type Empty struct{}

func (*Empty) Fields(*sdk.Fields) {}

func empty() *Empty { return new(Empty) }

// my_root reports the caller's root id: what another user passes as
// with_root to share a note with this one.
var _ = sdk.Walker("my_root", empty).
	Method("GET").
	OnRoot(func(_ *Empty, v *sdk.Visit) error {
		return v.Report(map[string]any{"root": v.Root().ID()})
	})

// CreateNote creates a note on the caller's root and reports it.
type CreateNote struct{ Text string }

func (w *CreateNote) Fields(f *sdk.Fields) { f.String("text", &w.Text).Required() }

var _ = sdk.Walker("create_note", func() *CreateNote { return new(CreateNote) }).
	OnRoot(func(w *CreateNote, v *sdk.Visit) error {
		note, err := Note.Create(map[string]any{"text": w.Text})
		if err != nil {
			return err
		}
		if _, err := v.Root().Connect(note, HasNote, nil); err != nil {
			return err
		}
		return v.Report(note)
	})

// ByID names a note.
type ByID struct{ ID string }

func (w *ByID) Fields(f *sdk.Fields) { f.String("id", &w.ID).Default("") }

// read_note reports one note: the one it is spawned on
// (/walker/read_note/{node_id}, which needs READ), or the one named by id.
var _ = sdk.Walker("read_note", func() *ByID { return new(ByID) }).
	OnRoot(func(w *ByID, v *sdk.Visit) error {
		note, err := findNote(w.ID)
		if err != nil {
			return err
		}
		return v.Report(note)
	}).
	OnEntry("Note", func(_ *ByID, v *sdk.Visit) error {
		return v.Report(v.Here())
	})

// list_notes reports the notes connected from the caller's root: their own
// and the ones they pinned.
var _ = sdk.Walker("list_notes", empty).
	Method("GET").
	OnRoot(func(_ *Empty, v *sdk.Visit) error {
		notes, err := v.Here().Out(Note)
		v.Visit(notes...)
		return err
	}).
	OnEntry("Note", func(_ *Empty, v *sdk.Visit) error {
		return v.Report(v.Here())
	})

// EditNote replaces a note's text; it needs WRITE.
type EditNote struct{ ID, Text string }

func (w *EditNote) Fields(f *sdk.Fields) {
	f.String("id", &w.ID).Required()
	f.String("text", &w.Text).Required()
}

var _ = sdk.Walker("edit_note", func() *EditNote { return new(EditNote) }).
	OnRoot(func(w *EditNote, v *sdk.Visit) error {
		note, err := findNote(w.ID)
		if err != nil {
			return err
		}
		if err := note.Set(map[string]any{"text": w.Text}); err != nil {
			return err
		}
		return v.Report(note)
	})

// delete_note deletes a note; it needs WRITE.
var _ = onNote("delete_note", "deleted", sdk.Node.Delete)

// ShareNote gives the user whose root is WithRoot a level on a note
// (allow_root); NO_ACCESS shuts them out even of a published note.
type ShareNote struct {
	ID, WithRoot string
	Level        int
}

func (w *ShareNote) Fields(f *sdk.Fields) {
	f.String("id", &w.ID).Required()
	f.String("with_root", &w.WithRoot).Required()
	f.Int("level", &w.Level).Default(int(sdk.Read))
}

var _ = sdk.Walker("share_note", func() *ShareNote { return new(ShareNote) }).
	OnRoot(func(w *ShareNote, v *sdk.Visit) error {
		l, err := level(w.Level)
		if err != nil {
			return err
		}
		if err := actOn(w.ID, func(n sdk.Node) error { return n.AllowRoot(w.WithRoot, l) }); err != nil {
			return err
		}
		return v.Report(map[string]any{"shared": w.ID, "with_root": w.WithRoot, "level": l.String()})
	})

// Unshare removes a user's entry on a note (disallow_root).
type Unshare struct{ ID, WithRoot string }

func (w *Unshare) Fields(f *sdk.Fields) {
	f.String("id", &w.ID).Required()
	f.String("with_root", &w.WithRoot).Required()
}

var _ = sdk.Walker("unshare_note", func() *Unshare { return new(Unshare) }).
	OnRoot(func(w *Unshare, v *sdk.Visit) error {
		if err := actOn(w.ID, func(n sdk.Node) error { return n.DisallowRoot(w.WithRoot) }); err != nil {
			return err
		}
		return v.Report(map[string]any{"unshared": w.ID, "with_root": w.WithRoot})
	})

// Publish grants a level on a note to everyone (perm_grant).
type Publish struct {
	ID    string
	Level int
}

func (w *Publish) Fields(f *sdk.Fields) {
	f.String("id", &w.ID).Required()
	f.Int("level", &w.Level).Default(int(sdk.Read))
}

var _ = sdk.Walker("publish_note", func() *Publish { return new(Publish) }).
	OnRoot(func(w *Publish, v *sdk.Visit) error {
		l, err := level(w.Level)
		if err != nil {
			return err
		}
		if err := actOn(w.ID, func(n sdk.Node) error { return n.Grant(l) }); err != nil {
			return err
		}
		return v.Report(map[string]any{"published": w.ID, "level": l.String()})
	})

// unpublish_note removes a note's grant to everyone (perm_revoke).
var _ = onNote("unpublish_note", "unpublished", sdk.Node.Revoke)

// onNote declares a walker that applies act to the note named by id and
// reports {done: id}.
func onNote(name, done string, act func(sdk.Node) error) *sdk.WalkerDef[*ByID] {
	return sdk.Walker(name, func() *ByID { return new(ByID) }).
		OnRoot(func(w *ByID, v *sdk.Visit) error {
			if err := actOn(w.ID, act); err != nil {
				return err
			}
			return v.Report(map[string]any{done: w.ID})
		})
}

// actOn applies act to the note named by id.
func actOn(id string, act func(sdk.Node) error) error {
	note, err := findNote(id)
	if err != nil {
		return err
	}
	return act(note)
}

// ShareAll gives a user a level on everything the caller owns, by an entry
// on the caller's root (the owner-root step of the ladder); Remove takes
// the entry away.
type ShareAll struct {
	WithRoot string
	Level    int
	Remove   bool
}

func (w *ShareAll) Fields(f *sdk.Fields) {
	f.String("with_root", &w.WithRoot).Required()
	f.Int("level", &w.Level).Default(int(sdk.Read))
	f.Bool("remove", &w.Remove).Default(false)
}

var _ = sdk.Walker("share_all", func() *ShareAll { return new(ShareAll) }).
	OnRoot(func(w *ShareAll, v *sdk.Visit) error {
		if w.Remove {
			if err := v.Root().DisallowRoot(w.WithRoot); err != nil {
				return err
			}
			return v.Report(map[string]any{"unshared_all": w.WithRoot})
		}
		l, err := level(w.Level)
		if err != nil {
			return err
		}
		if err := v.Root().AllowRoot(w.WithRoot, l); err != nil {
			return err
		}
		return v.Report(map[string]any{"shared_all": w.WithRoot, "level": l.String()})
	})

// PinNote connects the caller's root to a note they can see, so that it
// shows in their list_notes; it needs CONNECT on the note. When it is
// refused, a BestEffort pin carries on without looking at the error (the
// host then lists the denial in the response's warnings); otherwise the
// refusal is handled and reported.
type PinNote struct {
	ID         string
	BestEffort bool
}

func (w *PinNote) Fields(f *sdk.Fields) {
	f.String("id", &w.ID).Required()
	f.Bool("best_effort", &w.BestEffort).Default(false)
}

var _ = sdk.Walker("pin_note", func() *PinNote { return new(PinNote) }).
	OnRoot(func(w *PinNote, v *sdk.Visit) error {
		note, err := findNote(w.ID)
		if err != nil {
			return err
		}
		_, err = v.Root().Connect(note, Pinned, nil)
		switch {
		case err == nil:
			return v.Report(map[string]any{"pinned": true})
		case w.BestEffort:
			return v.Report(map[string]any{"pinned": false})
		case errors.Is(err, sdk.ErrDenied):
			return v.Report(map[string]any{"pinned": false, "refused": "PERMISSION_DENIED"})
		}
		return err
	})
