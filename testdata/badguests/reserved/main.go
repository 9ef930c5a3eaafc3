// Command reserved imports a host function name reserved for a later ABI.
package main

import "unsafe"

var manifest = []byte(`{"abi":1}`)

//go:wasmimport walker kv_get
func kvGet(ptr, n int32) int32

//go:wasmexport walker_abi_version
func version() int32 { return kvGet(0, 0) + 1 }

//go:wasmexport walker_manifest
func describe() int64 {
	return int64(uintptr(unsafe.Pointer(&manifest[0])))<<32 | int64(len(manifest))
}

var arena []byte

//go:wasmexport walker_alloc
func alloc(n int32) int32 {
	arena = make([]byte, n)
	return int32(uintptr(unsafe.Pointer(&arena[0])))
}

//go:wasmexport walker_handle
func handle(n int32) int32 { return 0 }

func main() {}
