package compile

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/lang/ast"
	"github.com/walkerhost/walkerhost/lang/parse"
)

var update = flag.Bool("update", false, "rewrite the golden .err files of testdata/jac/errors")

func mustParse(t *testing.T, name, src string) *ast.File {
	t.Helper()
	f, err := parse.File(name, []byte(src))
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return f
}

func errText(errs []Error) string {
	var lines []string
	for _, e := range errs {
		lines = append(lines, e.Error())
	}
	return strings.Join(lines, "\n")
}

func TestCheck(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"ok", `import json; import from datetime { datetime } import from http { HTTPMethod }
			import from jac_scale.lib { kvstore } import from jaclang { JacRuntime as Jac }
			walker W { can run with ` + "`root" + ` entry { for x in [1] { break; } report json.dumps({}); } }
			def f() -> int { while True { continue; } return 1; }
			with entry { root spawn W(); }`, ""},
		{"os", "import os;", "a.jac:1:8: import of 'os' is not available in the sandbox"},
		{"from socket", "import from socket { socket }", "a.jac:1:1: import of 'socket' is not available in the sandbox"},
		{"http name", "import from http { HTTPMethod, HTTPStatus }", "a.jac:1:32: 'HTTPStatus' from 'http' is not available in the sandbox (available: HTTPMethod, UploadFile)"},
		{"plain http", "import http;", "a.jac:1:8: import of 'http' is not available in the sandbox"},
		{"impl", "impl Foo.bar { }", "a.jac:1:1: impl block is not supported"},
		{"by llm", "def f() -> str by llm();", "a.jac:1:16: by llm is not supported"},
		{"entry in walker", "walker W { with entry { } }", "a.jac:1:12: 'with entry' is not allowed inside walker W; declare an ability: can NAME with entry { … }"},
		{"return", "with entry { return 1; }", "a.jac:1:14: 'return' outside a function"},
		{"break", "with entry { break; }", "a.jac:1:14: 'break' outside a loop"},
		{"break in def in loop", "with entry { for x in y { def f() { break; } } }", "a.jac:1:37: 'break' outside a loop"},
		{"continue", "def f() { continue; }", "a.jac:1:11: 'continue' outside a loop"},
		{"dup walker", "walker W {}\nwalker W {}", "a.jac:2:1: walker 'W' is already declared as a walker at a.jac:1:1"},
		{"spawn undefined", "with entry { root spawn Nope(); }", "a.jac:1:25: spawn of 'Nope', which is not declared in this program"},
		{"Root", "node Root {}", "a.jac:1:1: the name 'Root' is reserved for the root node type"},
		{"schedule", "@schedule(cron=\"* * * * *\")\nwalker W {}", "a.jac:1:2: @schedule is not supported"},
		{"match", "with entry { match x { case 1: pass; } }", "a.jac:1:14: match statement is not supported"},
		{"allroots", "walker W { can go with Root entry { report len(allroots()); } }", "a.jac:1:48: " + allrootsMsg},
		{"own allroots", "def allroots() -> list { return []; }\nwith entry { print(allroots()); }", ""},
		{"allroots method", "with entry { print(x.allroots()); }", ""},
	}
	for _, tt := range tests {
		f := mustParse(t, "a.jac", tt.src)
		if got := errText(Check(f)); got != tt.want {
			t.Errorf("%s:\n got  %q\n want %q", tt.name, got, tt.want)
		}
	}
}

const allrootsMsg = "allroots() is not available in the sandbox: it would hand any caller the root of every user of the app " +
	"(jac-scale keeps it for admins, and an app's users here have no admin among them); share nodes with perm_grant or allow_root instead"

func TestCheckOwnModules(t *testing.T) {
	models := mustParse(t, "shared/models.jac", "node Todo { has title: str; }")
	app := mustParse(t, "app.jac", "import from shared.models { Todo }\nimport from .models { Todo }\nwith entry { root ++> Todo(title=\"x\"); }")
	if errs := Check(app, models); len(errs) > 0 {
		t.Fatal(errText(errs))
	}
}

func TestDescribe(t *testing.T) {
	src := `import from http { HTTPMethod, UploadFile }
import from uuid { uuid4 }
node Base { has created: str = ""; }
"""A task."""
node Todo(Base) {
    has title: str, done: bool = False;
    has tags: list[str] = ["a", "b"];
    has meta: dict = {"k": 1, "n": None};
    has id: str = str(uuid4());
    has prio: float = 1;
    has note: str | None = None;
    static has count: int = 0;
    has cache: dict by postinit;
    can touch with Visit entry { }
}
edge Owns { has since: int = -3; }
"""Lists todos."""
@restspec(method=HTTPMethod.GET, path="/todos")
walker :pub ListTodos {
    has limit: int = 0x10;
    can run with ` + "`root" + ` entry { }
    can each with Todo | Note exit { }
}
@restspec(webhook=True)
walker Hook { has payload: dict; }
@restspec(protocol=APIProtocol.WEBHOOK)
walker :priv Hook2 { has f: UploadFile; }
walker Child(ListTodos) { has extra: bool = True; }
def :pub add(a: int, b: int = 2, *rest, **kw) -> int { return a + b; }
def _hidden() { }
@restspec(method="get")
def status() -> dict[str, any] { return {}; }
`
	f := mustParse(t, "app.jac", src)
	desc, errs := Describe(f)
	if len(errs) > 0 {
		t.Fatal(errText(errs))
	}
	b, err := json.Marshal(desc)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"abi":0,"sdk":"",` +
		`"nodes":[{"name":"Base","fields":[{"name":"created","type":"string","default":""}]},` +
		`{"name":"Todo","fields":[{"name":"created","type":"string","default":""},{"name":"title","type":"string","required":true},` +
		`{"name":"done","type":"bool","default":false},{"name":"tags","type":"list","default":["a","b"]},` +
		`{"name":"meta","type":"object","default":{"k":1,"n":null}},{"name":"id","type":"string"},` +
		`{"name":"prio","type":"float","default":1},{"name":"note","type":"string"}]}],` +
		`"edges":[{"name":"Owns","fields":[{"name":"since","type":"int","default":-3}]}],` +
		`"walkers":[{"name":"ListTodos","access":"public","method":"GET","path":"/todos","fields":[{"name":"limit","type":"int","default":16}]},` +
		`{"name":"Hook","access":"protected","method":"POST","webhook":true,"fields":[{"name":"payload","type":"object","required":true}]},` +
		`{"name":"Hook2","access":"private","method":"POST","webhook":true,"fields":[{"name":"f","type":"file","required":true}]},` +
		`{"name":"Child","access":"protected","method":"POST","fields":[{"name":"limit","type":"int","default":16},{"name":"extra","type":"bool","default":true}]}],` +
		`"functions":[{"name":"add","access":"public","method":"POST","fields":[{"name":"a","type":"int","required":true},{"name":"b","type":"int","default":2}],"returns":"int"},` +
		`{"name":"status","access":"protected","method":"GET","fields":[],"returns":"object"}]}`
	if string(b) != want {
		t.Errorf("manifest\n got  %s\n want %s", b, want)
	}
	todo := desc.Nodes[1]
	if todo.Doc != "A task." || todo.Fields[3].Items != "string" || !todo.Fields[5].Computed {
		t.Errorf("todo extras: %+v", todo)
	}
	if got := desc.Walkers[0]; got.Doc != "Lists todos." || len(got.Abilities) != 2 ||
		strings.Join(got.Abilities[0].Types, ",") != "Root" || strings.Join(got.Abilities[1].Types, ",") != "Todo,Note" || got.Abilities[1].Event != "exit" {
		t.Errorf("walker extras: %+v", got)
	}
	if len(desc.Walkers[3].Abilities) != 2 {
		t.Errorf("inherited abilities: %+v", desc.Walkers[3].Abilities)
	}
}

func TestDescribeErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{`walker W { has n: int = "x"; }`, "a.jac:1:25: the default of field 'n' does not match its type int"},
		{`node N { has f: UploadFile; }`, "a.jac:1:14: field 'f': a file (UploadFile) can only be a walker field or a function parameter"},
		{`@restspec(method=HTTPMethod.TRACE) walker W {}`, "a.jac:1:18: @restspec method must be one of GET, POST, PUT, PATCH, DELETE (as HTTPMethod.GET or \"GET\")"},
		{`@restspec(path="x") walker W {}`, "a.jac:1:16: @restspec path must start with '/'"},
		{`@restspec(protocol=APIProtocol.WEBSOCKET) walker W {}`, "a.jac:1:20: websocket endpoints are not supported"},
		{`@restspec(colour=1) walker W {}`, "a.jac:1:11: unknown @restspec option 'colour' (method, path, webhook)"},
	}
	for _, tt := range tests {
		_, errs := Describe(mustParse(t, "a.jac", tt.src))
		if got := errText(errs); got != tt.want {
			t.Errorf("%s:\n got  %q\n want %q", tt.src, got, tt.want)
		}
	}
}

// TestErrorGoldens builds every program of testdata/jac/errors and compares
// the build errors with its .err file (go test -run TestErrorGoldens -update
// rewrites them).
func TestErrorGoldens(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "jac", "errors")
	progs, err := filepath.Glob(filepath.Join(dir, "*.jac"))
	if err != nil {
		t.Fatal(err)
	}
	if len(progs) < 30 {
		t.Fatalf("%d programs in %s, want at least 30", len(progs), dir)
	}
	for _, prog := range progs {
		src, err := os.ReadFile(prog)
		if err != nil {
			t.Fatal(err)
		}
		got := Build(filepath.Base(prog), src)
		golden := strings.TrimSuffix(prog, ".jac") + ".err"
		if *update {
			if err := os.WriteFile(golden, []byte(got+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if got == "" {
			t.Errorf("%s: builds without an error", prog)
		}
		if strings.TrimSpace(string(want)) != got {
			t.Errorf("%s:\n got  %s\n want %s", prog, got, strings.TrimSpace(string(want)))
		}
	}
}

// Build is what `jac build` reports for one file: its syntax errors, or
// else its check and describe errors, one per line.
func Build(name string, src []byte) string {
	f, err := parse.File(name, src)
	if err != nil {
		return err.Error()
	}
	errs := Check(f)
	_, derrs := Describe(f)
	return errText(append(errs, derrs...))
}

// FuzzBuild checks that checking and describing any parsed program never
// panics and that the description always marshals.
func FuzzBuild(f *testing.F) {
	f.Add("walker :pub W { has x: int = 1; can r with `root entry { report [-->]; } }")
	f.Add("@restspec(method=HTTPMethod.GET, path=\"/x\") def :pub f(a: list[str] = [\"a\"], b: dict = {\"k\": -1.5}) -> int { return 1; }")
	f.Add("node A(B) { has x: int | None = None; } node B(A) { has y: str; } edge E { } import os; with entry { return; }")
	f.Fuzz(func(t *testing.T, src string) {
		file, err := parse.File("f.jac", []byte(src))
		if err != nil {
			return
		}
		for _, e := range Check(file) {
			if e.Pos.Line < 1 || e.Msg == "" {
				t.Fatalf("bad error %v", e)
			}
		}
		desc, _ := Describe(file)
		if _, err := json.Marshal(desc); err != nil {
			t.Fatal(err)
		}
	})
}
