// Command shared_notes is the sample app for permissions: each user keeps
// Note nodes connected from their root, and shares them with other users
// (allow_root), with everyone (perm_grant), or all at once by sharing their
// root. docs/PERMISSIONS.md walks through it. Build it with
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o shared_notes.wasm .
package main

import (
	"errors"

	"github.com/walkerhost/walkerhost/sdk"
)

// Note is one note; HasNote connects its owner's root to it, Pinned connects
// a reader's root to someone else's note.
var (
	Note    = sdk.NodeType("Note", sdk.StringField("text").Required())
	HasNote = sdk.EdgeType("HasNote")
	Pinned  = sdk.EdgeType("Pinned")
)

// main is never run: the host calls the module's walker_* exports.
func main() {}

// findNote returns the note with id. A note the caller may not READ is
// "not found", so that its existence does not leak; looking at the error
// (errors.Is) tells the host the denial was handled.
func findNote(id string) (sdk.Node, error) {
	note, err := sdk.NodeByID(id)
	if errors.Is(err, sdk.ErrNotFound) || errors.Is(err, sdk.ErrDenied) || (err == nil && !note.Is(Note)) {
		return sdk.Node{}, errors.New("note " + id + " not found")
	}
	return note, err
}

// level converts a level from a request. The host checks the range
// (ErrBadArgument); this only keeps a huge number from wrapping into a
// valid int32.
func level(l int) (sdk.PermLevel, error) {
	if int(int32(l)) != l {
		return 0, errors.New("level must be -1 (NO_ACCESS), 0 (READ), 1 (CONNECT) or 2 (WRITE)")
	}
	return sdk.PermLevel(l), nil
}
