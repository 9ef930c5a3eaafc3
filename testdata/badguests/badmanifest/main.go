// Command badmanifest declares a walker field of an unknown type.
package main

import "github.com/walkerhost/walkerhost/testdata/badguests/raw"

func init() {
	raw.Manifest = []byte(`{"abi":1,"sdk":"raw","nodes":[],"edges":[],"functions":[],"walkers":[{"name":"w","access":"public","method":"POST","fields":[{"name":"f","type":"text"}]}]}`)
}

func main() {}
