package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

func TestHTTP_Transport(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.MaxBodyBytes = 4096
	h := testenv.Start(t, cfg, "hello", testenv.Guest(t, "hello"))

	big := `{"a":1,"b":2,"pad":"` + strings.Repeat("x", 8192) + `"}`
	if r := testenv.Do(t, "POST", h.URL+"/function/add", big, ""); r.Status != 413 || r.Error.Code != "LIMIT_EXCEEDED" {
		t.Fatalf("oversized body: %d %s", r.Status, r.Body)
	}
	r := testenv.Do(t, "GET", h.URL+"/healthz", nil, "")
	if r.Status != 200 || r.Meta.RequestID == "" || r.Header.Get("X-Request-ID") != r.Meta.RequestID {
		t.Fatalf("healthz: %d %s (header %q)", r.Status, r.Body, r.Header.Get("X-Request-ID"))
	}
	req, _ := http.NewRequest("GET", h.URL+"/hello", nil)
	req.Header.Set("X-Request-ID", "client-chosen-id")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Request-ID"); got != "client-chosen-id" {
		t.Fatalf("X-Request-ID %q, want the client's", got)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Fatalf("CORS header %q", got)
	}
	pre, _ := http.NewRequest("OPTIONS", h.URL+"/function/add", nil)
	pre.Header.Set("Origin", "http://example.test")
	pre.Header.Set("Access-Control-Request-Method", "POST")
	resp, err = http.DefaultClient.Do(pre)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 || !strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Fatalf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
}

// TestHTTP_ConcurrentRequests hammers one module from many goroutines: every
// answer must be right and no instance may serve two calls at once.
func TestHTTP_ConcurrentRequests(t *testing.T) {
	h := startHello(t)
	const workers, each = 16, 25
	errs := make(chan string, workers*each)
	done := make(chan bool)
	for w := range workers {
		go func() {
			for i := range each {
				name := strings.Repeat("n", w+1) + string(rune('a'+i%26))
				r := testenv.Do(t, "GET", h.URL+"/hello?name="+name, nil, "")
				want := `"message":"Hello, ` + name + `!"`
				if r.Status != 200 || !strings.Contains(string(r.Body), want) {
					errs <- string(r.Body)
				}
			}
			done <- true
		}()
	}
	for range workers {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Errorf("wrong answer: %s", e)
	}
	if s := h.Module().Stats(); s.Created > int64(s.Capacity) || s.Discarded != 0 {
		t.Fatalf("pool stats %+v: more instances than its capacity, or discards", s)
	}
}
