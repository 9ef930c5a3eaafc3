// Package capability is how host functions plug into the sandbox. A
// Capability is one family of functions of import module "walker" (graph,
// permissions, output, storage, kvstore, ...): their signatures and Go
// code, the errnos its errors map to, and optionally state kept per call.
// The sandbox instantiates the functions of the capabilities it is given
// (sandbox.Options.Capabilities) and serves each call with a Call.
//
// A capability that reaches a service (files, a database, a mail relay)
// lives in its own package under internal/capability, so that the sandbox
// links no driver: only the program that registers the capability does.
// docs/CAPABILITIES.md says how to add one.
package capability

import (
	"errors"
	"time"

	"github.com/tetratelabs/wazero/api"
	"github.com/walkerhost/walkerhost/abi"
)

// Capability is a family of host functions. Its methods are called once,
// when an engine is created.
type Capability interface {
	// Name names the capability in messages and metrics ("storage").
	Name() string
	// Funcs are its host functions of module abi.ImportModule.
	Funcs() []Func
	// Errnos map the errors its functions pass to Call.Fail.
	Errnos() []Errno
}

// Stateful is a Capability that keeps state per call. The sandbox creates
// one State per instance the first time a call asks for it (Call.State),
// and resets it before every later call, so a call allocates nothing for
// it.
type Stateful interface {
	Capability
	NewState() State
}

// State is what a Stateful capability keeps for a call.
type State interface {
	// Reset empties the state for the next call.
	Reset()
}

// Func is one host function. The sandbox counts each call against the
// host-call limit and refuses it outside a request before Fn runs.
type Func struct {
	Name            string // as imported, e.g. abi.FuncStoreCall
	Params, Results []api.ValueType
	// Fn serves one call: it reads its arguments from stack and writes its
	// results there, as wazero's api.GoModuleFunc does.
	Fn func(c Call, stack []uint64)
}

// I32 returns n i32 value types, the signature of most host functions.
func I32(n int) []api.ValueType {
	p := make([]api.ValueType, n)
	for i := range p {
		p[i] = api.ValueTypeI32
	}
	return p
}

// Errno maps errors wrapping Err to an errno, or, when Limit is set, to the
// end of the call with that limit (LIMIT_EXCEEDED naming it) and Value(the
// call's limits) as its configured value.
type Errno struct {
	Err   error
	Errno abi.Errno
	Limit string
	Value func(Limits) string
}

// Limits are the limits of the call a host function may need.
type Limits struct {
	MaxResult    int64 // bytes a result may take: what guest memory can hold
	StorageBytes int64 // the app's storage quota (0: none)
	KVValueBytes int   // the largest value one key-value write stores
}

// Call is the call a host function serves: the guest's memory, the
// results it hands back and the errors it answers with. It is valid during
// the host function only.
type Call interface {
	// App is the app the call runs for: the namespace of its files and
	// stores ("" when it runs for none).
	App() string
	// Deadline is the call's time limit, for the servers a function calls.
	Deadline() time.Time
	Limits() Limits
	// Read returns a view of guest memory; a range outside it ends the call
	// (the guest traps).
	Read(fn string, ptr, n uint32) []byte
	// Give delivers a variable-size result (abi/ABI.md "Variable-size
	// results"): written to (buf, capacity) when it fits, else kept for
	// result_take. It returns the stack value to answer: the length.
	Give(fn string, buf, capacity uint32, data []byte) uint64
	// Fail records err for error_take and returns the stack value of its
	// errno, mapped by the Errnos of every capability (ErrBadArgument when
	// none matches); an Errno with a Limit ends the call instead.
	Fail(err error) uint64
	// FailWith is Fail with the errno given.
	FailWith(e abi.Errno, err error) uint64
	// Scratch is a buffer the call reuses for results; SetScratch keeps
	// what it grew to.
	Scratch() []byte
	SetScratch(b []byte)
	// Upload returns the bytes of the request's upload id (abi/ABI.md
	// "Uploads"), or an error wrapping ErrNoUpload.
	Upload(id int64) ([]byte, error)
	// State returns c's state for this call (see Stateful).
	State(c Stateful) State
}

// ErrNoUpload marks an upload id that was not issued to the request; it
// maps to abi.ErrNotFound.
var ErrNoUpload = errors.New("sandbox: no such upload")
