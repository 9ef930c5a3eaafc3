package apidocs

import (
	"regexp"
	"strings"
	"testing"
)

var assetRef = regexp.MustCompile(`(?:src|href)="(docs/[^"]+)"`)

// TestRedoc_Fallback: without ReDoc's bundle, /redoc is Swagger UI's
// read-only rendering, and every file it loads is served under /docs/.
func TestRedoc_Fallback(t *testing.T) {
	page := string(redoc("Todo API", false))
	if !strings.Contains(page, "docs/reference-init.js") || strings.Contains(page, "redoc.standalone.js") {
		t.Fatalf("fallback page:\n%s", page)
	}
	refs := assetRef.FindAllStringSubmatch(page, -1)
	if len(refs) < 3 {
		t.Fatalf("fallback page loads %d files", len(refs))
	}
	for _, m := range refs {
		if _, _, ok := SwaggerAsset(strings.TrimPrefix(m[1], "docs/")); !ok {
			t.Errorf("the page loads %s, which is not served", m[1])
		}
	}
	init, _, _ := SwaggerAsset("reference-init.js")
	if !strings.Contains(string(init), "supportedSubmitMethods: []") {
		t.Fatalf("the reference offers Try it out:\n%s", init)
	}
	if built := string(redoc("Todo API", true)); !strings.Contains(built, "redoc/"+RedocFile) {
		t.Fatalf("ReDoc page:\n%s", built)
	}
}
