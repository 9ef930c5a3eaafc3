// Command wrongabi claims ABI version 2.
package main

import "github.com/walkerhost/walkerhost/testdata/badguests/raw"

func init() {
	raw.Manifest = []byte(`{"abi":2}`)
	raw.Version = func() int32 { return 2 }
}

func main() {}
