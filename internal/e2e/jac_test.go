package e2e

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/host"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/testenv"
	"github.com/walkerhost/walkerhost/lang/bundle"
	"github.com/walkerhost/walkerhost/lang/parse"
)

// jacTodo is the module of guests/jactodo/app.jac, the Jac twin of the
// peer app.
func jacTodo(t *testing.T) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "guests", "jactodo", "app.jac"))
	if err != nil {
		t.Fatal(err)
	}
	return testenv.JacApp(t, "app.jac", src)
}

// TestJac_Todo serves the Jac todo app over HTTP, on the embedded store
// and on Redis+MongoDB: the reports of its walkers, nodes included, have
// the form the Go todo guest's have.
func TestJac_Todo(t *testing.T) { testenv.EachTier(t, testJacTodo) }

func testJacTodo(t *testing.T, cfg config.Config) {
	h := testenv.Start(t, cfg, "jactodo", jacTodo(t))
	ping := testenv.Do(t, "POST", h.URL+"/walker/ping", map[string]any{"n": 7}, "").Walker(t)
	assertJSON(t, "ping", ping.Reports, `[{"message":"pong","n":7}]`)
	alice := testenv.Register(t, h.URL, "alice", "pw-alice")
	bob := testenv.Register(t, h.URL, "bob", "pw-bob")
	var created struct{ Reports [][]todo }
	testenv.Do(t, "POST", h.URL+"/walker/create_todo", map[string]any{"title": "milk"}, alice).Decode(t, &created)
	if len(created.Reports) != 1 || len(created.Reports[0]) != 1 {
		t.Fatalf("create_todo reported %+v", created)
	}
	milk := created.Reports[0][0]
	if milk.Type != "Todo" || milk.Arch != "node" || milk.Title != "milk" || milk.Done || len(milk.ID) != 32 {
		t.Fatalf("created %+v", milk)
	}
	testenv.Do(t, "POST", h.URL+"/walker/create_todo", map[string]any{"title": "eggs"}, alice)
	testenv.Do(t, "POST", h.URL+"/walker/create_todo", map[string]any{"title": "bob's"}, bob)
	got := todos(t, testenv.Do(t, "POST", h.URL+"/walker/list_todos", nil, alice))
	if len(got) != 2 || got[0] != milk || got[1].Title != "eggs" {
		t.Fatalf("alice's list: %+v", got)
	}
	if got := todos(t, testenv.Do(t, "POST", h.URL+"/walker/list_todos", nil, bob)); len(got) != 1 || got[0].Title != "bob's" {
		t.Fatalf("bob's list: %+v", got)
	}
	if r := testenv.Do(t, "POST", h.URL+"/walker/create_todo", map[string]any{}, alice); r.Status != 422 || r.Error.Code != "VALIDATION_ERROR" {
		t.Fatalf("create_todo without a title: %d %s", r.Status, r.Body)
	}
}

const runaway = `
def down(n: int) -> int {
    return down(n + 1) + 1;
}

walker :pub spin {
    can run with Root entry {
        i = 0;
        while True { i += 1; }
    }
}

walker :pub recurse {
    can run with Root entry {
        report down(0);
    }
}

walker :pub hoard {
    can run with Root entry {
        s = "hoard";
        while True { s = s + s; }
    }
}

walker :pub fail {
    has at: int = 3;
    can run with Root entry {
        report [1, 2][self.at];
    }
}
`

// TestJac_Runaway: runaway Jac code ends as any guest's does, with the
// limit it hit, and the host keeps serving; a Jac exception is an
// EXECUTION_ERROR naming the Jac line, without a Go stack.
func TestJac_Runaway(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.RequestTimeout = 2 * time.Second
	cfg.MemoryLimitMB = 32
	h := testenv.Start(t, cfg, "runaway", testenv.JacApp(t, "runaway.jac", []byte(runaway)))
	for _, tc := range []struct{ walker, limit string }{{"spin", "time"}, {"recurse", "memory"}, {"hoard", "memory"}} {
		t.Run(tc.walker, func(t *testing.T) {
			r := testenv.Do(t, "POST", h.URL+"/walker/"+tc.walker, nil, "")
			if r.Error == nil || r.Error.Code != "LIMIT_EXCEEDED" || !strings.Contains(string(r.Body), `"limit":"`+tc.limit+`"`) {
				t.Fatalf("%s: %d %s, want LIMIT_EXCEEDED for %s", tc.walker, r.Status, r.Body, tc.limit)
			}
		})
	}
	r := testenv.Do(t, "POST", h.URL+"/walker/fail", nil, "")
	if r.Status != 500 || r.Error.Code != "EXECUTION_ERROR" || !strings.Contains(r.Error.Message, "runaway.jac:29:") ||
		!strings.Contains(r.Error.Message, "IndexError: list index out of range") || strings.Contains(r.Error.Message, ".go:") {
		t.Fatalf("fail: %d %s, want EXECUTION_ERROR at runaway.jac:29", r.Status, r.Body)
	}
	ping := testenv.Do(t, "POST", h.URL+"/walker/fail", map[string]any{"at": 1}, "").Walker(t)
	assertJSON(t, "after the runaways", ping.Reports, `[2]`)
}

// TestJac_UploadSource: the admin API takes Jac source and builds it on
// the host; a program that does not parse is refused with its
// file:line:col.
func TestJac_UploadSource(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.AdminToken = "admin-token-0123456789"
	compile := func(file string, src []byte) ([]byte, error) {
		if _, err := parse.File(file, src); err != nil {
			return nil, err
		}
		return bundle.Append(testenv.JacRuntime(t), []bundle.File{{Name: file, Src: src}}), nil
	}
	h := testenv.StartLogged(t, cfg, "jactodo", jacTodo(t), slog.New(slog.NewTextHandler(io.Discard, nil)), host.WithSource(compile))
	src := []byte("walker :pub hi {\n    can run with Root entry { report \"hi from source\"; }\n}\n")
	r := testenv.DoRaw(t, "POST", h.URL+"/admin/apps/src/modules?activate=true&file=hi.jac", "text/plain", src, cfg.AdminToken)
	if r.Status != 201 {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	got := testenv.Do(t, "POST", h.URL+"/apps/src/walker/hi", nil, "").Walker(t)
	assertJSON(t, "hi", got.Reports, `["hi from source"]`)
	bad := testenv.DoRaw(t, "POST", h.URL+"/admin/apps/src/modules?activate=true&file=bad.jac", "text/plain", []byte("walker w {\n  has x: int = \n}\n"), cfg.AdminToken)
	if bad.Status != 422 || bad.Error.Code != "VALIDATION_ERROR" || !strings.HasPrefix(bad.Error.Message, "bad.jac:3:1: ") {
		t.Fatalf("bad source: %d %s, want 422 naming bad.jac:3:1", bad.Status, bad.Body)
	}
}
