//go:build wasip1

package sdk

import (
	"unsafe"

	"github.com/walkerhost/walkerhost/abi"
)

// arena is the input arena walker_alloc hands to the host. The package
// variable keeps it alive between the host's write and walker_handle.
var arena []byte

//go:wasmexport walker_abi_version
func walkerABIVersion() int32 { return abi.Version }

// walkerManifest returns ptr<<32 | len of the manifest JSON, which lives in a
// package variable for the life of the instance.
//
//go:wasmexport walker_manifest
func walkerManifest() uint64 {
	m := ManifestJSON()
	return uint64(uintptr(bytesPtr(m)))<<32 | uint64(len(m))
}

// walkerAlloc grows the arena to at least size bytes. The host calls it only
// to grow, so the old arena is simply dropped.
//
//go:wasmexport walker_alloc
func walkerAlloc(size int32) uint32 {
	if size < 1 {
		size = 1
	}
	if int(size) > len(arena) {
		arena = make([]byte, size)
	}
	return uint32(uintptr(unsafe.Pointer(&arena[0])))
}

//go:wasmexport walker_handle
func walkerHandle(n int32) int32 {
	if n < 0 || int(n) > len(arena) {
		return int32(abi.StatusBadRequest)
	}
	return int32(HandleRecord(arena[:n]))
}
