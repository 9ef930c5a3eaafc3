package fakehost

import (
	"strconv"

	"github.com/walkerhost/walkerhost/abi"
)

// Report is report: the value is checked and kept, or dropped when
// discarding.
func (h *Host) Report(v []byte) int32 {
	if err := h.check(v); err != nil {
		return h.fail(abi.ErrBadArgument, "report: "+err.Error())
	}
	if h.Discard {
		h.Discarded++
		return 0
	}
	h.Reports = append(h.Reports, append([]byte(nil), v...))
	return 0
}

// Output is output: the last call wins.
func (h *Host) Output(v []byte) int32 {
	if err := h.check(v); err != nil {
		return h.fail(abi.ErrBadArgument, "output: "+err.Error())
	}
	if !h.Discard {
		h.Result = append([]byte(nil), v...)
	}
	return 0
}

// check validates one value: decoding it, or only walking over it when
// discarding.
func (h *Host) check(v []byte) error {
	if !h.Discard {
		_, err := abi.DecodeValue(v)
		return err
	}
	var r abi.Reader
	r.Reset(v)
	r.Skip()
	return r.Done()
}

// Log is log.
func (h *Host) Log(level int32, msg string) {
	h.Logs = append(h.Logs, strconv.Itoa(int(level))+": "+msg)
}

// ErrorTake is error_take: the message of the last errno, variable-size.
func (h *Host) ErrorTake(buf []byte) int32 {
	if !h.hasErr {
		return int32(abi.ErrNoResult)
	}
	h.ErrorTaken = true
	return h.result([]byte(h.lastErr), buf)
}

// ResultTake is result_take.
func (h *Host) ResultTake(buf []byte) int32 {
	if h.pending == nil {
		return int32(abi.ErrNoResult)
	}
	n := int32(len(h.pending))
	if len(buf) >= len(h.pending) {
		copy(buf, h.pending)
		h.pending = nil
	}
	return n
}

// Now is now.
func (h *Host) Now() int64 { return h.now() }
