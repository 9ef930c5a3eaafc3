// Command duproute declares two walkers on the same method and path.
package main

import "github.com/walkerhost/walkerhost/testdata/badguests/raw"

func init() {
	raw.Manifest = []byte(`{"abi":1,"sdk":"raw","nodes":[],"edges":[],"functions":[],"walkers":[{"name":"a","access":"public","method":"POST","path":"/dup","fields":[]},{"name":"b","access":"public","method":"POST","path":"/dup","fields":[]}]}`)
}

func main() {}
