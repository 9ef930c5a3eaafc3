package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

type todo struct {
	Type  string `json:"_jac_type"`
	ID    string `json:"_jac_id"`
	Arch  string `json:"_jac_archetype"`
	Title string `json:"title"`
	Done  bool   `json:"done"`
}

func todos(t *testing.T, r *testenv.Response) []todo {
	t.Helper()
	var p struct{ Reports []todo }
	if r.Status != 200 {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	r.Decode(t, &p)
	return p.Reports
}

func createTodo(t *testing.T, h *testenv.Host, token, title string) todo {
	t.Helper()
	got := todos(t, testenv.Do(t, "POST", h.URL+"/walker/create_todo", map[string]any{"title": title}, token))
	if len(got) != 1 || got[0].Title != title || got[0].Type != "Todo" || got[0].Arch != "node" || len(got[0].ID) != 32 {
		t.Fatalf("create_todo reported %+v", got)
	}
	return got[0]
}

func listTitles(t *testing.T, h *testenv.Host, token string) []string {
	t.Helper()
	var titles []string
	for _, td := range todos(t, testenv.Do(t, "GET", h.URL+"/walker/list_todos", nil, token)) {
		titles = append(titles, fmt.Sprintf("%s:%v", td.Title, td.Done))
	}
	return titles
}

// todoApp is one implementation of the todo app: the Go guest and its Jac
// twin answer the same requests alike, but for how a walker's own failure
// ("todo ID not found") reaches the client.
type todoApp struct {
	name     string
	wasm     func(t *testing.T) []byte
	notFound int    // the status of a missing todo
	code     string // and its error code
	exact    bool   // the message is exactly "todo ID not found" (else contains it, with the Jac line)
}

var todoApps = []todoApp{
	{"go", func(t *testing.T) []byte { return testenv.Guest(t, "todo") }, 404, "NOT_FOUND", true},
	// A Jac walker reports a missing todo by raising: an uncaught Jac
	// exception is an execution error.
	{"jac", func(t *testing.T) []byte { return testenv.JacGuest(t, "testdata/jac/todo/app.jac") }, 500, "EXECUTION_ERROR", false},
}

// eachTodoApp runs fn on every implementation of the todo app, on every
// tier. A Jac app listed in testdata/jac/KNOWN_GAPS as todo/app is skipped
// with the list's reason.
func eachTodoApp(t *testing.T, fn func(t *testing.T, cfg config.Config, app todoApp)) {
	gaps, err := readKnownGaps()
	if err != nil {
		t.Fatal(err)
	}
	for _, app := range todoApps {
		t.Run(app.name, func(t *testing.T) {
			if reason, ok := gaps["todo/app"]; ok && app.name == "jac" {
				t.Skipf("testdata/jac/KNOWN_GAPS: todo/app %s", reason)
			}
			testenv.EachTier(t, func(t *testing.T, cfg config.Config) { fn(t, cfg, app) })
		})
	}
}

func TestTodo_CRUDAndIsolation(t *testing.T) { eachTodoApp(t, testTodoCRUDAndIsolation) }

func testTodoCRUDAndIsolation(t *testing.T, cfg config.Config, app todoApp) {
	h := testenv.Start(t, cfg, "todo", app.wasm(t))
	alice := testenv.Register(t, h.URL, "alice", "pw-alice")
	bob := testenv.Register(t, h.URL, "bob", "pw-bob")

	milk := createTodo(t, h, alice, "milk")
	createTodo(t, h, alice, "eggs")
	createTodo(t, h, bob, "bob's secret")
	assertJSON(t, "alice's list", listTitles(t, h, alice), `["milk:false","eggs:false"]`)
	assertJSON(t, "bob's list", listTitles(t, h, bob), `["bob's secret:false"]`)

	upd := todos(t, testenv.Do(t, "POST", h.URL+"/walker/update_todo", map[string]any{"id": milk.ID, "done": true}, alice))
	if len(upd) != 1 || !upd[0].Done || upd[0].Title != "milk" {
		t.Fatalf("update_todo reported %+v", upd)
	}
	assertJSON(t, "after update", listTitles(t, h, alice), `["milk:true","eggs:false"]`)

	// Bob can neither update, delete nor spawn on alice's todo.
	for _, path := range []string{"/walker/update_todo", "/walker/delete_todo"} {
		r := testenv.Do(t, "POST", h.URL+path, map[string]any{"id": milk.ID, "title": "stolen"}, bob)
		if r.Status < 400 {
			t.Fatalf("bob changed alice's todo through %s: %d %s", path, r.Status, r.Body)
		}
	}
	if r := testenv.Do(t, "GET", h.URL+"/walker/list_todos/"+milk.ID, nil, bob); r.Status != 403 || r.Error.Code != "FORBIDDEN" {
		t.Fatalf("bob spawned on alice's node: %d %s", r.Status, r.Body)
	}
	assertJSON(t, "alice's list after bob", listTitles(t, h, alice), `["milk:true","eggs:false"]`)

	del := testenv.Do(t, "POST", h.URL+"/walker/delete_todo", map[string]any{"id": milk.ID}, alice).Walker(t)
	assertJSON(t, "delete report", del.Reports, fmt.Sprintf(`[{"deleted":%q}]`, milk.ID))
	assertJSON(t, "after delete", listTitles(t, h, alice), `["eggs:false"]`)
}

func TestTodo_Auth(t *testing.T) { eachTodoApp(t, testTodoAuth) }

func testTodoAuth(t *testing.T, cfg config.Config, app todoApp) {
	h := testenv.Start(t, cfg, "todo", app.wasm(t))
	tests := []struct {
		name, token string
	}{
		{"no token", ""},
		{"garbage token", "not-a-jwt"},
		{"token of another host", "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VybmFtZSI6ImEiLCJleHAiOjk5OTk5OTk5OTl9.c2lnbmF0dXJl"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := testenv.Do(t, "GET", h.URL+"/walker/list_todos", nil, tc.token)
			if r.Status != 401 || r.Error.Code != "UNAUTHORIZED" {
				t.Fatalf("got %d %s", r.Status, r.Body)
			}
		})
	}
	testenv.Register(t, h.URL, "carol", "pw")
	cases := []struct {
		name, path string
		body       any
		status     int
		code       string
	}{
		{"duplicate user", "/user/register", map[string]string{"username": "carol", "password": "x"}, 400, "USER_EXISTS"},
		{"wrong password", "/user/login", map[string]string{"username": "carol", "password": "nope"}, 401, "UNAUTHORIZED"},
		{"unknown user", "/user/login", map[string]string{"username": "nobody", "password": "nope"}, 401, "UNAUTHORIZED"},
		{"empty password", "/user/register", map[string]string{"username": "dave", "password": ""}, 400, "VALIDATION_ERROR"},
		{"not json", "/user/login", "{", 400, "VALIDATION_ERROR"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := testenv.Do(t, "POST", h.URL+tc.path, tc.body, "")
			if r.Status != tc.status || r.Error.Code != tc.code {
				t.Fatalf("got %d %s", r.Status, r.Body)
			}
		})
	}
	wrong := testenv.Do(t, "POST", h.URL+"/user/login", map[string]string{"username": "carol", "password": "nope"}, "")
	unknown := testenv.Do(t, "POST", h.URL+"/user/login", map[string]string{"username": "nobody", "password": "nope"}, "")
	if wrong.Error.Message != "Invalid credentials" || unknown.Error.Message != wrong.Error.Message {
		t.Fatalf("messages differ: %q vs %q", wrong.Error.Message, unknown.Error.Message)
	}
	var login struct {
		Username, Token, RootID, AccessToken, TokenType string
	}
	r := testenv.Do(t, "POST", h.URL+"/user/login", map[string]string{"email": "carol", "password": "pw"}, "")
	r.Decode(t, &login)
	if r.Status != 200 || login.Token == "" {
		t.Fatalf("login by email: %d %s", r.Status, r.Body)
	}
}

func TestTodo_RestartKeepsData(t *testing.T) { eachTodoApp(t, testTodoRestartKeepsData) }

func testTodoRestartKeepsData(t *testing.T, cfg config.Config, app todoApp) {
	wasm := app.wasm(t)
	h := testenv.Start(t, cfg, "todo", wasm)
	token := testenv.Register(t, h.URL, "erin", "pw-erin")
	createTodo(t, h, token, "survive")
	h.Stop()

	h2 := testenv.Start(t, cfg, "todo", wasm)
	assertJSON(t, "list after restart", listTitles(t, h2, token), `["survive:false"]`)
	r := testenv.Do(t, "POST", h2.URL+"/user/login", map[string]string{"username": "erin", "password": "pw-erin"}, "")
	if r.Status != 200 {
		t.Fatalf("login after restart: %d %s", r.Status, r.Body)
	}
}

func TestTodo_FailedWalkerWritesNothing(t *testing.T) {
	eachTodoApp(t, testTodoFailedWalkerWritesNothing)
}

func testTodoFailedWalkerWritesNothing(t *testing.T, cfg config.Config, app todoApp) {
	h := testenv.Start(t, cfg, "todo", app.wasm(t))
	token := testenv.Register(t, h.URL, "fay", "pw")
	r := testenv.Do(t, "POST", h.URL+"/walker/update_todo", map[string]any{"id": "00000000000000000000000000000000", "done": true}, token)
	msg := "todo 00000000000000000000000000000000 not found"
	if r.Status != app.notFound || r.Error.Code != app.code || !strings.Contains(r.Error.Message, msg) || (app.exact && r.Error.Message != msg) {
		t.Fatalf("update of a missing todo: %d %s", r.Status, r.Body)
	}
	if got := listTitles(t, h, token); len(got) != 0 {
		t.Fatalf("list %v, want empty", got)
	}
}
