//go:build wasip1

package main

import "unsafe"

//go:wasmimport walker program_size
func programSize() int32

//go:wasmimport walker program_read
func programRead(buf unsafe.Pointer, n uint32) int32

// init reads the module's program, which the host hands over during
// _initialize only (abi/ABI.md "Program"); the SDK has no call for it, so
// the guest imports the two functions itself.
func init() {
	n := programSize()
	buf := make([]byte, n+1) // +1: a pointer into the slice even when n is 0
	if programRead(unsafe.Pointer(unsafe.SliceData(buf)), uint32(n)) == n {
		program = string(buf[:n])
	}
}
