package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestResponseHeaders: [environments.response.headers] reaches every
// answer: walkers, host endpoints, docs, errors and 404s, replacing a
// header of the same name the host set itself.
func TestResponseHeaders(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.ResponseHeaders = map[string]string{
		"X-Frame-Options":             "DENY",
		"Access-Control-Allow-Origin": "https://app.example",
	}
	h := testenv.Start(t, cfg, "hello", testenv.Guest(t, "hello"))
	tests := []struct{ name, method, path string }{
		{"walker", "GET", "/hello?name=Ada"},
		{"function", "POST", "/function/add"},
		{"health", "GET", "/healthz"},
		{"openapi", "GET", "/openapi.json"},
		{"docs page", "GET", "/docs"},
		{"404", "GET", "/no/such/route"},
		{"unknown app", "GET", "/apps/nope/hello"},
		{"error envelope", "POST", "/user/login"},
		{"CORS preflight", "OPTIONS", "/hello"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, h.URL+tc.path, strings.NewReader(`{}`))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Origin", "https://other.example")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			for k, v := range cfg.ResponseHeaders {
				if got := resp.Header.Values(k); len(got) != 1 || got[0] != v {
					t.Errorf("%s %s (%d): %s = %q, want %q", tc.method, tc.path, resp.StatusCode, k, got, v)
				}
			}
		})
	}
}
