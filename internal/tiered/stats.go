package tiered

import "sync/atomic"

// Stats are counters of a Store since it opened, for the benchmark report
// and metrics.
type Stats struct {
	L1Hits, L1Misses uint64 // point reads served, or not, by the in-process cache
	L1ScanHits       uint64 // prefix scans served by the in-process cache
	L2Hits, L2Misses uint64 // point reads served, or not, by Redis
	L3Reads          uint64 // point reads that reached MongoDB
	L3Scans          uint64 // prefix scans that reached MongoDB
	Commits          uint64 // commits stored (empty transactions not counted)
	Retries          uint64 // transactions run again after a commit of another host they had not seen
	Invalidations    uint64 // keys dropped from L1 because another commit changed them
	Flushes          uint64 // times L1 was emptied (Redis restarted, messages missed)
	Recoveries       uint64 // unfinished commits completed
}

// L1HitRatio is the share of point reads served by L1, 0 when none.
func (s Stats) L1HitRatio() float64 { return ratio(s.L1Hits, s.L1Misses) }

// L2HitRatio is the share of L1 misses that Redis served, 0 when none.
func (s Stats) L2HitRatio() float64 { return ratio(s.L2Hits, s.L2Misses) }

func ratio(hit, miss uint64) float64 {
	if hit+miss == 0 {
		return 0
	}
	return float64(hit) / float64(hit+miss)
}

// counters are the live Stats.
type counters struct {
	l1Hits, l1Misses, l1ScanHits, l2Hits, l2Misses, l3Reads, l3Scans atomic.Uint64
	commits, retries, invalidations, flushes, recoveries             atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{
		L1Hits: c.l1Hits.Load(), L1Misses: c.l1Misses.Load(), L1ScanHits: c.l1ScanHits.Load(),
		L2Hits: c.l2Hits.Load(), L2Misses: c.l2Misses.Load(),
		L3Reads: c.l3Reads.Load(), L3Scans: c.l3Scans.Load(),
		Commits: c.commits.Load(), Retries: c.retries.Load(), Invalidations: c.invalidations.Load(),
		Flushes: c.flushes.Load(), Recoveries: c.recoveries.Load(),
	}
}
