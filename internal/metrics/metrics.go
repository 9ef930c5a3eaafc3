// Package metrics keeps the host's Prometheus metrics in a registry of its
// own (never the global default) and writes them in the text exposition
// format for /metrics. The server, the store and the module pools report to
// it through plain methods, so no other package handles Prometheus types.
// docs/OPERATIONS.md lists every series.
package metrics

import (
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/common/expfmt"
)

// Namespace prefixes every series of the host.
const Namespace = "jac"

// Unmatched is the route label of requests that matched no route.
const Unmatched = "unmatched"

// Metrics is the host's metric registry. Its methods are safe for
// concurrent use, and a nil *Metrics ignores every report.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec   // route, method, status
	latency  *prometheus.HistogramVec // route, method
	runs     *prometheus.CounterVec   // module, walker, outcome
	aborts   *prometheus.CounterVec   // module, kind
	store    *prometheus.HistogramVec // op
	pools    *poolCollector
	apps     appCollector

	refused *prometheus.CounterVec // limit
}

// New returns a registry with the host's series and the Go runtime and
// process collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace,
			Name: "http_requests_total", Help: "HTTP requests answered, by route pattern, method and status."},
			[]string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: Namespace,
			Name: "http_request_duration_seconds", Help: "Time from routing a request to its answer, by route pattern and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}},
			[]string{"route", "method"}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace,
			Name: "walker_runs_total", Help: "Walker and function runs, by module, walker and outcome (ok, error, panic, trap, limit)."},
			[]string{"module", "walker", "outcome"}),
		aborts: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace,
			Name: "walker_aborts_total", Help: "Runs ended by a limit, a panic or a trap, by module and kind (time, memory, stack, report_bytes, host_calls, handles, concurrency, stream_buffer, panic, trap)."},
			[]string{"module", "kind"}),
		store: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: Namespace,
			Name: "store_duration_seconds", Help: "Store write latency: op=update is one read-write transaction, op=batch one group-committed write as its caller waits for it.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1}},
			[]string{"op"}),
		pools: &poolCollector{},
		apps:  newAppCollector(),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace,
			Name: "connections_refused_total", Help: "Client connections refused before any request, by limit (connections, connections_per_ip)."},
			[]string{"limit"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.runs, m.aborts, m.store, m.pools, m.apps.failed, m.apps.failures, m.refused,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Route is the metrics of one route, resolved when the route is registered
// so that a request costs no look-up of its route and method labels.
type Route struct {
	latency  prometheus.Observer
	requests *prometheus.CounterVec // curried with route and method

	mu       sync.RWMutex
	byStatus map[int]prometheus.Counter
}

// Route returns the metrics of the route pattern served for method.
func (m *Metrics) Route(pattern, method string) *Route {
	if m == nil {
		return nil
	}
	labels := prometheus.Labels{"route": pattern, "method": method}
	return &Route{latency: m.latency.With(labels), requests: m.requests.MustCurryWith(labels),
		byStatus: map[int]prometheus.Counter{}}
}

// Observe counts one answered request with its status and duration.
func (r *Route) Observe(status int, took time.Duration) {
	if r == nil {
		return
	}
	r.latency.Observe(took.Seconds())
	r.mu.RLock()
	c, ok := r.byStatus[status]
	r.mu.RUnlock()
	if !ok {
		c = r.requests.WithLabelValues(strconv.Itoa(status))
		r.mu.Lock()
		r.byStatus[status] = c
		r.mu.Unlock()
	}
	c.Inc()
}

// ConnectionRefused counts a connection refused by the named limit.
func (m *Metrics) ConnectionRefused(limit string) {
	if m != nil {
		m.refused.WithLabelValues(limit).Inc()
	}
}

// Outcomes are the values of the outcome label of jac_walker_runs_total.
var Outcomes = []string{"ok", "error", "panic", "trap", "limit"}

// Walker is the run counters of one walker or function, resolved when its
// route is registered; its series exist, at zero, from then on.
type Walker struct {
	runs   []prometheus.Counter // by index in Outcomes
	aborts *prometheus.CounterVec
}

// Walker returns the counters of walker (or function) in module.
func (m *Metrics) Walker(module, walker string) *Walker {
	if m == nil {
		return nil
	}
	w := &Walker{aborts: m.aborts.MustCurryWith(prometheus.Labels{"module": module})}
	for _, o := range Outcomes {
		w.runs = append(w.runs, m.runs.WithLabelValues(module, walker, o))
	}
	return w
}

// Run counts one run with its outcome (one of Outcomes), and an abort of
// the given kind when abort is not empty.
func (w *Walker) Run(outcome, abort string) {
	if w == nil {
		return
	}
	for i, o := range Outcomes {
		if o == outcome {
			w.runs[i].Inc()
		}
	}
	if abort != "" {
		w.aborts.WithLabelValues(abort).Inc()
	}
}

// StoreOp records how long a store operation took; it fits
// store.DB.Observe.
func (m *Metrics) StoreOp(op string, took time.Duration) {
	if m == nil {
		return
	}
	m.store.WithLabelValues(op).Observe(took.Seconds())
}

// ContentType is the media type Write produces.
var ContentType = string(expfmt.NewFormat(expfmt.TypeTextPlain))

// Write gathers every series and writes them to w in the Prometheus text
// format.
func (m *Metrics) Write(w io.Writer) error {
	families, err := m.reg.Gather()
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, f := range families {
		if e := enc.Encode(f); e != nil && err == nil {
			err = e
		}
	}
	return err
}
