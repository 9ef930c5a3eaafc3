//go:build wasip1

package main

import (
	"os"
	"unsafe"
)

//go:wasmimport walker program_size
func programSize() int32

//go:wasmimport walker program_read
func programRead(buf unsafe.Pointer, n uint32) int32

// init reads the module's program, which the host hands over during
// _initialize only (abi/ABI.md "Program"), and loads it. A program that
// does not load ends _initialize: jac build checks programs natively, so
// this happens only to modules assembled by other means.
func init() {
	n := programSize()
	buf := make([]byte, n+1) // +1: a pointer into the slice even when n is 0
	if got := programRead(unsafe.Pointer(unsafe.SliceData(buf)), uint32(n)); got != n {
		fail("reading the program failed")
	}
	if err := setup(buf[:n]); err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	os.Stderr.WriteString("jac runtime: " + msg + "\n")
	os.Exit(3)
}
