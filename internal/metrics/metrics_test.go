package metrics_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/walkerhost/walkerhost/internal/metrics"
)

// TestRoute_Hammer observes one route from many goroutines with a few
// statuses, then checks every count in the exposition.
func TestRoute_Hammer(t *testing.T) {
	m := metrics.New()
	r := m.Route("/walker/x", "POST")
	statuses := []int{200, 404, 422, 504}
	const goroutines, each = 8, 500
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				r.Observe(statuses[(g+i)%len(statuses)], time.Millisecond)
			}
		}()
	}
	wg.Wait()
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(&buf)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]float64{}
	for _, s := range families["jac_http_requests_total"].GetMetric() {
		for _, l := range s.GetLabel() {
			if l.GetName() == "status" {
				counts[l.GetValue()] = s.GetCounter().GetValue()
			}
		}
	}
	for _, st := range []string{"200", "404", "422", "504"} {
		if counts[st] != goroutines*each/4 {
			t.Errorf("status %s counted %v, want %d", st, counts[st], goroutines*each/4)
		}
	}
	h := families["jac_http_request_duration_seconds"].GetMetric()
	if len(h) != 1 || h[0].GetHistogram().GetSampleCount() != goroutines*each {
		t.Fatalf("latency samples %v", h)
	}
}

// TestNil checks that a nil *Metrics and its nil routes ignore reports.
func TestNil(t *testing.T) {
	var m *metrics.Metrics
	m.Route("/x", "GET").Observe(200, time.Second)
	m.Walker("mod", "w").Run("ok", "")
	m.StoreOp("update", time.Millisecond)
	m.Pool("mod", func() metrics.PoolStats { return metrics.PoolStats{} })
}

// TestPools checks that pool statistics are read at scrape time.
func TestPools(t *testing.T) {
	m := metrics.New()
	idle := 1
	m.Pool("todo", func() metrics.PoolStats {
		return metrics.PoolStats{Idle: idle, InUse: 2, Capacity: 4, Created: 5, Discarded: 1}
	})
	idle = 3
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`jac_pool_instances{module="todo",state="idle"} 3`,
		`jac_pool_instances{module="todo",state="in_use"} 2`,
		`jac_pool_capacity{module="todo"} 4`,
		`jac_pool_instances_created_total{module="todo"} 5`,
		`jac_pool_instances_discarded_total{module="todo"} 1`,
	} {
		if !strings.Contains(buf.String(), want+"\n") {
			t.Errorf("exposition lacks %q", want)
		}
	}
}
