package main

import "github.com/walkerhost/walkerhost/sdk"

// Junk is what the write_then_* walkers leave behind if the host commits
// the writes of a failed request; count_junk counts it.
var (
	Junk    = sdk.NodeType("Junk", sdk.StringField("note"))
	HasJunk = sdk.EdgeType("HasJunk")
)

// writeJunk connects a new Junk node to the root, then fails with fail.
func writeJunk(fail func(v *sdk.Visit) error) func(v *sdk.Visit) error {
	return func(v *sdk.Visit) error {
		junk, err := Junk.Create(map[string]any{"note": "must not survive"})
		if err != nil {
			return err
		}
		if _, err := v.Here().Connect(junk, HasJunk, nil); err != nil {
			return err
		}
		return fail(v)
	}
}

func init() {
	hostile("write_then_spin", writeJunk(spin))
	hostile("write_then_panic", writeJunk(func(*sdk.Visit) error { panic("after writing") }))
	hostile("write_then_hog", writeJunk(hog))
	hostile("write_report_then_spin", writeJunk(func(v *sdk.Visit) error {
		if err := v.Report("started"); err != nil {
			return err
		}
		return spin(v)
	}))
	// hoard holds handles without end: each round creates a node and two
	// edges to it. Only the handle limit (or the host-call limit) ends it.
	hostile("hoard", func(v *sdk.Visit) error {
		for {
			junk, err := Junk.Create(map[string]any{"note": "hoarded"})
			if err != nil {
				return err
			}
			for range 2 {
				if _, err := v.Here().Connect(junk, HasJunk, nil); err != nil {
					return err
				}
			}
		}
	})
	hostile("count_junk", func(v *sdk.Visit) error {
		junk, err := v.Here().Out(HasJunk, Junk)
		if err != nil {
			return err
		}
		return v.Report(len(junk))
	})
}
