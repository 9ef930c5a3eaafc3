package e2e

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

func startHello(t *testing.T) *testenv.Host {
	t.Helper()
	return testenv.Start(t, testenv.Config(t), "hello", testenv.Guest(t, "hello"))
}

func TestHello_Endpoints(t *testing.T) {
	h := startHello(t)
	tests := []struct {
		name, method, path string
		body               any
		wantReports        string
		wantResult         string
	}{
		{"custom path GET with query", "GET", "/hello?name=Ada", nil, `[{"message":"Hello, Ada!"}]`, `{"name":"Ada"}`},
		{"default field", "GET", "/hello", nil, `[{"message":"Hello, world!"}]`, `{"name":"world"}`},
		{"function result", "POST", "/function/add", `{"a":2,"b":40}`, `[]`, `42`},
		{"standard library crypto in a guest", "POST", "/function/digest", `{"text":"abc"}`, `[]`,
			`"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"`},
		{"private walker spawned", "POST", "/walker/call_secret", `{}`, `[{"secret":"swordfish"}]`, `{}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := testenv.Do(t, tc.method, h.URL+tc.path, tc.body, "").Walker(t)
			assertJSON(t, "reports", p.Reports, tc.wantReports)
			assertJSON(t, "result", p.Result, tc.wantResult)
		})
	}
}

func TestHello_Errors(t *testing.T) {
	h := startHello(t)
	tests := []struct {
		name, method, path string
		body               any
		status             int
		code, msg          string
	}{
		{"unknown walker names what exists", "POST", "/walker/nope", `{}`, 404, "NOT_FOUND", `walker "nope" not found; available: `},
		{"unknown function", "POST", "/function/nope", `{}`, 404, "NOT_FOUND", `function "nope" not found; available: calls, digest, add`},
		{"private walker has no route", "POST", "/walker/secret", `{}`, 404, "NOT_FOUND", `walker "secret" not found`},
		{"custom path walker only at its path", "GET", "/walker/greet", nil, 404, "NOT_FOUND", `served at GET /hello`},
		{"wrong method", "DELETE", "/hello", nil, 405, "METHOD_NOT_ALLOWED", "DELETE is not allowed"},
		{"unknown node id", "POST", "/walker/call_secret/00000000000000000000000000000000", `{}`, 404, "NOT_FOUND", "not found"},
		{"malformed node id", "POST", "/walker/call_secret/xyz", `{}`, 404, "NOT_FOUND", "not found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := testenv.Do(t, tc.method, h.URL+tc.path, tc.body, "")
			if r.Status != tc.status || r.Error == nil || r.Error.Code != tc.code || !strings.Contains(r.Error.Message, tc.msg) {
				t.Fatalf("got %d %s", r.Status, r.Body)
			}
		})
	}
}

func TestHello_Validation(t *testing.T) {
	h := startHello(t)
	tests := []struct {
		name, body string
		loc        []any
		typ        string
	}{
		{"missing required", `{"b":1}`, []any{"body", "a"}, "missing"},
		{"string for int", `{"a":"1","b":2}`, []any{"body", "a"}, "int_type"},
		{"fraction for int", `{"a":1.5,"b":2}`, []any{"body", "a"}, "int_from_float"},
		{"bool for int", `{"a":true,"b":2}`, []any{"body", "a"}, "int_type"},
		{"malformed json", `{"a":`, []any{"body", float64(5)}, "json_invalid"},
		{"not an object", `[1,2]`, []any{"body"}, "model_attributes_type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := testenv.Do(t, "POST", h.URL+"/function/add", tc.body, "")
			if r.Status != 422 || r.Error.Code != "VALIDATION_ERROR" {
				t.Fatalf("got %d %s", r.Status, r.Body)
			}
			var details []struct {
				Loc  []any  `json:"loc"`
				Type string `json:"type"`
				Msg  string `json:"msg"`
			}
			if err := json.Unmarshal(r.Error.Details, &details); err != nil || len(details) == 0 {
				t.Fatalf("details %s: %v", r.Error.Details, err)
			}
			if !reflect.DeepEqual(details[0].Loc, tc.loc) || details[0].Type != tc.typ || details[0].Msg == "" {
				t.Fatalf("first detail %+v, want loc %v type %s", details[0], tc.loc, tc.typ)
			}
			var top struct{ Detail json.RawMessage }
			_ = json.Unmarshal(r.Body, &top)
			if string(top.Detail) != string(r.Error.Details) {
				t.Fatalf("top-level detail %s differs from error.details", top.Detail)
			}
		})
	}
}

func assertJSON(t *testing.T, what string, got any, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(normalizeJSON(got), w) {
		g, _ := json.Marshal(got)
		t.Fatalf("%s = %s, want %s", what, g, want)
	}
}

func normalizeJSON(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}
