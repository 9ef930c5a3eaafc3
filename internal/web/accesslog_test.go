package web

import (
	"bytes"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/internal/accesslog"
	"github.com/walkerhost/walkerhost/internal/metrics"
)

// BenchmarkRecord is what logging and counting cost a request: the request
// line formatted by the host's handler (accesslog, then discarded) and the
// route's latency and status series.
func BenchmarkRecord(b *testing.B) {
	a := NewAccessLog(slog.New(accesslog.New("text", io.Discard, slog.LevelInfo)), metrics.New())
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

// TestRecord_AccessLog: the host's handler writes the request line itself;
// the line has the fields slog's handler gives it, and none is lost when
// the handler closes.
func TestRecord_AccessLog(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		var fast, slow bytes.Buffer
		h := accesslog.New(format, &fast, slog.LevelInfo)
		a := NewAccessLog(slog.New(h), metrics.New())
		line := Line{Route: a.Route("GET", "/hello", slog.LevelInfo), Method: "GET", ID: "3f9c1a2b7d4e-1", User: "ada", Start: time.Now()}
		a.Record(line, 200, 174)
		if fast.Len() != 0 {
			t.Errorf("%s: the request line was not buffered", format)
		}
		h.Close()
		var sh slog.Handler = slog.NewTextHandler(&slow, nil)
		if format == "json" {
			sh = slog.NewJSONHandler(&slow, nil)
		}
		NewAccessLog(slog.New(sh), metrics.New()).Record(line, 200, 174)
		// The lines differ in their time and duration only.
		strip := regexp.MustCompile(`time=\S+|"time":"[^"]*"|duration_ms[=":]+[0-9.e+-]+`)
		got, want := strip.ReplaceAllString(fast.String(), ""), strip.ReplaceAllString(slow.String(), "")
		if got != want || !strings.Contains(got, "3f9c1a2b7d4e-1") {
			t.Errorf("%s:\n got %q\nwant %q", format, got, want)
		}
	}
}
