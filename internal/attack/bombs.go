package attack

import (
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/testenv/wasmbomb"
)

// Bombs returns the hand-made hostile modules the upload attack offers:
// each costs the host far more than its size, or runs for ever in a call
// made while loading, or calls the host where it may not. Every one must
// be refused, promptly.
func Bombs() map[string][]byte {
	loopless := func(recurse, hostCall string) []byte {
		return wasmbomb.Spec{Manifest: wasmbomb.PublicManifest, Recurse: recurse, HostCall: hostCall}.Build()
	}
	return map[string][]byte{
		"two tables of 2^26 entries":        wasmbomb.Spec{Tables: []uint32{1 << 26, 1 << 26}}.Build(),
		"100 000 nested blocks":             wasmbomb.Spec{Nesting: 100_000}.Build(),
		"2 M empty functions":               wasmbomb.Spec{Functions: 2_000_000}.Build(),
		"10 M locals":                       wasmbomb.Spec{Locals: 10_000_000}.Build(),
		"8 000 walkers":                     wasmbomb.Spec{Manifest: wasmbomb.Walkers(8000)}.Build(),
		"40 MiB module":                     wasmbomb.Spec{Pad: 40 << 20}.Build(),
		"recursion in _initialize":          loopless(abi.ExportInitialize, ""),
		"recursion in walker_abi_version":   loopless(abi.ExportABIVersion, ""),
		"recursion in walker_manifest":      loopless(abi.ExportManifest, ""),
		"a host call in _initialize":        loopless("", abi.ExportInitialize),
		"a host call in walker_abi_version": loopless("", abi.ExportABIVersion),
		"no sched_yield import":             wasmbomb.Spec{Manifest: wasmbomb.PublicManifest, NoYield: true}.Build(),
	}
}
