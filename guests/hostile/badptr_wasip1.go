//go:build wasip1

package main

// Raw host imports with plain integer arguments, so that badptr can pass
// addresses the SDK never would.

//go:wasmimport walker report
func rawReport(ptr, n uint32) int32

//go:wasmimport walker output
func rawOutput(ptr, n uint32) int32

//go:wasmimport walker obj_read
func rawObjRead(h, buf, cap uint32) int32

//go:wasmimport walker obj_get
func rawObjGet(ptr, n uint32) int32

//go:wasmimport walker node_create
func rawNodeCreate(typ, ptr, n uint32) int32

//go:wasmimport walker edge_query
func rawEdgeQuery(h uint32, dir, etype, ntype, flags int32, buf, cap uint32) int32

//go:wasmimport walker error_take
func rawErrorTake(buf, cap uint32) int32
