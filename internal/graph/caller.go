package graph

// Caller is who a Tx acts for: a user's root (or the guest root), or the
// host itself.
type Caller struct {
	// Root is the caller's root node; it owns what the caller creates.
	Root ID
	// System callers have Write on everything (host maintenance, admin).
	System bool
}

// Op names a graph operation in a Denial, as in the contract's warnings
// (`{"code":"PERMISSION_DENIED","op":"connect","node":"<id>"}`).
type Op string

// Operations that check permissions.
const (
	OpGet          Op = "get"
	OpUpdate       Op = "update"
	OpDelete       Op = "delete"
	OpConnect      Op = "connect"
	OpDisconnect   Op = "disconnect"
	OpEdges        Op = "edges"
	OpPermGrant    Op = "perm_grant"
	OpPermRevoke   Op = "perm_revoke"
	OpAllowRoot    Op = "allow_root"
	OpDisallowRoot Op = "disallow_root"
)

// Denial records one operation refused for lack of permission.
type Denial struct {
	Op     Op
	Object ID
}
