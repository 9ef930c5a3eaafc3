package sandbox

import (
	"time"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/capability"
)

// The session is the capability.Call every host function serves.

// App is the app the call runs for.
func (s *session) App() string { return s.app }

// Deadline is the call's time limit.
func (s *session) Deadline() time.Time { return s.deadline }

// Limits are the limits of the call a capability needs.
func (s *session) Limits() capability.Limits {
	lim := s.limits()
	return capability.Limits{MaxResult: s.maxResult(), StorageBytes: lim.StorageBytes, KVValueBytes: lim.KVValueBytes}
}

// maxResult is the largest result a call may hand the guest: what its
// memory can hold.
func (s *session) maxResult() int64 { return int64(s.limits().MemoryMB) << 20 }

// Read returns a view of guest memory; a range outside it ends the call.
func (s *session) Read(fn string, ptr, n uint32) []byte { return s.read(fn, ptr, n) }

// Give delivers a variable-size result.
func (s *session) Give(fn string, buf, capacity uint32, data []byte) uint64 {
	return s.give(fn, buf, capacity, data)
}

// FailWith answers a host call with errno e and records err for error_take.
func (s *session) FailWith(e abi.Errno, err error) uint64 { return s.fail(e, err) }

// Scratch is the call's reusable result buffer.
func (s *session) Scratch() []byte { return s.scratch }

// SetScratch keeps b, the scratch buffer as it grew.
func (s *session) SetScratch(b []byte) { s.scratch = b }

// Upload returns the bytes of upload id.
func (s *session) Upload(id int64) ([]byte, error) {
	up, err := s.upload(id)
	if err != nil {
		return nil, err
	}
	return up.Data, nil
}

// State returns c's state for this call: made on first use in this
// instance, reset on first use in each later call.
func (s *session) State(c capability.Stateful) capability.State {
	st := &s.states
	for i, sc := range s.inst.m.engine.host.stateful {
		if sc != c {
			continue
		}
		if st.vals == nil {
			st.vals = make([]capability.State, len(s.inst.m.engine.host.stateful))
			st.calls = make([]uint64, len(st.vals))
		}
		switch {
		case st.vals[i] == nil:
			st.vals[i] = c.NewState()
		case st.calls[i] != st.call:
			st.vals[i].Reset()
		}
		st.calls[i] = st.call
		return st.vals[i]
	}
	panic(&abort{execErr(OutcomeError, "sandbox: capability %s is not registered with this engine", c.Name())})
}

var _ capability.Call = (*session)(nil)

// capStates are the states of the engine's Stateful capabilities in one
// instance, by their index; calls[i] is the call that last used vals[i],
// counting the instance's calls in call.
type capStates struct {
	vals  []capability.State
	calls []uint64
	call  uint64
}
