// Package abi holds the constants and the value encoding of walker ABI v1,
// shared by the host and the guest SDK so that neither imports the other.
//
// ABI.md beside this file is the normative text; every name here points back
// to its section there.
package abi

// Version is the ABI version a guest reports from ExportABIVersion and the
// host requires. See ABI.md "Versioning".
const Version = 1

// ImportModule is the wasm module name of every host function. See ABI.md
// "Host imports".
const ImportModule = "walker"

// Guest exports. See ABI.md "Guest exports".
const (
	// ExportABIVersion is `walker_abi_version() -> i32`.
	ExportABIVersion = "walker_abi_version"
	// ExportManifest is `walker_manifest() -> i64`: ptr<<32 | len of the
	// manifest JSON in guest memory.
	ExportManifest = "walker_manifest"
	// ExportAlloc is `walker_alloc(size i32) -> i32`: a guest-owned input
	// arena of at least size bytes, valid until the next walker_alloc.
	ExportAlloc = "walker_alloc"
	// ExportHandle is `walker_handle(len i32) -> i32`: runs the request
	// record in the arena and returns a Status.
	ExportHandle = "walker_handle"
	// ExportInitialize is the reactor initialiser Go emits for
	// -buildmode=c-shared; the host runs it once per instance.
	ExportInitialize = "_initialize"
)

// Host imports, all in module ImportModule. See ABI.md "Host imports".
const (
	FuncNodeCreate     = "node_create"     // (type, ptr, len) -> handle
	FuncObjGet         = "obj_get"         // (id_ptr, id_len) -> handle
	FuncObjRead        = "obj_read"        // (h, buf, cap) -> len
	FuncObjUpdate      = "obj_update"      // (h, ptr, len) -> 0
	FuncObjDelete      = "obj_delete"      // (h) -> 0
	FuncEdgeConnect    = "edge_connect"    // (src, dst, type, ptr, len) -> handle
	FuncEdgeDisconnect = "edge_disconnect" // (src, dst, type) -> count
	FuncEdgeQuery      = "edge_query"      // (h, dir, etype, ntype, flags, buf, cap) -> len
	FuncReport         = "report"          // (ptr, len) -> 0
	FuncOutput         = "output"          // (ptr, len) -> 0
	FuncLog            = "log"             // (level, ptr, len)
	FuncErrorTake      = "error_take"      // (buf, cap) -> len
	FuncResultTake     = "result_take"     // (buf, cap) -> len
	FuncNow            = "now"             // () -> unix nanoseconds

	// Permissions. See ABI.md "Permissions".
	FuncPermGrant    = "perm_grant"    // (h, level) -> 0
	FuncPermRevoke   = "perm_revoke"   // (h) -> 0
	FuncAllowRoot    = "allow_root"    // (h, root_ptr, root_len, level) -> 0
	FuncDisallowRoot = "disallow_root" // (h, root_ptr, root_len) -> 0

	// Storage, key-value stores and uploads. See ABI.md "Storage",
	// "Key-value stores" and "Uploads".
	FuncStoreCall  = "store_call"  // (op, args_ptr, args_len, buf, cap) -> len
	FuncKVCall     = "kv_call"     // (op, args_ptr, args_len, buf, cap) -> len
	FuncUploadRead = "upload_read" // (id, offset i64, buf, cap) -> n

	// The program a module carries, for _initialize only. See ABI.md
	// "Program".
	FuncProgramSize = "program_size" // () -> len
	FuncProgramRead = "program_read" // (buf, cap) -> len
)

// ProgramSection is the name of the custom section holding a module's
// program: data for a runtime guest (a Jac program's source) that the host
// strips before compiling and hands to each instance during _initialize, so
// that modules differing only in their program compile once. See ABI.md
// "Program".
const ProgramSection = "walker.program"

// Access levels for perm_grant and allow_root, each including the ones
// below it. See ABI.md "Permissions".
const (
	LevelNoAccess int32 = -1 // nothing; an explicit per-root entry overrides grants to everyone
	LevelRead     int32 = 0  // see the object and its fields, visit it, find it in edge queries
	LevelConnect  int32 = 1  // connect edges to and from it (needed on both ends)
	LevelWrite    int32 = 2  // change its fields and permissions, delete it
)

// LevelName returns the contract's name of an access level ("NO_ACCESS",
// "READ", "CONNECT", "WRITE"), or "" for any other value.
func LevelName(l int32) string {
	switch l {
	case LevelNoAccess:
		return "NO_ACCESS"
	case LevelRead:
		return "READ"
	case LevelConnect:
		return "CONNECT"
	case LevelWrite:
		return "WRITE"
	}
	return ""
}

// Reserved import name prefixes for later ABI revisions; a v1 host refuses
// modules that import a name with one of them that it does not define
// (store_call and kv_call are defined). See ABI.md "Reserved names".
var ReservedPrefixes = []string{"store_", "kv_", "walker_spawn"}

// Status is what walker_handle returns. See ABI.md "walker_handle".
type Status int32

const (
	// StatusOK: the walker finished; reports and output are the response.
	StatusOK Status = 0
	// StatusFailed: the walker or function returned an error or panicked; its
	// message was passed to output as a string.
	StatusFailed Status = 1
	// StatusBadRequest: the guest could not decode the request record or does
	// not know the named walker; a host/guest mismatch.
	StatusBadRequest Status = 2
	// StatusPanicked: walker code panicked and the SDK recovered; the message
	// was passed to output. The host discards the instance, whose globals
	// may be half-updated.
	StatusPanicked Status = 3
)

// Errno is a negative i32 that a host function returns instead of a result.
// The message of the last one is available through error_take. See ABI.md
// "Errors".
type Errno int32

const (
	ErrBadHandle   Errno = -1 // the handle is not one this request issued
	ErrNotFound    Errno = -2 // no object with that id, or it was deleted
	ErrDenied      Errno = -3 // the caller lacks the access level the call needs
	ErrBadArgument Errno = -4 // malformed encoding, wrong value kind, bad enum
	ErrUnknownType Errno = -5 // a type id outside the manifest's tables
	ErrNoResult    Errno = -6 // result_take or error_take with nothing pending
	ErrUnsupported Errno = -7 // a key-value method of the other kind of store
	ErrUnavailable Errno = -8 // the storage or the database is not configured or failed
	ErrTooLarge    Errno = -9 // the result is larger than the guest's memory limit
)

// String names the errno the way ABI.md does.
func (e Errno) String() string {
	switch e {
	case ErrBadHandle:
		return "bad handle"
	case ErrNotFound:
		return "not found"
	case ErrDenied:
		return "permission denied"
	case ErrBadArgument:
		return "bad argument"
	case ErrUnknownType:
		return "unknown type"
	case ErrNoResult:
		return "no result"
	case ErrUnsupported:
		return "not supported"
	case ErrUnavailable:
		return "unavailable"
	case ErrTooLarge:
		return "too large"
	}
	return "unknown errno"
}

// ClientStatuses are the HTTP statuses a walker or function may fail with
// deliberately, by passing {"status", "message"} to output with
// StatusFailed. See ABI.md "walker_handle status".
var ClientStatuses = []int{400, 401, 403, 404, 409}

// Request kinds, the first byte of a request record. See ABI.md "Request record".
const (
	KindWalker   byte = 1
	KindFunction byte = 2
)

// Object kinds in an obj_read record.
const (
	ObjNode byte = 1
	ObjEdge byte = 2
)

// Type ids. Built-in types come first; declared node and edge types follow in
// manifest order starting at 1. See ABI.md "Type ids".
const (
	TypeRoot        uint32 = 0          // node type id of every user root
	TypeGenericEdge uint32 = 0          // edge type id of an untyped edge
	TypeUnknown     uint32 = 0xFFFFFFFF // a type the running module does not declare
	TypeAny         int32  = -1         // wildcard in edge_query / edge_disconnect
)

// Directions for edge_query.
const (
	DirOut  int32 = 1
	DirIn   int32 = 2
	DirBoth int32 = 3
)

// Flags for edge_query.
const (
	QueryNodeData int32 = 1 << 0 // include each neighbour's id and fields
	QueryEdgeData int32 = 1 << 1 // include each edge's id and fields
)

// Log levels for log.
const (
	LogDebug int32 = 0
	LogInfo  int32 = 1
	LogWarn  int32 = 2
	LogError int32 = 3
)

// Handle 0 is never issued; it means "none".
const NoHandle uint32 = 0
