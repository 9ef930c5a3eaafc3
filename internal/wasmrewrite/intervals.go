package wasmrewrite

import (
	"slices"
	"sort"
)

// maxTrackedRuns bounds the interval set: after this many runs have been
// recorded, gaps are no longer zero-filled (adjacent segments still merge).
// It keeps the worst case at about maxTrackedRuns² / 2 interval copies.
const maxTrackedRuns = 4096

// intervalSet is a sorted set of disjoint, non-touching half-open ranges
// [start, end) of memory that earlier segments may have written.
type intervalSet struct {
	iv    []interval
	added int
}

type interval struct{ start, end uint64 }

// full reports whether the set stopped tracking (too many runs).
func (s *intervalSet) full() bool { return s.added >= maxTrackedRuns }

// intersects reports whether [a, b) overlaps any range in the set.
func (s *intervalSet) intersects(a, b uint64) bool {
	i := sort.Search(len(s.iv), func(i int) bool { return s.iv[i].end > a })
	return i < len(s.iv) && s.iv[i].start < b
}

// add inserts [a, b), coalescing with ranges it overlaps or touches.
func (s *intervalSet) add(a, b uint64) {
	if a >= b || s.full() {
		return
	}
	s.added++
	i := sort.Search(len(s.iv), func(i int) bool { return s.iv[i].end >= a })
	j := i
	for j < len(s.iv) && s.iv[j].start <= b {
		a, b = min(a, s.iv[j].start), max(b, s.iv[j].end)
		j++
	}
	s.iv = slices.Replace(s.iv, i, j, interval{a, b})
}
