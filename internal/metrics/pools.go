package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// PoolStats is the state of one module's instance pool at a scrape (the
// fields of sandbox.PoolStats).
type PoolStats struct {
	Idle, InUse, Capacity int
	Created, Discarded    int64
	LongCalls, CoreWaits  int64
}

// Pool makes every scrape report the pool of module as stats returns it,
// in place of the pool reported so far under that name (a new version of
// an app's module replaces the old one).
func (m *Metrics) Pool(module string, stats func() PoolStats) {
	if m == nil {
		return
	}
	m.pools.mu.Lock()
	defer m.pools.mu.Unlock()
	for i := range m.pools.pools {
		if m.pools.pools[i].module == module {
			m.pools.pools[i].stats = stats
			return
		}
	}
	m.pools.pools = append(m.pools.pools, pool{module, stats})
}

type pool struct {
	module string
	stats  func() PoolStats
}

// poolCollector reads the pools' statistics at scrape time, so that serving
// a request never touches a gauge.
type poolCollector struct {
	mu    sync.Mutex
	pools []pool
}

var (
	poolInstances = prometheus.NewDesc(Namespace+"_pool_instances",
		"Instances of a module's pool, by state (idle, in_use).", []string{"module", "state"}, nil)
	poolCapacity = prometheus.NewDesc(Namespace+"_pool_capacity",
		"Most instances a module's pool may hold: its concurrency limit.", []string{"module"}, nil)
	poolCreated = prometheus.NewDesc(Namespace+"_pool_instances_created_total",
		"Instances created for a module since it was loaded.", []string{"module"}, nil)
	poolDiscarded = prometheus.NewDesc(Namespace+"_pool_instances_discarded_total",
		"Instances discarded after a trap, a limit or a panic since the module was loaded.", []string{"module"}, nil)
	longCalls = prometheus.NewDesc(Namespace+"_walker_long_calls_total",
		"Calls of a module that ran past their first millisecond and from then on took turns on the cores.", []string{"module"}, nil)
	coreWaits = prometheus.NewDesc(Namespace+"_walker_core_waits_total",
		"Times a long call of a module waited for a core: the module is being held to its share.", []string{"module"}, nil)
)

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolInstances, poolCapacity, poolCreated, poolDiscarded, longCalls, coreWaits} {
		ch <- d
	}
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	pools := c.pools
	c.mu.Unlock()
	for _, p := range pools {
		s := p.stats()
		ch <- prometheus.MustNewConstMetric(poolInstances, prometheus.GaugeValue, float64(s.Idle), p.module, "idle")
		ch <- prometheus.MustNewConstMetric(poolInstances, prometheus.GaugeValue, float64(s.InUse), p.module, "in_use")
		ch <- prometheus.MustNewConstMetric(poolCapacity, prometheus.GaugeValue, float64(s.Capacity), p.module)
		ch <- prometheus.MustNewConstMetric(poolCreated, prometheus.CounterValue, float64(s.Created), p.module)
		ch <- prometheus.MustNewConstMetric(poolDiscarded, prometheus.CounterValue, float64(s.Discarded), p.module)
		ch <- prometheus.MustNewConstMetric(longCalls, prometheus.CounterValue, float64(s.LongCalls), p.module)
		ch <- prometheus.MustNewConstMetric(coreWaits, prometheus.CounterValue, float64(s.CoreWaits), p.module)
	}
}
