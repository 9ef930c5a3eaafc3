package server

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
	s := &Server{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	route := &routeInfo{method: "GET", pattern: "/hello", level: slog.LevelInfo, metrics: metrics.New().Route("/hello", "GET")}
	line := requestLine{route: route, method: "GET", id: "3f9c1a2b7d4e-1", start: time.Now()}
	b.ReportAllocs()
	for b.Loop() {
		s.record(line, 200, 174)
	}
}

// BenchmarkRecord_MetricsOnly is the same request with logging below the
// request line's level: the metrics alone.
func BenchmarkRecord_MetricsOnly(b *testing.B) {
	s := &Server{log: slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	route := &routeInfo{method: "GET", pattern: "/hello", level: slog.LevelInfo, metrics: metrics.New().Route("/hello", "GET")}
	line := requestLine{route: route, method: "GET", id: "3f9c1a2b7d4e-1", start: time.Now()}
	b.ReportAllocs()
	for b.Loop() {
		s.record(line, 200, 174)
	}
}
