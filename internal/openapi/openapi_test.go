package openapi_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/walkerhost/walkerhost/abi"
	manifestpkg "github.com/walkerhost/walkerhost/internal/manifest"
	"github.com/walkerhost/walkerhost/internal/openapi"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden documents in testdata")

// TestGolden serves each sample guest on a real host and compares its
// /openapi.json with testdata/NAME.json (go test ./internal/openapi -update
// rewrites them), after checking that it is a valid OpenAPI 3.1 document.
func TestGolden(t *testing.T) {
	for _, name := range []string{"hello", "todo", "shared_notes"} {
		t.Run(name, func(t *testing.T) {
			h := testenv.Start(t, testenv.Config(t), name, testenv.Guest(t, name))
			resp, err := http.Get(h.URL + "/openapi.json")
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "application/json" {
				t.Fatalf("GET /openapi.json: %d %s", resp.StatusCode, ct)
			}
			mustValidate(t, got)
			golden(t, filepath.Join("testdata", name+".json"), got)
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/openapi -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from the served document (run go test ./internal/openapi -update if the change is intended)\n%s",
			path, firstDiff(string(want), string(got)))
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) && i < len(g); i++ {
		if w[i] != g[i] {
			return fmt.Sprintf("line %d:\n want %s\n got  %s", i+1, w[i], g[i])
		}
	}
	return fmt.Sprintf("want %d lines, got %d", len(w), len(g))
}

// mustValidate checks doc against the OpenAPI 3.1 schema with libopenapi.
func mustValidate(t *testing.T, doc []byte) {
	t.Helper()
	for _, p := range problems(doc) {
		t.Error(p)
	}
	if t.Failed() {
		t.FailNow()
	}
}

// problems lists what libopenapi-validator finds wrong with doc.
func problems(doc []byte) []string {
	d, err := libopenapi.NewDocument(doc)
	if err != nil {
		return []string{err.Error()}
	}
	if v := d.GetVersion(); v != openapi.Version {
		return []string{fmt.Sprintf("document version %q, want %q", v, openapi.Version)}
	}
	v, errs := validator.NewValidator(d)
	if len(errs) > 0 {
		return []string{fmt.Sprint(errs)}
	}
	var out []string
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			out = append(out, e.Message+": "+e.Reason)
			for _, se := range e.SchemaValidationErrors {
				out = append(out, fmt.Sprintf("  at %s (%s): %s", se.FieldPath, se.KeywordLocation, se.Reason))
			}
		}
	}
	return out
}

// TestValidate_Errors spoils a valid document in ways the OpenAPI 3.1
// schema forbids and expects the validator the tests rely on to notice.
func TestValidate_Errors(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(d map[string]any)
	}{
		{"no info", func(d map[string]any) { delete(d, "info") }},
		{"unknown security scheme type", func(d map[string]any) {
			d["components"].(map[string]any)["securitySchemes"].(map[string]any)["bearerAuth"].(map[string]any)["type"] = "magic"
		}},
		{"parameter without a location", func(d map[string]any) {
			p := d["paths"].(map[string]any)["/walker/post/{node_id}"].(map[string]any)["post"].(map[string]any)
			delete(p["parameters"].([]any)[0].(map[string]any), "in")
		}},
		{"path parameter not required", func(d map[string]any) {
			p := d["paths"].(map[string]any)["/walker/post/{node_id}"].(map[string]any)["post"].(map[string]any)
			p["parameters"].([]any)[0].(map[string]any)["required"] = false
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := decode(t, openapi.Build(manifest, openapi.Options{}))
			tc.spoil(d)
			raw, _ := json.Marshal(d)
			if len(problems(raw)) == 0 {
				t.Fatal("the validator accepts the spoiled document")
			}
		})
	}
}

// every declares a field of each type, required, defaulted and optional.
var every = []abi.Field{
	{Name: "s", Type: abi.TypeString, Required: true},
	{Name: "i", Type: abi.TypeInt, Default: float64(1)},
	{Name: "f", Type: abi.TypeFloat, Default: 0.5},
	{Name: "b", Type: abi.TypeBool},
	{Name: "l", Type: abi.TypeList, Default: []any{}},
	{Name: "o", Type: abi.TypeObject, Required: true},
	{Name: "a", Type: abi.TypeAnyVal},
}

var manifest = &abi.Manifest{
	ABI: abi.Version, SDK: "go/test",
	Nodes: []abi.TypeDecl{{Name: "Todo", Fields: []abi.Field{{Name: "title", Type: abi.TypeString}}}},
	Edges: []abi.TypeDecl{{Name: "HasTodo"}},
	Walkers: []abi.Entry{
		{Name: "post", Access: abi.AccessProtected, Method: "POST", Fields: every},
		{Name: "get", Access: abi.AccessPublic, Method: "GET", Path: "/g/", Fields: every},
		{Name: "hidden", Access: abi.AccessPrivate, Method: "POST"},
		{Name: "hook", Access: abi.AccessProtected, Method: "POST", Webhook: true, Fields: every[:1]},
	},
	Functions: []abi.Entry{{Name: "add", Access: abi.AccessPublic, Method: "POST", Returns: abi.TypeInt}},
}

// TestBuild checks how declarations map to the document, one JSON path at
// a time.
func TestBuild(t *testing.T) {
	opts := openapi.Options{Title: "t", Webhooks: true, SignatureHeader: "X-Sig",
		Routes: []openapi.Route{{"GET", "/healthz", "public"}, {"GET", "/custom/{x}", "protected"}}}
	doc := decode(t, openapi.Build(manifest, opts))
	body := "components/schemas/walker.post"
	tests := []struct {
		name string
		path string
		want any
	}{
		{"openapi version", "openapi", "3.1.0"},
		{"title", "info/title", "t"},
		{"required field", body + "/required", []any{"s", "o"}},
		{"required field is not nullable", body + "/properties/s/type", "string"},
		{"optional field takes null", body + "/properties/b/type", []any{"boolean", "null"}},
		{"default", body + "/properties/i/default", 1.0},
		{"any field", body + "/properties/a", map[string]any{}},
		{"body ref", "paths/~1walker~1post/post/requestBody/content/application~1json/schema/$ref", "#/components/schemas/walker.post"},
		{"body required", "paths/~1walker~1post/post/requestBody/required", true},
		{"protected security", "paths/~1walker~1post/post/security", []any{map[string]any{"bearerAuth": []any{}}, map[string]any{"oauth2Password": []any{}}}},
		{"protected 401", "paths/~1walker~1post/post/responses/401/$ref", "#/components/responses/Error401"},
		{"validation 422", "paths/~1walker~1post/post/responses/422/$ref", "#/components/responses/Error422"},
		{"node variant", "paths/~1walker~1post~1{node_id}/post/parameters/0/name", "node_id"},
		{"node variant 404", "paths/~1walker~1post~1{node_id}/post/responses/404/$ref", "#/components/responses/Error404"},
		{"operation id", "paths/~1walker~1post~1{node_id}/post/operationId", "walker_post_on_node"},
		{"custom path", "paths/~1g~1/get/operationId", "walker_get"},
		{"custom path node variant", "paths/~1g~1{node_id}/get/operationId", "walker_get_on_node"},
		{"public security", "paths/~1g~1/get/security/0", map[string]any{}},
		{"GET query param", "paths/~1g~1/get/parameters/0", map[string]any{"name": "s", "in": "query", "required": true, "schema": map[string]any{"type": "string"}}},
		{"GET query default", "paths/~1g~1/get/parameters/1/schema/default", 1.0},
		{"GET list as JSON", "paths/~1g~1/get/parameters/4/content/application~1json/schema/type", "array"},
		{"GET any as text", "paths/~1g~1/get/parameters/6/schema/type", "string"},
		{"walker result", "paths/~1walker~1post/post/responses/200/content/application~1json/schema/properties/data/properties/result/properties/s/type", []any{"string", "null"}},
		{"function result", "paths/~1function~1add/post/responses/200/content/application~1json/schema/properties/data/properties/result/type", []any{"integer", "null"}},
		{"webhook security", "paths/~1webhook~1hook/post/security", []any{map[string]any{"apiKeyHeader": []any{}}}},
		{"webhook signature header", "paths/~1webhook~1hook/post/parameters/0/name", "X-Sig"},
		{"node type", "components/schemas/node.Todo/properties/_jac_type/const", "Todo"},
		{"edge type", "components/schemas/edge.HasTodo/properties/_jac_archetype/const", "edge"},
		{"known host route", "paths/~1healthz/get/operationId", "healthz"},
		{"other host route", "paths/~1custom~1{x}/get/parameters/0/name", "x"},
		{"other host route security", "paths/~1custom~1{x}/get/security/0", map[string]any{"bearerAuth": []any{}}},
		{"bearer scheme", "components/securitySchemes/bearerAuth/scheme", "bearer"},
		{"oauth2 token URL", "components/securitySchemes/oauth2Password/flows/password/tokenUrl", "/user/token"},
		{"api key header", "components/securitySchemes/apiKeyHeader/name", "X-API-Key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := at(doc, tc.path)
			if !ok {
				t.Fatalf("%s: not in the document", tc.path)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("%s = %#v, want %#v", tc.path, got, tc.want)
			}
		})
	}
	raw, _ := openapi.JSON(manifest, opts)
	mustValidate(t, raw)
}

// TestBuild_Absent checks what the document leaves out.
func TestBuild_Absent(t *testing.T) {
	tests := []struct {
		name string
		opts openapi.Options
		path string
	}{
		{"private walker", openapi.Options{Webhooks: true}, "paths/~1walker~1hidden"},
		{"private walker schema", openapi.Options{Webhooks: true}, "components/schemas/walker.hidden"},
		{"webhook at /walker", openapi.Options{Webhooks: true}, "paths/~1walker~1hook"},
		{"webhooks off", openapi.Options{}, "paths/~1webhook~1hook"},
		{"signature not checked", openapi.Options{Webhooks: true}, "paths/~1webhook~1hook/post/parameters"},
		{"GET has no body", openapi.Options{}, "paths/~1g~1/get/requestBody"},
		{"host route not served", openapi.Options{}, "paths/~1user~1login"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, ok := at(decode(t, openapi.Build(manifest, tc.opts)), tc.path); ok {
				t.Fatalf("%s = %#v, want nothing", tc.path, got)
			}
		})
	}
}

// TestJSON_Deterministic builds the same document from routes in another
// order and expects the same bytes.
func TestJSON_Deterministic(t *testing.T) {
	routes := []openapi.Route{{"GET", "/healthz", "public"}, {"POST", "/user/login", "public"}, {"GET", "/traverse", "protected"}}
	a, err := openapi.JSON(manifest, openapi.Options{Routes: routes})
	if err != nil {
		t.Fatal(err)
	}
	reversed := []openapi.Route{routes[2], routes[1], routes[0]}
	for i := 0; i < 20; i++ {
		b, err := openapi.JSON(manifest, openapi.Options{Routes: reversed})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Fatalf("build %d differs:\n%s", i, firstDiff(string(a), string(b)))
		}
	}
}

func decode(t *testing.T, doc openapi.Document) map[string]any {
	t.Helper()
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// at follows a JSON pointer without its leading slash (~1 is a slash).
func at(v any, path string) (any, bool) {
	for _, key := range strings.Split(path, "/") {
		key = strings.ReplaceAll(key, "~1", "/")
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[key]; !ok {
				return nil, false
			}
		case []any:
			var i int
			if _, err := fmt.Sscan(key, &i); err != nil || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// FuzzBuild builds the document of every manifest that manifest.Parse
// accepts: it must encode, and each path's {parameters} must be declared
// by every operation at that path, as OpenAPI requires.
func FuzzBuild(f *testing.F) {
	seed, _ := json.Marshal(manifest)
	f.Add(seed)
	f.Add([]byte(`{"abi":1,"walkers":[{"name":"w","method":"get","path":"/w/","fields":[{"name":"x","type":"list","default":[1]}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := manifestpkg.Parse(b)
		if err != nil {
			return
		}
		raw, err := openapi.JSON(m, openapi.Options{Webhooks: true, SignatureHeader: "X-Sig"})
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Paths map[string]map[string]struct {
				Parameters []struct{ Name, In string }
			}
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		for path, ops := range doc.Paths {
			for _, m := range paramRE.FindAllStringSubmatch(path, -1) {
				for method, op := range ops {
					if !slices.ContainsFunc(op.Parameters, func(p struct{ Name, In string }) bool { return p.Name == m[1] && p.In == "path" }) {
						t.Fatalf("%s %s does not declare path parameter %s", method, path, m[1])
					}
				}
			}
		}
	})
}

var paramRE = regexp.MustCompile(`\{([^}]*)\}`)

// TestBuild_DocsAndTags: descriptions from the SDK's Doc, a string list as
// an array of string, and jac-scale's tags and summaries.
func TestBuild_DocsAndTags(t *testing.T) {
	m := &abi.Manifest{ABI: abi.Version, SDK: "go/test", Walkers: []abi.Entry{{
		Name: "create", Access: abi.AccessProtected, Method: "POST", Doc: "Creates a todo.",
		Fields: []abi.Field{
			{Name: "tags", Type: abi.TypeList, Items: abi.TypeString, Doc: "labels"},
			{Name: "any", Type: abi.TypeList},
		},
	}}}
	routes := []openapi.Route{{"POST", "/user/refresh-token", "public"}, {"POST", "/user/register", "public"}}
	doc := decode(t, openapi.Build(m, openapi.Options{Routes: routes}))
	tests := []struct {
		path string
		want any
	}{
		{"components/schemas/walker.create/properties/tags", map[string]any{"type": []any{"array", "null"}, "items": map[string]any{"type": "string"}, "description": "labels"}},
		{"components/schemas/walker.create/properties/any/items", map[string]any{}},
		{"paths/~1walker~1create/post/tags", []any{"Walker APIs"}},
		{"paths/~1user~1refresh-token/post/tags", []any{"User APIs"}},
		{"paths/~1user~1refresh-token/post/summary", "Refresh JWT token"},
		{"paths/~1user~1register/post/summary", "Register a new user"},
	}
	for _, tc := range tests {
		got, ok := at(doc, tc.path)
		if !ok || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s = %#v, want %#v", tc.path, got, tc.want)
		}
	}
	if d, _ := at(doc, "paths/~1walker~1create/post/description"); !strings.HasPrefix(fmt.Sprint(d), "Creates a todo.\n\n") {
		t.Errorf("description %q does not start with the walker's Doc", d)
	}
}
