// Command hostroute declares a walker on GET /healthz, a route of the host.
package main

import "unsafe"

var manifest = []byte(`{"abi":1,"sdk":"raw","nodes":[],"edges":[],"functions":[],"walkers":[{"name":"x","access":"public","method":"GET","path":"/healthz","fields":[]}]}`)

//go:wasmexport walker_abi_version
func version() int32 { return 1 }

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
