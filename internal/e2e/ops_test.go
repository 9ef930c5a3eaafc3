package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestHealth checks /healthz and /readyz on a serving host, then /readyz
// once the module and the store are closed under it: not ready, naming
// both, while /healthz still answers.
func TestHealth(t *testing.T) {
	h := startHello(t)
	if r := testenv.Do(t, "GET", h.URL+"/healthz", nil, ""); r.Status != 200 || string(r.Data) != `{"status":"ok"}` {
		t.Fatalf("healthz: %d %s", r.Status, r.Body)
	}
	r := testenv.Do(t, "GET", h.URL+"/readyz", nil, "")
	var ready struct {
		Status string
		Checks map[string]string
	}
	r.Decode(t, &ready)
	if r.Status != 200 || ready.Status != "ready" || ready.Checks["store"] != "ok" || ready.Checks["module:hello"] != "ok" {
		t.Fatalf("readyz: %d %s", r.Status, r.Body)
	}

	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	r = testenv.Do(t, "GET", h.URL+"/readyz", nil, "")
	if r.Status != 503 || r.Error == nil || r.Error.Code != "NOT_READY" {
		t.Fatalf("readyz after close: %d %s", r.Status, r.Body)
	}
	for _, name := range []string{"store: ", "module:hello: "} {
		if !strings.Contains(r.Error.Message, name) {
			t.Errorf("message %q does not name %q", r.Error.Message, name)
		}
	}
	if r := testenv.Do(t, "GET", h.URL+"/healthz", nil, ""); r.Status != 200 {
		t.Fatalf("healthz after close: %d %s", r.Status, r.Body)
	}
}

// lockedBuffer collects log output written from many goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines decodes the JSON log lines written so far.
func (b *lockedBuffer) lines(t *testing.T) []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not JSON: %v\n%s", err, sc.Text())
		}
		out = append(out, m)
	}
	return out
}

// requestLine finds the request log line of a request id.
func requestLine(t *testing.T, lines []map[string]any, id string) map[string]any {
	t.Helper()
	for _, l := range lines {
		if l["msg"] == "request" && l["request_id"] == id {
			return l
		}
	}
	t.Fatalf("no request line with request_id %q", id)
	return nil
}

// TestLogging checks the one log line per request (request id from the
// X-Request-ID header, method, route pattern, status, user, bytes and
// duration) and that guest output carries the module and walker.
func TestLogging(t *testing.T) {
	var logs lockedBuffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := testenv.StartLogged(t, testenv.Config(t), "hostile", testenv.Guest(t, "hostile"), log)
	token := testenv.Register(t, h.URL, "ada", "s3cret-pass")

	tests := []struct {
		name, method, path, token string
		status                    int
		route, user, level        string
	}{
		{"authenticated walker", "POST", "/walker/ok", token, 200, "/walker/ok", "ada", "INFO"},
		{"anonymous walker", "POST", "/walker/ok", "", 200, "/walker/ok", "", "INFO"},
		{"node route pattern", "POST", "/walker/ok/00000000000000000000000000000000", "", 404, "/walker/ok/{node_id}", "", "INFO"},
		{"unmatched", "GET", "/nowhere", "", 404, "unmatched", "", "INFO"},
		{"probe at debug", "GET", "/healthz", "", 200, "/healthz", "", "DEBUG"},
		{"guest panic", "POST", "/walker/panic", "", 500, "/walker/panic", "", "INFO"},
		{"guest output", "POST", "/walker/log", "", 200, "/walker/log", "", "INFO"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := "log-" + strings.ReplaceAll(tc.name, " ", "-")
			req, _ := http.NewRequest(tc.method, h.URL+tc.path, nil)
			req.Header.Set("X-Request-ID", id)
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var body bytes.Buffer
			_, _ = body.ReadFrom(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || resp.Header.Get("X-Request-ID") != id {
				t.Fatalf("status %d, X-Request-ID %q", resp.StatusCode, resp.Header.Get("X-Request-ID"))
			}
			l := requestLine(t, logs.lines(t), id)
			want := map[string]any{"method": tc.method, "route": tc.route, "status": float64(tc.status),
				"user": tc.user, "bytes": float64(body.Len()), "level": tc.level}
			for k, v := range want {
				if l[k] != v {
					t.Errorf("%s = %v, want %v (line %v)", k, l[k], v, l)
				}
			}
			if d, ok := l["duration_ms"].(float64); !ok || d < 0 {
				t.Errorf("duration_ms = %v", l["duration_ms"])
			}
		})
	}
	guest := map[string]string{}
	for _, l := range logs.lines(t) {
		if l["walker"] == "log" {
			if l["module"] != "hostile" || l["request_id"] != "log-guest-output" {
				t.Errorf("guest line without its module or request id: %v", l)
			}
			guest[l["msg"].(string)] = l["level"].(string)
		}
	}
	want := map[string]string{"a warning from the guest": "WARN", "a line on stderr": "INFO"}
	if !reflect.DeepEqual(guest, want) {
		t.Fatalf("guest lines %v, want %v", guest, want)
	}
}

// TestLogging_QuietRequests: with logging.requests = false the request line
// is still written, at debug level, so the default info level drops it.
func TestLogging_QuietRequests(t *testing.T) {
	var logs lockedBuffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg := testenv.Config(t)
	cfg.LogRequests = false
	h := testenv.StartLogged(t, cfg, "hostile", testenv.Guest(t, "hostile"), log)
	req, _ := http.NewRequest("POST", h.URL+"/walker/ok", nil)
	req.Header.Set("X-Request-ID", "quiet-1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if l := requestLine(t, logs.lines(t), "quiet-1"); l["level"] != "DEBUG" || l["status"] != float64(200) {
		t.Fatalf("request line %v, want it at DEBUG", l)
	}
}
