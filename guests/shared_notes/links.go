package main

import "github.com/walkerhost/walkerhost/sdk"

// Link connects one note to another with a label. An edge has permissions
// of its own: a reader sees a link only when they may READ the link itself
// and the note it leads to (docs/PERMISSIONS.md "Edges").
var Link = sdk.EdgeType("Link", sdk.StringField("label"))

// LinkNotes links note From to note To; it needs CONNECT on both.
type LinkNotes struct{ From, To, Label string }

func (w *LinkNotes) Fields(f *sdk.Fields) {
	f.String("from", &w.From).Required()
	f.String("to", &w.To).Required()
	f.String("label", &w.Label).Default("")
}

var _ = sdk.Walker("link_notes", func() *LinkNotes { return new(LinkNotes) }).
	OnRoot(func(w *LinkNotes, v *sdk.Visit) error {
		from, err := findNote(w.From)
		if err != nil {
			return err
		}
		to, err := findNote(w.To)
		if err != nil {
			return err
		}
		link, err := from.Connect(to, Link, map[string]any{"label": w.Label})
		if err != nil {
			return err
		}
		return v.Report(map[string]any{"link": link.ID()})
	})

// links reports the links leaving a note that the caller may see, with
// their labels and the notes they lead to.
var _ = sdk.Walker("links", func() *ByID { return new(ByID) }).
	OnRoot(func(w *ByID, v *sdk.Visit) error {
		note, err := findNote(w.ID)
		if err != nil {
			return err
		}
		links, err := note.Links(sdk.DirOut, Link)
		if err != nil {
			return err
		}
		out := make([]any, 0, len(links))
		for _, l := range links {
			out = append(out, map[string]any{"link": l.Edge.ID(), "label": l.Edge.Str("label"), "to": l.Node.ID()})
		}
		return v.Report(map[string]any{"links": out})
	})

// ShareLink sets a link's level for one user (allow_root), or for everyone
// (perm_grant) when WithRoot is empty.
type ShareLink struct {
	ID, WithRoot string
	Level        int
}

func (w *ShareLink) Fields(f *sdk.Fields) {
	f.String("id", &w.ID).Required()
	f.String("with_root", &w.WithRoot).Default("")
	f.Int("level", &w.Level).Default(int(sdk.Read))
}

var _ = sdk.Walker("share_link", func() *ShareLink { return new(ShareLink) }).
	OnRoot(func(w *ShareLink, v *sdk.Visit) error {
		l, err := level(w.Level)
		if err != nil {
			return err
		}
		link, err := sdk.EdgeByID(w.ID)
		if err != nil {
			return err
		}
		if w.WithRoot == "" {
			err = link.Grant(l)
		} else {
			err = link.AllowRoot(w.WithRoot, l)
		}
		if err != nil {
			return err
		}
		return v.Report(map[string]any{"shared": w.ID, "with_root": w.WithRoot, "level": l.String()})
	})
