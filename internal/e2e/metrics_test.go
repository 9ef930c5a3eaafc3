package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// series is one scrape: each sample's value by its name and labels, as
// "name{k="v",...}" with the labels sorted. Histograms contribute their
// _count and _sum.
type series map[string]float64

func scrape(t *testing.T, url string) series {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET /metrics: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	out := series{}
	for name, f := range families {
		for _, m := range f.GetMetric() {
			key := seriesKey(name, m.GetLabel())
			switch f.GetType() {
			case dto.MetricType_COUNTER:
				out[key] = m.GetCounter().GetValue()
			case dto.MetricType_GAUGE:
				out[key] = m.GetGauge().GetValue()
			case dto.MetricType_HISTOGRAM:
				out[seriesKey(name+"_count", m.GetLabel())] = float64(m.GetHistogram().GetSampleCount())
				out[seriesKey(name+"_sum", m.GetLabel())] = m.GetHistogram().GetSampleSum()
			}
		}
	}
	return out
}

func seriesKey(name string, labels []*dto.LabelPair) string {
	parts := make([]string, len(labels))
	for i, l := range labels { // the parser returns them sorted by name
		parts[i] = l.GetName() + `="` + l.GetValue() + `"`
	}
	return name + "{" + strings.Join(parts, ",") + "}"
}

// TestMetrics_Deltas scrapes /metrics, makes a known sequence of requests
// and checks that each relevant series moved by exactly what they did.
func TestMetrics_Deltas(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.RequestTimeout = time.Second
	h := testenv.Start(t, cfg, "hostile", testenv.Guest(t, "hostile"))
	testenv.Do(t, "POST", h.URL+"/walker/ok", `{}`, "").Walker(t) // creates the guest root

	before := scrape(t, h.URL)
	for range 3 {
		testenv.Do(t, "POST", h.URL+"/walker/ok", `{}`, "").Walker(t)
	}
	steps := []struct {
		path, body string
		status     int
	}{
		{"/walker/flood", `{"size":"big"}`, 422},
		{"/walker/nope", `{}`, 404},
		{"/walker/spin", `{}`, 504},
		{"/user/register", `{"username":"ada","password":"s3cret-pass"}`, 201},
	}
	for _, s := range steps {
		if r := testenv.Do(t, "POST", h.URL+s.path, s.body, ""); r.Status != s.status {
			t.Fatalf("POST %s: %d %s", s.path, r.Status, r.Body)
		}
	}
	after := scrape(t, h.URL)

	deltas := []struct {
		name, series string
		want         float64
	}{
		{"ok requests", `jac_http_requests_total{method="POST",route="/walker/ok",status="200"}`, 3},
		{"ok latency samples", `jac_http_request_duration_seconds_count{method="POST",route="/walker/ok"}`, 3},
		{"validation error", `jac_http_requests_total{method="POST",route="/walker/flood",status="422"}`, 1},
		{"unknown walker", `jac_http_requests_total{method="POST",route="unmatched",status="404"}`, 1},
		{"time limit", `jac_http_requests_total{method="POST",route="/walker/spin",status="504"}`, 1},
		{"the first scrape", `jac_http_requests_total{method="GET",route="/metrics",status="200"}`, 1},
		{"ok runs", `jac_walker_runs_total{module="hostile",outcome="ok",walker="ok"}`, 3},
		{"invalid input runs nothing", `jac_walker_runs_total{module="hostile",outcome="ok",walker="flood"}`, 0},
		{"spin run", `jac_walker_runs_total{module="hostile",outcome="limit",walker="spin"}`, 1},
		{"time abort", `jac_walker_aborts_total{kind="time",module="hostile"}`, 1},
		{"memory abort", `jac_walker_aborts_total{kind="memory",module="hostile"}`, 0},
		{"discarded instance", `jac_pool_instances_discarded_total{module="hostile"}`, 1},
		{"no instance created: one served every call", `jac_pool_instances_created_total{module="hostile"}`, 0},
		{"register: one group commit", `jac_store_duration_seconds_count{op="batch"}`, 1},
		{"register: root and user transactions", `jac_store_duration_seconds_count{op="update"}`, 2},
	}
	for _, d := range deltas {
		t.Run(d.name, func(t *testing.T) {
			if got := after[d.series] - before[d.series]; got != d.want {
				t.Fatalf("%s moved by %v, want %v", d.series, got, d.want)
			}
		})
	}
	levels := []struct {
		series string
		want   float64
	}{
		{`jac_pool_instances{module="hostile",state="in_use"}`, 0},
		{`jac_pool_instances{module="hostile",state="idle"}`, 0}, // spin discarded the one instance
		{`jac_pool_capacity{module="hostile"}`, float64(cfg.PoolSize)},
	}
	for _, l := range levels {
		if got, ok := after[l.series]; !ok || got != l.want {
			t.Errorf("%s = %v (present %v), want %v", l.series, got, ok, l.want)
		}
	}
}
