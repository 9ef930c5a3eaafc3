package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/internal/apidocs"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// get fetches url and returns the response and its body.
func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

var assetRef = regexp.MustCompile(`(?:src|href)="([^"]+)"`)

// TestDocs serves the documentation endpoints, which are not envelopes,
// and every file the pages load, all from the host itself.
func TestDocs(t *testing.T) {
	h := testenv.Start(t, testenv.Config(t), "hello", testenv.Guest(t, "hello"))
	redoc := "docs/reference-init.js" // Swagger UI's read-only rendering, without go generate
	if apidocs.HasRedoc() {
		redoc = "redoc/redoc.standalone.js"
	}
	tests := []struct {
		path, contentType, contains string
	}{
		{"/openapi.json", "application/json", `"openapi": "3.1.0"`},
		{"/docs", "text/html; charset=utf-8", "docs/swagger-ui-bundle.js"},
		{"/redoc", "text/html; charset=utf-8", redoc},
		{"/docs/swagger-init.js", "text/javascript; charset=utf-8", "SwaggerUIBundle"},
		{"/docs/oauth2-redirect.html", "text/html; charset=utf-8", "oauth2"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := get(t, h.URL+tc.path)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != tc.contentType || !strings.Contains(body, tc.contains) {
				t.Fatalf("%d %s, want 200 %s with %q", resp.StatusCode, resp.Header.Get("Content-Type"), tc.contentType, tc.contains)
			}
			if resp.Header.Get("X-Request-ID") == "" {
				t.Fatal("no X-Request-ID")
			}
			var top map[string]any
			if json.Unmarshal([]byte(body), &top) == nil && top["ok"] != nil {
				t.Fatal("answered with the envelope")
			}
			if !strings.HasSuffix(tc.path, ".js") && !strings.HasSuffix(tc.path, ".json") {
				pageAssets(t, h.URL, body)
			}
		})
	}
	for _, page := range []string{"/docs", "/redoc"} {
		if resp, _ := get(t, h.URL+page); !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Fatalf("%s: Content-Security-Policy %q", page, resp.Header.Get("Content-Security-Policy"))
		}
	}
}

// pageAssets checks that each file a page refers to is a relative URL the
// host serves.
func pageAssets(t *testing.T, base, page string) {
	t.Helper()
	for _, m := range assetRef.FindAllStringSubmatch(page, -1) {
		ref := m[1]
		if strings.Contains(ref, "//") || strings.HasPrefix(ref, "/") {
			t.Errorf("page refers to %s, not relative to the host", ref)
			continue
		}
		if resp, _ := get(t, base+"/"+ref); resp.StatusCode != 200 {
			t.Errorf("%s: %d", ref, resp.StatusCode)
		}
	}
}

func TestDocs_Errors(t *testing.T) {
	h := testenv.Start(t, testenv.Config(t), "hello", testenv.Guest(t, "hello"))
	tests := []struct {
		name, method, path string
		status             int
		code               string
	}{
		{"unknown Swagger UI file", "GET", "/docs/nope.js", 404, "NOT_FOUND"},
		{"Swagger UI file not served", "GET", "/docs/swagger-ui.js.map", 404, "NOT_FOUND"},
		{"unknown ReDoc file", "GET", "/redoc/nope.js", 404, "NOT_FOUND"},
		{"path out of the folder", "GET", "/docs/..%2Fgo.mod", 404, "NOT_FOUND"},
		{"POST to the document", "POST", "/openapi.json", 405, "METHOD_NOT_ALLOWED"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := testenv.Do(t, tc.method, h.URL+tc.path, nil, "")
			if r.Status != tc.status || r.Error == nil || r.Error.Code != tc.code {
				t.Fatalf("got %d %s", r.Status, r.Body)
			}
		})
	}
}
