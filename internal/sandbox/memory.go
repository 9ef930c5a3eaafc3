package sandbox

import (
	"context"
	"strconv"

	"github.com/walkerhost/walkerhost/abi"
)

// enter starts a host function: it finds the call's session and counts the
// call against the host-call limit.
func enter(ctx context.Context) *session {
	s := &instanceFrom(ctx).sess
	if s.inst.turn.holding {
		s.inst.m.engine.cpu.release(&s.inst.turn)
	}
	s.hostCalls++
	if s.hostCalls > s.limits().MaxHostCalls {
		s.stop(&LimitError{Limit: "host_calls", Value: strconv.Itoa(s.limits().MaxHostCalls)})
	}
	return s
}

// read returns a view of guest memory; a range outside it ends the call.
func (s *session) read(fn string, ptr, n uint32) []byte {
	b, ok := s.inst.mem.Read(ptr, n)
	if !ok {
		s.stop(abortf("guest passed an out-of-range pointer to %s.%s (ptr %#x, len %d, memory %d bytes)",
			abi.ImportModule, fn, ptr, n, s.inst.mem.Size()).err)
	}
	return b
}

// give delivers a variable-size result: written to (buf, cap) when it fits,
// else kept for result_take. It returns the result's length.
func (s *session) give(fn string, buf, capacity uint32, data []byte) uint64 {
	if uint32(len(data)) <= capacity {
		copy(s.read(fn, buf, uint32(len(data))), data)
		s.hasPending = false
		return uint64(len(data))
	}
	s.pending = append(s.pending[:0], data...)
	s.hasPending = true
	return uint64(len(data))
}

// s32 reads a stack slot as the i32 the guest passed.
func s32(v uint64) int32 { return int32(uint32(v)) }
