// Command initloop never finishes initialising: its init spins forever.
package main

import _ "github.com/walkerhost/walkerhost/testdata/badguests/raw"

var spins int

func init() {
	for {
		spins++
	}
}

func main() {}
