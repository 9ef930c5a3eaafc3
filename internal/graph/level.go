package graph

import (
	"fmt"
	"maps"

	"github.com/walkerhost/walkerhost/abi"
)

// Level is an access level, with the values of docs/PERMISSIONS.md and the ABI.
type Level int8

// Access levels, each including the ones below it.
const (
	NoAccess Level = -1 // nothing; an explicit entry overrides public grants
	Read     Level = 0  // see the object, its fields, and edges to it
	Connect  Level = 1  // connect edges to and from it
	Write    Level = 2  // change its fields and permissions, delete it
)

// Valid reports whether l is one of NoAccess, Read, Connect and Write.
func (l Level) Valid() bool { return l >= NoAccess && l <= Write }

// String returns the contract's name of l, e.g. "READ".
func (l Level) String() string {
	if name := abi.LevelName(int32(l)); name != "" {
		return name
	}
	return fmt.Sprintf("Level(%d)", int8(l))
}

// checkLevel returns an error wrapping ErrBadLevel unless l is valid.
func checkLevel(l Level) error {
	if !l.Valid() {
		return fmt.Errorf("%w: %d", ErrBadLevel, int8(l))
	}
	return nil
}

// ACL is the access an object grants to callers other than its owner.
type ACL struct {
	// Everyone is the grant to every caller; it counts only when HasEveryone.
	Everyone    Level
	HasEveryone bool
	// Roots holds per-root entries; they win over Everyone.
	Roots map[ID]Level
}

// clone returns a copy of a that shares no map with it.
func (a ACL) clone() ACL {
	a.Roots = maps.Clone(a.Roots)
	return a
}

// Effective returns the level caller c has on obj, whose owner root is
// ownerRoot (obj itself for a root; nil if the owner is unknown). It is the
// ladder of docs/PERMISSIONS.md:
//
//  1. the owner, and the system, have Write;
//  2. else the first that is set of: obj's entry for c.Root, then the owner
//     root's entry for c.Root;
//  3. else the higher of obj's and the owner root's grant to everyone;
//  4. else NoAccess.
func Effective(c Caller, obj, ownerRoot *Object) Level {
	if c.System || c.Root == obj.Owner {
		return Write
	}
	if l, ok := obj.ACL.Roots[c.Root]; ok {
		return l
	}
	if ownerRoot != nil {
		if l, ok := ownerRoot.ACL.Roots[c.Root]; ok {
			return l
		}
	}
	best := NoAccess
	if obj.ACL.HasEveryone {
		best = max(best, obj.ACL.Everyone)
	}
	if ownerRoot != nil && ownerRoot.ACL.HasEveryone {
		best = max(best, ownerRoot.ACL.Everyone)
	}
	return best
}

var _ fmt.Stringer = Level(0)
