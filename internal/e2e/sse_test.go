package e2e

import (
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestSSE_Reports streams the hello count walker: one report event per
// report, in order, then a done event carrying the envelope.
func TestSSE_Reports(t *testing.T) {
	h := startHello(t)
	tests := []struct {
		name, body string
		reports    []string
		result     string
	}{
		{"three reports", `{}`, []string{"1", "2", "3"}, `{"fail":false,"n":3}`},
		{"five reports", `{"n":5}`, []string{"1", "2", "3", "4", "5"}, `{"fail":false,"n":5}`},
		{"no report", `{"n":0}`, nil, `{"fail":false,"n":0}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testenv.OpenStream(t, h.URL+"/walker/count", tc.body)
			if s.Resp.StatusCode != 200 || !strings.HasPrefix(s.Resp.Header.Get("Content-Type"), "text/event-stream") {
				t.Fatalf("status %d, content type %q", s.Resp.StatusCode, s.Resp.Header.Get("Content-Type"))
			}
			evs := s.All(t)
			if len(evs) != len(tc.reports)+1 {
				t.Fatalf("got %d events, want %d reports and done: %+v", len(evs), len(tc.reports), evs)
			}
			for i, want := range tc.reports {
				if ev := evs[i]; ev.Name != "report" || ev.Data != want || ev.ID != strconv.Itoa(i+1) {
					t.Fatalf("event %d = %+v, want report %s with id %d", i, ev, want, i+1)
				}
			}
			done := evs[len(evs)-1]
			env := done.Envelope(t)
			if done.Name != "done" || !env.OK || env.Status != 200 || env.Meta.RequestID != s.Resp.Header.Get("X-Request-ID") {
				t.Fatalf("last event %+v (request id header %q)", done, s.Resp.Header.Get("X-Request-ID"))
			}
			var data struct {
				Result      any `json:"result"`
				ReportCount int `json:"report_count"`
			}
			env.Decode(t, &data)
			assertJSON(t, "result", data.Result, tc.result)
			if data.ReportCount != len(tc.reports) {
				t.Fatalf("report_count %d, want %d", data.ReportCount, len(tc.reports))
			}
		})
	}
}

// TestSSE_Errors covers a walker that fails after streaming reports (an
// error event ends the stream), and requests refused before any event,
// which get the ordinary JSON answer.
func TestSSE_Errors(t *testing.T) {
	h := startHello(t)
	t.Run("walker fails after two reports", func(t *testing.T) {
		evs := testenv.OpenStream(t, h.URL+"/walker/count", `{"n":2,"fail":true}`).All(t)
		if len(evs) != 3 || evs[0].Data != "1" || evs[1].Data != "2" || evs[2].Name != "error" {
			t.Fatalf("events %+v", evs)
		}
		env := evs[2].Envelope(t)
		if env.OK || env.Status != 409 || env.Error.Code != "CONFLICT" || !strings.Contains(env.Error.Message, "failed after the reports") {
			t.Fatalf("error event %s", evs[2].Data)
		}
	})
	refused := []struct {
		name, path, body string
		status           int
		code             string
	}{
		{"invalid field", "/walker/count", `{"n":"three"}`, 422, "VALIDATION_ERROR"},
		{"unknown node", "/walker/count/00000000000000000000000000000000", `{}`, 404, "NOT_FOUND"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			s := testenv.OpenStream(t, h.URL+tc.path, tc.body)
			if s.Resp.StatusCode != tc.status || !strings.HasPrefix(s.Resp.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("status %d, content type %q", s.Resp.StatusCode, s.Resp.Header.Get("Content-Type"))
			}
		})
	}
	t.Run("function answers JSON", func(t *testing.T) {
		s := testenv.OpenStream(t, h.URL+"/function/add", `{"a":1,"b":2}`)
		if s.Resp.StatusCode != 200 || !strings.HasPrefix(s.Resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("status %d, content type %q", s.Resp.StatusCode, s.Resp.Header.Get("Content-Type"))
		}
	})
}

// TestSSE_LimitRollsBack streams a walker that writes a node, reports, then
// loops: the report arrives while the walker still runs (its instance is in
// use), the time limit ends the stream with an error event, and the write
// is not committed.
func TestSSE_LimitRollsBack(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.RequestTimeout = 2 * time.Second
	h := testenv.Start(t, cfg, "hostile", testenv.Guest(t, "hostile"))
	s := testenv.OpenStream(t, h.URL+"/walker/write_report_then_spin", `{}`)
	first, ok := s.Next(t)
	if !ok || first.Name != "report" || first.Data != `"started"` {
		t.Fatalf("first event %+v", first)
	}
	if inUse := h.Module().Stats().InUse; inUse != 1 {
		t.Fatalf("instances in use after the first event: %d, want 1 (the walker still running)", inUse)
	}
	rest := s.All(t)
	if len(rest) != 1 || rest[0].Name != "error" {
		t.Fatalf("after the report: %+v", rest)
	}
	if env := rest[0].Envelope(t); env.Status != 504 || env.Error.Code != "LIMIT_EXCEEDED" || !strings.Contains(env.Error.Message, "time limit") {
		t.Fatalf("error event %s", rest[0].Data)
	}
	junk := testenv.Do(t, "POST", h.URL+"/walker/count_junk", `{}`, "").Walker(t)
	assertJSON(t, "junk left by the stream", junk.Reports, `[0]`)
}

// TestSSE_Hammer runs streams concurrently with ordinary calls of the same
// walker: every stream gets its own reports, in order, and its done event.
func TestSSE_Hammer(t *testing.T) {
	h := startHello(t)
	const clients, rounds = 6, 5
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				n := 1 + (c+r)%7
				if c%3 == 0 {
					p := testenv.Do(t, "POST", h.URL+"/walker/count", map[string]int{"n": n}, "").Walker(t)
					if len(p.Reports) != n {
						t.Errorf("JSON call: %d reports, want %d", len(p.Reports), n)
					}
					continue
				}
				evs := testenv.OpenStream(t, h.URL+"/walker/count", `{"n":`+strconv.Itoa(n)+`}`).All(t)
				if len(evs) != n+1 || evs[n].Name != "done" {
					t.Errorf("stream of %d: %+v", n, evs)
					continue
				}
				for i := range n {
					if evs[i].Data != strconv.Itoa(i+1) {
						t.Errorf("stream of %d: event %d is %q", n, i, evs[i].Data)
					}
				}
			}
		}()
	}
	wg.Wait()
}

// TestSSE_StalledClients opens 20 streams of a walker that reports 32 MiB
// on an app with two instances and a 1s time limit, and never reads them.
// The runs must not wait for those clients: each ends at the stream buffer
// limit (counted as an abort of kind stream_buffer), its instance goes back
// to the pool, and ordinary requests are served while the streams are
// still open.
func TestSSE_StalledClients(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.PoolSize = 2
	cfg.RequestTimeout = time.Second
	cfg.MaxReportBytes = 64 << 20
	cfg.StreamBufferBytes = 256 << 10
	h := testenv.Start(t, cfg, "hostile", testenv.Guest(t, "hostile"))
	addr := strings.TrimPrefix(h.URL, "http://")
	body := `{"size":65536,"count":512}`
	req := "POST /walker/flood HTTP/1.1\r\nHost: test\r\nAccept: text/event-stream\r\nContent-Type: application/json\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\n\r\n" + body
	for range 20 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		_ = c.(*net.TCPConn).SetReadBuffer(4096) // and never read
		if _, err := io.WriteString(c, req); err != nil {
			t.Fatal(err)
		}
	}
	// Bounded wait for the runs to end: a failing host keeps its instances.
	for i := 0; h.Module().Stats().InUse > 0 || abortsOf(t, h.URL, "stream_buffer") == 0; i++ {
		if i == 100 {
			t.Fatalf("instances still in use after 10s with 20 stalled streams: %+v", h.Module().Stats())
		}
		time.Sleep(100 * time.Millisecond)
	}
	for i := range 5 {
		if r := testenv.Do(t, "POST", h.URL+"/walker/ok", `{}`, ""); r.Status != 200 {
			t.Fatalf("request %d beside the stalled streams: %d %s", i, r.Status, r.Body)
		}
	}
	t.Logf("stream_buffer aborts: %d", abortsOf(t, h.URL, "stream_buffer"))
}

// abortsOf sums jac_walker_aborts_total of kind on the host at base.
func abortsOf(t *testing.T, base, kind string) int {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "jac_walker_aborts_total{") && strings.Contains(line, `kind="`+kind+`"`) {
			f := strings.Fields(line)
			v, _ := strconv.ParseFloat(f[len(f)-1], 64)
			n += int(v)
		}
	}
	return n
}
