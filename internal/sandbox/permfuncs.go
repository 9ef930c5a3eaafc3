package sandbox

import (
	"fmt"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/graph"
)

// The permission calls (abi/ABI.md "Permissions"). The graph checks that the
// caller has Write on the object and records a Denial when it has not.

// permGrant is perm_grant (abi/ABI.md "Permissions").
func permGrant(s *session, stack []uint64) {
	a := argsOf(s, stack)
	id, l := a.handle(0), a.level(abi.FuncPermGrant, 1)
	if a.ok() {
		a.done(a.s.tx.PermGrant(id, l))
	}
}

// permRevoke is perm_revoke (abi/ABI.md "Permissions").
func permRevoke(s *session, stack []uint64) {
	a := argsOf(s, stack)
	if id := a.handle(0); a.ok() {
		a.done(a.s.tx.PermRevoke(id))
	}
}

// allowRoot is allow_root (abi/ABI.md "Permissions").
func allowRoot(s *session, stack []uint64) {
	a := argsOf(s, stack)
	id, root, l := a.handle(0), a.rootID(abi.FuncAllowRoot, 1), a.level(abi.FuncAllowRoot, 3)
	if a.ok() {
		a.done(a.s.tx.AllowRoot(id, root, l))
	}
}

// disallowRoot is disallow_root (abi/ABI.md "Permissions").
func disallowRoot(s *session, stack []uint64) {
	a := argsOf(s, stack)
	id, root := a.handle(0), a.rootID(abi.FuncDisallowRoot, 1)
	if a.ok() {
		a.done(a.s.tx.DisallowRoot(id, root))
	}
}

// level resolves a level argument, or returns the errno to answer. The range
// is checked on the i32 so that no value wraps into a valid int8.
func (s *session) level(fn string, v uint64) (graph.Level, uint64) {
	l := s32(v)
	if l < abi.LevelNoAccess || l > abi.LevelWrite {
		return 0, s.fail(abi.ErrBadArgument, fmt.Errorf("sandbox: %s: level %d is not one of -1 (NO_ACCESS), 0 (READ), 1 (CONNECT), 2 (WRITE)", fn, l))
	}
	return graph.Level(l), 0
}

// rootID reads a root id (32 lowercase hex digits) from guest memory, or
// returns the errno to answer.
func (s *session) rootID(fn string, ptr, n uint64) (graph.ID, uint64) {
	raw := s.read(fn, u32(ptr), u32(n))
	id, err := graph.ParseID(string(raw))
	if err != nil || id.IsZero() {
		return id, s.fail(abi.ErrBadArgument, fmt.Errorf("sandbox: %s: root id %.40q is not 32 lowercase hex digits", fn, raw))
	}
	return id, 0
}
