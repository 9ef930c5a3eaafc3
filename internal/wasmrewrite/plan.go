package wasmrewrite

import "math"

// run is a group of consecutive segments emitted as one segment. A run of
// one segment is copied verbatim. Runs are all the planner stores: 12
// bytes per output segment.
type run struct {
	n     uint32 // number of input segments
	size  uint32 // n == 1: encoded size; n > 1: merged data length
	start uint32 // n > 1: memory offset of the merged segment
}

// holeMin: a run's extent is recorded without the zero-filled gaps of at
// least this size, so that out-of-order segments written into them later
// can still be merged.
const holeMin = 4096

// planner groups segments into runs, in order.
type planner struct {
	maxGap  uint64
	budget  uint64 // zero-fill bytes left
	merge   bool   // false: every segment is its own run
	open    bool   // the last run is a run of constant segments
	end     uint64 // end of the open run
	sub     uint64 // start of the open run's extent not yet in written
	written intervalSet
	opaque  bool // an earlier memory-0 segment wrote at an unknown offset
	runs    []run
}

func (p *planner) add(_ int, s *segment) {
	if s.kind == segConst && p.open && p.extend(s) {
		return
	}
	if p.open {
		p.written.add(p.sub, p.end)
	}
	p.runs = append(p.runs, run{n: 1, size: uint32(len(s.raw)), start: s.offset})
	p.open = p.merge && s.kind == segConst
	p.sub, p.end = uint64(s.offset), s.end()
	if s.kind == segOpaque {
		p.opaque = true
	}
}

// extend appends s to the open run if that keeps the memory image
// identical: s starts at or after the run's end and, if there is a gap,
// the gap is small, within budget, and provably still zero: no earlier
// segment may have written into it. The run's own segments end before the
// gap, so only earlier runs (recorded as extents, a superset of what they
// wrote, minus their large zero-filled gaps) and segments with unknown
// offsets matter.
func (p *planner) extend(s *segment) bool {
	r := &p.runs[len(p.runs)-1]
	off := uint64(s.offset)
	if off < p.end || s.end()-uint64(r.start) > math.MaxUint32 {
		return false
	}
	if gap := off - p.end; gap > 0 {
		if gap > p.maxGap || gap > p.budget || p.opaque || p.written.full() || p.written.intersects(p.end, off) {
			return false
		}
		p.budget -= gap
		if gap >= holeMin {
			p.written.add(p.sub, p.end) // leave the large hole out
			p.sub = off
		}
	}
	p.end = s.end()
	r.n++
	r.size = uint32(p.end - uint64(r.start))
	return true
}
