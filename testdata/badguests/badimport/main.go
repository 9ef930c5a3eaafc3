// Command badimport imports a function the host does not provide.
package main

import "github.com/walkerhost/walkerhost/testdata/badguests/raw"

//go:wasmimport env steal_secrets
func steal() int32

func init() { raw.Version = steal }

func main() {}
