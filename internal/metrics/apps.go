package metrics

import "github.com/prometheus/client_golang/prometheus"

// appCollector holds the apps' activation health.
type appCollector struct {
	failed   *prometheus.GaugeVec   // app
	failures *prometheus.CounterVec // app
}

func newAppCollector() appCollector {
	return appCollector{
		failed: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace,
			Name: "app_activation_failed", Help: "1 while an app's stored active version cannot be served on this replica, which serves the app's previous version."},
			[]string{"app"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace,
			Name: "app_activation_failures_total", Help: "Activations of an app's stored active version that failed on this replica."},
			[]string{"app"}),
	}
}

// AppHealth reports whether app serves its stored active version (failed
// false) or could not activate it (failed true, counted).
func (m *Metrics) AppHealth(app string, failed bool) {
	if m == nil {
		return
	}
	if failed {
		m.apps.failed.WithLabelValues(app).Set(1)
		m.apps.failures.WithLabelValues(app).Inc()
		return
	}
	m.apps.failed.WithLabelValues(app).Set(0)
}
