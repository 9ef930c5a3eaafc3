package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestJacEntry: which Jac file an APP argument stands for, and where its
// jac.toml is (a .jac file's folder: `jac start app.jac` once failed with
// "open app.jac/jac.toml: not a directory").
func TestJacEntry(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a", "main.jac"), "")
	writeFile(t, filepath.Join(dir, "a", "app.jac"), "")
	writeFile(t, filepath.Join(dir, "b", "app.jac"), "")
	writeFile(t, filepath.Join(dir, "g", "go.mod"), "module g\n")
	writeFile(t, filepath.Join(dir, "g", "app.jac"), "")
	tests := []struct{ app, entry, toml string }{
		{filepath.Join(dir, "x.jac"), filepath.Join(dir, "x.jac"), filepath.Join(dir, "jac.toml")},
		{filepath.Join(dir, "a"), filepath.Join(dir, "a", "main.jac"), filepath.Join(dir, "a", "jac.toml")},
		{filepath.Join(dir, "b"), filepath.Join(dir, "b", "app.jac"), filepath.Join(dir, "b", "jac.toml")},
		{filepath.Join(dir, "g"), "", filepath.Join(dir, "g", "jac.toml")}, // a Go guest
		{filepath.Join(dir, "m.wasm"), "", filepath.Join(dir, "jac.toml")},
	}
	for _, tc := range tests {
		if got := jacEntry(tc.app); got != tc.entry {
			t.Errorf("jacEntry(%s) = %q, want %q", tc.app, got, tc.entry)
		}
		var f hostFlags
		if got := f.tomlPath(tc.app); got != tc.toml {
			t.Errorf("tomlPath(%s) = %q, want %q", tc.app, got, tc.toml)
		}
	}
	if got := jacName(filepath.Join(dir, "b", "app.jac")); got != "b" {
		t.Errorf("jacName of b/app.jac = %q, want b", got)
	}
	if got := jacName(filepath.Join(dir, "todo.jac")); got != "todo" {
		t.Errorf("jacName of todo.jac = %q, want todo", got)
	}
}

// TestJac_BuildErrors: a Jac program that does not parse or check is a
// build error with its file:line:col, from build, validate and run alike,
// before the runtime is needed.
func TestJac_BuildErrors(t *testing.T) {
	cliEnv(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jac")
	writeFile(t, bad, "walker w {\n    has x: int = \n}\n")
	unsupported := filepath.Join(dir, "sock.jac")
	writeFile(t, unsupported, "import socket;\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"build", bad}, bad + ":3:1: "},
		{[]string{"run", bad}, bad + ":3:1: "},
		{[]string{"validate", bad}, bad + ":3:1: "},
		{[]string{"build", unsupported}, unsupported + ":1:"},
	} {
		code, out, errOut := runCLI(t, tc.args...)
		if code != 1 || !strings.Contains(out+errOut, tc.want) || strings.Contains(out+errOut, ".go:") {
			t.Errorf("jac %s: exit %d, stdout %q, stderr %q; want 1 and %q", strings.Join(tc.args, " "), code, out, errOut, tc.want)
		}
	}
}

// TestJac_Run runs a program's entry blocks through the sandbox; print()
// and the reports of walkers spawned there come out as jaclang prints them.
// It needs the runtime (make build, make test).
func TestJac_Run(t *testing.T) {
	if _, err := jacRuntime(); err != nil {
		if err.Error() != errNoRuntime.Error() || !strings.Contains(err.Error(), "make build") {
			t.Fatalf("without the runtime: %v", err)
		}
		t.Skip("jac built without the Jac runtime: run make jac-runtime")
	}
	cliEnv(t)
	dir := t.TempDir()
	prog := filepath.Join(dir, "hello.jac")
	writeFile(t, prog, `node Todo { has title: str; }
walker Add {
    can run with Root entry {
        here ++> Todo(title="a");
        report [t.title for t in [-->]];
    }
}
with entry {
    print("hi", 3 * 4);
    root spawn Add();
    print({"a": 1});
}
`)
	code, out, errOut := runCLI(t, "run", prog)
	if code != 0 || out != "hi 12\n['a']\n{'a': 1}\n" {
		t.Fatalf("jac run: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	writeFile(t, prog, "with entry {\n    print(\"a\");\n    x = [1][3];\n}\n")
	code, out, errOut = runCLI(t, "run", prog)
	if code != 1 || out != "a\n" || !strings.Contains(errOut, "hello.jac:3:") || !strings.Contains(errOut, "IndexError") {
		t.Fatalf("jac run of a failing program: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, "routes", prog)
	if code != 0 || strings.Contains(out, "_jac_main") {
		t.Fatalf("jac routes: exit %d; the entry blocks must not be a route:\n%s", code, out)
	}
}

// TestJac_RunStorage: jac run gives store() file storage, as jac start
// does, in a folder of its own that lives for the run only (the next run
// starts empty), with local storage's answers.
func TestJac_RunStorage(t *testing.T) {
	if _, err := jacRuntime(); err != nil {
		t.Skip("jac built without the Jac runtime: run make jac-runtime")
	}
	cliEnv(t)
	prog := filepath.Join(t.TempDir(), "files.jac")
	writeFile(t, prog, `glob s = store(base_path="./uploads");
with entry {
    print(s.exists("d/a.txt"));
    s.upload(b"hi", "d/a.txt");
    print(s.download("d/a.txt"), s.get_metadata("d/a.txt")["size"], s.copy("nope", "x"));
    try { s.download("nope"); } except FileNotFoundError as e { print(e); }
}
`)
	for range 2 {
		code, out, errOut := runCLI(t, "run", prog)
		if want := "False\nb'hi' 2 False\nFile not found: nope\n"; code != 0 || out != want {
			t.Fatalf("jac run: exit %d, stdout %q, stderr %q; want %q", code, out, errOut, want)
		}
	}
}
