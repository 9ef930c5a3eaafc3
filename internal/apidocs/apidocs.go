// Package apidocs serves the interactive API documentation pages, Swagger
// UI at /docs and ReDoc at /redoc, with every script and stylesheet they
// load embedded in the binary, so the pages work without internet access.
//
// Swagger UI comes from the github.com/swaggo/files/v2 module. ReDoc's
// standalone bundle comes from the npm package redoc, fetched at build time
// by `go generate` (scripts/redoc.sh, run by `make assets`) into redoc/; a
// binary built without it (`go install`, a plain `go build`) serves at
// /redoc Swagger UI's own read-only rendering of the document instead. See
// docs/OPENAPI.md.
package apidocs

//go:generate ../../scripts/redoc.sh redoc

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"mime"
	"path"

	swaggerfiles "github.com/swaggo/files/v2"
)

// RedocFile is the name of ReDoc's bundle under the /redoc/ prefix.
const RedocFile = "redoc.standalone.js"

//go:embed redoc
var redocFS embed.FS

// ContentSecurityPolicy is the policy of both pages: they may load scripts,
// styles, images, fonts and data from the host alone (inline styles and
// data: images included, which both UIs use), so a link to elsewhere in a
// bundled UI stays unfetched.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'self'"

// swaggerInit starts Swagger UI on the document, relative to the page.
const swaggerInit = `window.ui = SwaggerUIBundle({
  url: new URL("openapi.json", document.baseURI).href,
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: true,
  displayRequestDuration: true,
  validatorUrl: null,
  oauth2RedirectUrl: new URL("docs/oauth2-redirect.html", document.baseURI).href,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout"
});
`

// referenceInit starts Swagger UI as a read-only reference, the /redoc page
// of a binary without ReDoc: every operation expanded, no "Try it out".
const referenceInit = `window.ui = SwaggerUIBundle({
  url: new URL("openapi.json", document.baseURI).href,
  dom_id: "#swagger-ui",
  deepLinking: true,
  docExpansion: "list",
  defaultModelsExpandDepth: 2,
  supportedSubmitMethods: [],
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout"
});
`

// swaggerAssets are the files of swagger-ui's dist that the page loads.
var swaggerAssets = map[string]bool{
	"swagger-ui.css": true, "swagger-ui-bundle.js": true, "oauth2-redirect.html": true,
	"favicon-16x16.png": true, "favicon-32x32.png": true,
}

// SwaggerAsset returns a file of Swagger UI served under /docs/ and its
// content type; ok is false for any other name.
func SwaggerAsset(name string) (body []byte, contentType string, ok bool) {
	switch name {
	case "swagger-init.js":
		return []byte(swaggerInit), "text/javascript; charset=utf-8", true
	case "reference-init.js":
		return []byte(referenceInit), "text/javascript; charset=utf-8", true
	}
	if !swaggerAssets[name] {
		return nil, "", false
	}
	return readAsset(swaggerfiles.FS, name)
}

// RedocAsset returns ReDoc's bundle; ok is false when it was not built in.
func RedocAsset(name string) (body []byte, contentType string, ok bool) {
	if name != RedocFile {
		return nil, "", false
	}
	return readAsset(redocFS, "redoc/"+name)
}

// HasRedoc reports whether ReDoc's bundle was built into the binary.
func HasRedoc() bool {
	_, err := fs.Stat(redocFS, "redoc/"+RedocFile)
	return err == nil
}

func readAsset(fsys fs.FS, name string) ([]byte, string, bool) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, "", false
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	return b, ct, true
}

// page is the data of a page: the API's title and the document's URL
// relative to the page.
type page struct {
	Title   string
	SpecURL string
}

// Swagger returns the Swagger UI page for the API titled title. Its
// Authorize button offers the document's security schemes, the OAuth2
// password flow at /user/token among them.
func Swagger(title string) []byte { return render(swaggerPage, title) }

// Redoc returns the ReDoc page, or, when the bundle was not built in, the
// read-only Swagger UI reference that stands in for it.
func Redoc(title string) []byte { return redoc(title, HasRedoc()) }

func redoc(title string, built bool) []byte {
	if !built {
		return render(referencePage, title)
	}
	return render(redocPage, title)
}

func render(t *template.Template, title string) []byte {
	var buf bytes.Buffer
	_ = t.Execute(&buf, page{Title: title, SpecURL: "openapi.json"}) // data is two strings: cannot fail
	return buf.Bytes()
}

// The pages use URLs relative to /docs and /redoc, so that they also work
// behind a proxy that serves the host under a path prefix.
var (
	swaggerPage = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} - Swagger UI</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
<link rel="icon" type="image/png" href="docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/swagger-init.js"></script>
</body>
</html>
`))
	redocPage = template.Must(template.New("redoc").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} - ReDoc</title>
<style>body { margin: 0; padding: 0; }</style>
</head>
<body>
<redoc spec-url="{{.SpecURL}}"></redoc>
<script src="redoc/redoc.standalone.js"></script>
</body>
</html>
`))
	referencePage = template.Must(template.New("reference").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} - API reference</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
<link rel="icon" type="image/png" href="docs/favicon-32x32.png">
</head>
<body>
<p style="font-family: sans-serif; margin: 8px 20px; color: #555">Read-only reference: this binary was built
without ReDoc (<code>go generate ./host/apidocs</code> adds it). Try the API in <a href="docs">Swagger UI</a>.</p>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/reference-init.js"></script>
</body>
</html>
`))
)
