// Command reserved imports a host function name reserved for a later ABI.
package main

import "github.com/walkerhost/walkerhost/testdata/badguests/raw"

//go:wasmimport walker kv_get
func kvGet(ptr, n int32) int32

func init() { raw.Version = func() int32 { return kvGet(0, 0) + 1 } }

func main() {}
