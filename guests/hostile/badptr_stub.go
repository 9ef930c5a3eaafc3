//go:build !wasip1

package main

import "github.com/walkerhost/walkerhost/abi"

// Native twins of the raw imports: outside wasm there is no linear memory
// to point out of, so each answers ErrBadArgument.

const errBadArgument = int32(abi.ErrBadArgument)

func rawReport(ptr, n uint32) int32          { return errBadArgument }
func rawOutput(ptr, n uint32) int32          { return errBadArgument }
func rawObjRead(h, buf, cap uint32) int32    { return errBadArgument }
func rawObjGet(ptr, n uint32) int32          { return errBadArgument }
func rawNodeCreate(typ, ptr, n uint32) int32 { return errBadArgument }
func rawEdgeQuery(h uint32, dir, etype, ntype, flags int32, buf, cap uint32) int32 {
	return errBadArgument
}
func rawErrorTake(buf, cap uint32) int32 { return errBadArgument }
