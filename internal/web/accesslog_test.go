package web

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/internal/metrics"
)

// BenchmarkRecord is what logging and counting cost a request: the request
// line formatted by slog's text handler (then discarded) and the route's
// latency and status series.
func BenchmarkRecord(b *testing.B) {
	a := NewAccessLog(slog.New(slog.NewTextHandler(io.Discard, nil)), metrics.New())
	line := Line{Route: a.Route("GET", "/hello", slog.LevelInfo), Method: "GET", ID: "3f9c1a2b7d4e-1", Start: time.Now()}
	b.ReportAllocs()
	for b.Loop() {
		a.Record(line, 200, 174)
	}
}

// BenchmarkRecord_MetricsOnly is the same request with logging below the
// request line's level: the metrics alone.
func BenchmarkRecord_MetricsOnly(b *testing.B) {
	a := NewAccessLog(slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn})), metrics.New())
	line := Line{Route: a.Route("GET", "/hello", slog.LevelInfo), Method: "GET", ID: "3f9c1a2b7d4e-1", Start: time.Now()}
	b.ReportAllocs()
	for b.Loop() {
		a.Record(line, 200, 174)
	}
}
