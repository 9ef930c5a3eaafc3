// Command hostroute declares a walker on GET /healthz, a route of the host.
package main

import "github.com/walkerhost/walkerhost/testdata/badguests/raw"

func init() {
	raw.Manifest = []byte(`{"abi":1,"sdk":"raw","nodes":[],"edges":[],"functions":[],"walkers":[{"name":"x","access":"public","method":"GET","path":"/healthz","fields":[]}]}`)
}

func main() {}
