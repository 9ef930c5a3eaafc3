// Package raw exports the walker ABI with nothing behind it, so that each
// bad guest states only the one rule it breaks: its manifest, its version
// or an import the host refuses.
package raw

import "unsafe"

// Manifest is what walker_manifest returns.
var Manifest = []byte(`{"abi":1}`)

// Version is what walker_abi_version returns; a guest may call an import
// from it, so that the host meets that import at load.
var Version = func() int32 { return 1 }

//go:wasmexport walker_abi_version
func version() int32 { return Version() }

//go:wasmexport walker_manifest
func describe() int64 {
	return int64(uintptr(unsafe.Pointer(&Manifest[0])))<<32 | int64(len(Manifest))
}

var arena []byte

//go:wasmexport walker_alloc
func alloc(n int32) int32 {
	arena = make([]byte, n)
	return int32(uintptr(unsafe.Pointer(&arena[0])))
}

//go:wasmexport walker_handle
func handle(n int32) int32 { return 0 }
