// Command hostile is a module that misbehaves on purpose, one public walker
// per way a guest can try to hurt its host: the host's tests call each one
// and then "ok", to check that the host survived and the module still
// serves. Never deploy it.
package main

import "github.com/walkerhost/walkerhost/sdk"

// main is never run: the host calls the module's walker_* exports.
func main() {}

// None is the walker value of walkers without fields.
type None struct{}

func (*None) Fields(*sdk.Fields) {}

func none() *None { return new(None) }

// hostile declares a public walker that runs fn on the root.
func hostile(name string, fn func(v *sdk.Visit) error) {
	sdk.Walker(name, none).Public().OnRoot(func(_ *None, v *sdk.Visit) error { return fn(v) })
}

func init() {
	hostile("ok", func(v *sdk.Visit) error { return v.Report("ok") })
	hostile("log", func(v *sdk.Visit) error {
		sdk.Log(sdk.LevelWarn, "a warning from the guest")
		println("a line on stderr")
		return v.Report("logged")
	})
	hostile("spin", spin)
	hostile("hog", hog)
	hostile("recurse", func(v *sdk.Visit) error { return v.Report(recurse(0)) })
	hostile("fork", func(v *sdk.Visit) error { return v.Report(fork(62)) })
	hostile("panic", func(*sdk.Visit) error {
		var m map[string]int
		m["boom"] = 1 // assignment to entry in nil map
		return nil
	})
}

// spins counts loop turns so that the loop has an effect to keep.
var spins uint64

// spin never returns: only the host's deadline ends it.
func spin(*sdk.Visit) error {
	for {
		spins++
	}
}

// hoard keeps every allocation reachable, so the collector frees nothing.
var hoard [][]byte

// hog allocates 1 MiB blocks, touching every page, until memory runs out.
func hog(*sdk.Visit) error {
	for {
		b := make([]byte, 1<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		hoard = append(hoard, b)
	}
}

// fork makes 2^n calls, without a loop, on a stack only n frames deep: it
// runs for ever unless the host stops it at a function entry.
func fork(n int) int {
	if n == 0 {
		return 1
	}
	return fork(n-1) + fork(n-1)
}

// recurse calls itself without end; the frame's array keeps each call from
// being optimised into a loop.
func recurse(n int) int {
	var frame [32]int
	frame[n%32] = n
	return recurse(n+1) + frame[(n+1)%32]
}
