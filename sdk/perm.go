package sdk

import (
	"strconv"

	"github.com/walkerhost/walkerhost/abi"
)

// PermLevel is an access level on a node or an edge (ABI.md "Permissions");
// each level includes the ones below it. (Level is the log level.)
type PermLevel int32

// Access levels.
const (
	NoAccess PermLevel = PermLevel(abi.LevelNoAccess) // nothing; an entry for a root overrides public grants
	Read     PermLevel = PermLevel(abi.LevelRead)     // see it, its fields, visit it, find it in edge queries
	Connect  PermLevel = PermLevel(abi.LevelConnect)  // connect edges to and from it (needed on both ends)
	Write    PermLevel = PermLevel(abi.LevelWrite)    // change its fields and permissions, delete it
)

// String returns the contract's name of l, e.g. "READ".
func (l PermLevel) String() string {
	if name := abi.LevelName(int32(l)); name != "" {
		return name
	}
	return "PermLevel(" + strconv.Itoa(int(l)) + ")"
}

// The permission methods below need WRITE on the object; without it they
// return an *Error matching ErrDenied, and a denial the guest does not look
// at (Error, Message or errors.Is) is listed in the response's warnings. A
// level outside NoAccess..Write, or a root id that is not a root id, is
// ErrBadArgument. Granting on Root() shares everything the caller owns.
//
// Who may do what: the owner has WRITE; anyone else gets the first that is
// set of the object's entry for their root (AllowRoot) and the owner root's
// entry for their root, else the higher of the object's and the owner
// root's grant to everyone (Grant), else NO_ACCESS.

// Grant sets what the object grants to everyone (perm_grant).
func (r ref) Grant(level PermLevel) error {
	if n := hostPermGrant(r.h, int32(level)); n < 0 {
		return hostErr(abi.FuncPermGrant, n)
	}
	return nil
}

// Revoke removes the object's grant to everyone (perm_revoke); entries for
// single roots stay.
func (r ref) Revoke() error {
	if n := hostPermRevoke(r.h); n < 0 {
		return hostErr(abi.FuncPermRevoke, n)
	}
	return nil
}

// AllowRoot sets the object's entry for the user whose root node has id
// rootID (allow_root). The entry wins over grants to everyone, so NoAccess
// shuts that user out of a public object.
func (r ref) AllowRoot(rootID string, level PermLevel) error {
	if n := hostAllowRoot(r.h, rootID, int32(level)); n < 0 {
		return hostErr(abi.FuncAllowRoot, n)
	}
	return nil
}

// DisallowRoot removes the object's entry for the root with id rootID
// (disallow_root); that user falls back to the grants to everyone.
func (r ref) DisallowRoot(rootID string) error {
	if n := hostDisallowRoot(r.h, rootID); n < 0 {
		return hostErr(abi.FuncDisallowRoot, n)
	}
	return nil
}
