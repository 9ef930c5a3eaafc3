package accesslog

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// viaSlog is the line slog's own handler writes for r.
func viaSlog(format string, t time.Time, level slog.Level, r *Request) string {
	var buf bytes.Buffer
	var h slog.Handler = slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})
	if format == "json" {
		h = slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})
	}
	rec := slog.NewRecord(t, level, Message, 0)
	rec.AddAttrs(r.Attrs()...)
	_ = h.Handle(context.Background(), rec)
	return buf.String()
}

func TestRequest_SameBytesAsSlog(t *testing.T) {
	times := []time.Time{
		time.Date(2026, 12, 7, 23, 15, 0, 0, time.UTC),
		time.Date(2026, 12, 7, 23, 15, 0, 999_999_999, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, 120_000_000, time.FixedZone("x", 5*3600+1800)),
		time.Date(2026, 1, 2, 3, 4, 5, 1_000, time.Local),
	}
	reqs := []Request{
		{ID: "3f9c1a2b7d4e-1", Method: "GET", Route: "/hello", Status: 200, DurationMS: 0.123, Bytes: 174},
		{ID: "client-id_{x}!", Method: "POST", Route: "/walker/{node_id}/create_todo", Status: 422, DurationMS: 1234.5, User: "ada", Bytes: 0},
		{ID: "a", Method: "OPTIONS", Route: "unmatched", Status: 404, DurationMS: 0, User: "0a1b2c", Bytes: 99},
		{ID: "b", Method: "GET", Route: "/x", Status: 200, DurationMS: 1e7 + 0.001, Bytes: 1 << 40},
		{ID: "c", Method: "GET", Route: "/x", Status: 200, DurationMS: 0.001},
	}
	for _, format := range []string{"text", "json"} {
		for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
			for _, ts := range times {
				for i := range reqs {
					var out bytes.Buffer
					h := New(format, &out, slog.LevelDebug)
					if !h.Request(ts, level, &reqs[i]) {
						t.Fatalf("%s %v: request %d not written", format, level, i)
					}
					h.Close()
					if want := viaSlog(format, ts, level, &reqs[i]); out.String() != want {
						t.Errorf("%s:\n got %q\nwant %q", format, out.String(), want)
					}
				}
			}
		}
	}
}

func TestRequest_LeavesToSlog(t *testing.T) {
	ok := Request{ID: "id", Method: "GET", Route: "/r", Status: 200, DurationMS: 1}
	cases := map[string]func(*Request){
		"id with a quote":      func(r *Request) { r.ID = `a"b` },
		"id with a backslash":  func(r *Request) { r.ID = `a\b` },
		"id with an equals":    func(r *Request) { r.ID = "a=b" },
		"user with a space":    func(r *Request) { r.User = "ada lovelace" },
		"user not ASCII":       func(r *Request) { r.User = "zoë" },
		"user with a control":  func(r *Request) { r.User = "a\tb" },
		"route with a DEL":     func(r *Request) { r.Route = "/\x7f" },
		"empty id":             func(r *Request) { r.ID = "" },
		"negative duration":    func(r *Request) { r.DurationMS = -1 },
		"tiny duration (JSON)": func(r *Request) { r.DurationMS = 1e-7 },
	}
	for name, change := range cases {
		r := ok
		change(&r)
		for _, format := range []string{"text", "json"} {
			var out bytes.Buffer
			if New(format, &out, slog.LevelInfo).Request(time.Now(), slog.LevelInfo, &r) {
				t.Errorf("%s, %s: written by the fast path: %q", name, format, out.String())
			}
		}
	}
	var out bytes.Buffer
	h := New("text", &out, slog.LevelInfo)
	if h.Request(time.Now(), slog.LevelDebug, &ok) {
		t.Error("a line below the handler's level was written")
	}
	if h.WithAttrs([]slog.Attr{slog.String("k", "v")}).(*Handler).Request(time.Now(), slog.LevelInfo, &ok) {
		t.Error("a derived handler took the fast path, losing its attributes")
	}
	if h.WithGroup("g").(*Handler).Request(time.Now(), slog.LevelInfo, &ok) {
		t.Error("a grouped handler took the fast path")
	}
	if out.Len() != 0 {
		t.Errorf("wrote %q", out.String())
	}
}

// syncBuffer is a bytes.Buffer safe for the flush timer's goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestWriter_Order(t *testing.T) {
	var out syncBuffer
	h := New("text", &out, slog.LevelInfo)
	log := slog.New(h)
	r := Request{ID: "one", Method: "GET", Route: "/r", Status: 200}
	h.Request(time.Now(), slog.LevelInfo, &r)
	log.Warn("after one")
	r.ID = "two"
	h.Request(time.Now(), slog.LevelInfo, &r)
	log.With("k", "v").Info("after two") // a derived handler flushes too
	got := out.String()
	order := []string{"request_id=one", "msg=\"after one\"", "request_id=two", "msg=\"after two\""}
	last := -1
	for _, s := range order {
		i := strings.Index(got, s)
		if i < last {
			t.Fatalf("%q out of order in\n%s", s, got)
		}
		last = i
	}
}

func TestWriter_TimerFlushes(t *testing.T) {
	var out syncBuffer
	h := New("json", &out, slog.LevelInfo)
	defer h.Close()
	h.Request(time.Now(), slog.LevelInfo, &Request{ID: "x", Method: "GET", Route: "/r"})
	for i := 0; !strings.Contains(out.String(), `"request_id":"x"`); i++ {
		if i == 1000 {
			t.Fatal("the buffered line was never written")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestWriter_Hammer logs request lines and other records from many
// goroutines while the buffer fills and the timer flushes, then closes:
// every line is there, whole, and none after Close is held back.
func TestWriter_Hammer(t *testing.T) {
	var out syncBuffer
	h := New("text", &out, slog.LevelInfo)
	log := slog.New(h)
	const workers, each = 8, 2000
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if i%100 == 99 {
					log.Info("other", "w", w, "i", i)
					continue
				}
				r := Request{ID: fmt.Sprintf("w%d-%d", w, i), Method: "GET", Route: "/r", Status: 200, DurationMS: 0.5, Bytes: i}
				if !h.Request(time.Now(), slog.LevelInfo, &r) {
					t.Error("not written")
				}
			}
		}()
	}
	wg.Wait()
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	h.Request(time.Now(), slog.LevelInfo, &Request{ID: "after-close", Method: "GET", Route: "/r"})
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != workers*each+1 {
		t.Fatalf("%d lines, want %d", len(lines), workers*each+1)
	}
	seen := map[string]bool{}
	for _, l := range lines {
		if !strings.HasPrefix(l, "time=") || !strings.Contains(l, " bytes=") && !strings.Contains(l, " msg=other w=") {
			t.Fatalf("broken line %q", l)
		}
		if i := strings.Index(l, "request_id="); i >= 0 {
			id, _, _ := strings.Cut(l[i+len("request_id="):], " ")
			if seen[id] {
				t.Fatalf("line %s twice", id)
			}
			seen[id] = true
		}
	}
	if !seen["after-close"] {
		t.Fatal("a line logged after Close was held back")
	}
}

// BenchmarkRequest is the request line through the fast path, and through
// slog's text handler for comparison, both to a discarding writer.
func BenchmarkRequest(b *testing.B) {
	r := Request{ID: "3f9c1a2b7d4e-1", Method: "GET", Route: "/hello", Status: 200, DurationMS: 0.123, Bytes: 174}
	for _, format := range []string{"text", "json"} {
		b.Run(format+"/fast", func(b *testing.B) {
			h := New(format, discard{}, slog.LevelInfo)
			b.ReportAllocs()
			for b.Loop() {
				h.Request(time.Now(), slog.LevelInfo, &r)
			}
			h.Close()
		})
		b.Run(format+"/slog", func(b *testing.B) {
			var h slog.Handler = slog.NewTextHandler(discard{}, nil)
			if format == "json" {
				h = slog.NewJSONHandler(discard{}, nil)
			}
			log := slog.New(h)
			b.ReportAllocs()
			for b.Loop() {
				log.LogAttrs(context.Background(), slog.LevelInfo, Message, r.Attrs()...)
			}
		})
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
