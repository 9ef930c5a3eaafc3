package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

// runCLI runs a command line in this process and returns its exit code,
// stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// cliEnv points the commands at the test cache and away from the user's
// settings.
func cliEnv(t *testing.T) {
	t.Setenv("JAC_CACHE_DIR", filepath.Join(testenv.CacheDir(), "wazero"))
	t.Setenv("JWT_SECRET", "cli-test-secret-0123456789")
	for _, k := range []string{"JAC_CONFIG", "JAC_DATA_DIR", "JAC_INPUT", "JAC_USER", "JAC_NODE", "JAC_SDK", "JAC_PASSWORD", "JAC_REGISTER", "JAC_VERBOSE", "JAC_LOG_FORMAT", "JAC_HOST", "JAC_PORT"} {
		t.Setenv(k, "")
	}
}

// TestHelp compares the help of jac and of every command with its golden
// file; `jac help CMD` and `jac CMD --help` say the same.
func TestHelp(t *testing.T) {
	cliEnv(t)
	code, out, _ := runCLI(t, "--help")
	if code != 0 {
		t.Fatalf("jac --help exited %d", code)
	}
	golden(t, "testdata/help/jac.golden", out)
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, c.name, "--help")
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			golden(t, "testdata/help/"+c.name+".golden", out)
			if _, again, _ := runCLI(t, "help", c.name); again != out {
				t.Fatalf("jac help %s differs from jac %s --help", c.name, c.name)
			}
			if strings.Contains(out, "-") && !strings.Contains(out, "flags:") && c.name != "version" && c.name != "build" {
				t.Fatalf("help lists no flags")
			}
		})
	}
}

// TestNoArgs: jac alone is a command line not understood: the usage, the
// same as jac --help's, on stderr and exit 2.
func TestNoArgs(t *testing.T) {
	cliEnv(t)
	code, out, errOut := runCLI(t)
	if code != 2 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	golden(t, "testdata/help/jac.golden", errOut)
}

// TestStart_WorkersBanner: --workers says that it sets the cores of one
// process, not a number of worker processes.
func TestStart_WorkersBanner(t *testing.T) {
	cliEnv(t)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	code, out, _ := runCLI(t, "start", filepath.Join(t.TempDir(), "nope.wasm"), "--workers", "2")
	if code != 1 || !strings.HasPrefix(out, "workers: 2 cores (GOMAXPROCS): one process") || !strings.Contains(out, "no worker processes are started") {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
}

// TestHelp_EnvTwins checks that every flag of every command names its
// environment twin.
func TestHelp_EnvTwins(t *testing.T) {
	for _, c := range commands() {
		if c.raw != nil {
			continue // the deploy commands' flags: TestDeployHelp
		}
		fs := newFlagSet(c, nil, os.Getenv)
		c.setup(fs)
		fs.VisitAll(func(f *flag.Flag) {
			if fs.envs[f.Name] == "" || !strings.Contains(f.Usage, "(env "+fs.envs[f.Name]) {
				t.Errorf("jac %s --%s has no environment twin in its help: %q", c.name, f.Name, f.Usage)
			}
		})
	}
}

// TestDeployHelp checks that every flag of the deploy commands (and of
// jac start --scale) names its environment twin, and that their help goes
// to stdout.
func TestDeployHelp(t *testing.T) {
	for _, name := range []string{"start", "status", "scale", "destroy"} {
		fs := flag.NewFlagSet(name, flag.ContinueOnError)
		new(deployFlags).register(fs, name)
		fs.VisitAll(func(f *flag.Flag) {
			if !strings.Contains(f.Usage, "(env ") {
				t.Errorf("jac %s --%s has no environment twin in its help: %q", name, f.Name, f.Usage)
			}
		})
		args := []string{name, "--help"}
		if name == "start" {
			args = []string{name, "APP", "--scale", "--help"}
		}
		code, out, errOut := runCLI(t, args...)
		if code != 0 || errOut != "" || !strings.Contains(out, "usage: jac "+name) {
			t.Errorf("jac %s: exit %d, stdout %q, stderr %q", strings.Join(args, " "), code, out, errOut)
		}
	}
}

// TestRoutes prints the hello guest's route table, which jac start prints
// too.
func TestRoutes(t *testing.T) {
	cliEnv(t)
	code, out, errOut := runCLI(t, "routes", filepath.Join("..", "..", "guests", "hello"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden(t, "testdata/hello-routes.golden", out)
	if !strings.Contains(errOut, "building ../../guests/hello … ") {
		t.Fatalf("no progress line: %q", errOut)
	}
}

// TestValidate runs jac validate on the hello module with broken and valid
// jac.toml files, and on modules the host refuses.
func TestValidate(t *testing.T) {
	cliEnv(t)
	tmp := t.TempDir()
	write := func(name string, wasm []byte) string {
		p := filepath.Join(tmp, name+".wasm")
		if err := os.WriteFile(p, wasm, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	hello := write("hello", testenv.Guest(t, "hello"))
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"valid", []string{hello, "--config", "testdata/validate/valid.toml"}, 0},
		{"no jac.toml", []string{hello}, 0},
		{"unknown keys", []string{hello, "--config", "testdata/validate/unknown-keys.toml"}, 1},
		{"wrong types", []string{hello, "--config", "testdata/validate/wrong-types.toml"}, 1},
		{"out of range", []string{hello, "--config", "testdata/validate/out-of-range.toml"}, 1},
		{"syntax", []string{hello, "--config", "testdata/validate/syntax.toml"}, 1},
		{"missing module", []string{filepath.Join(tmp, "none.wasm")}, 1},
	}
	for _, bad := range []string{"badimport", "badmanifest", "noexports", "reserved", "wrongabi"} {
		tests = append(tests, struct {
			name string
			args []string
			code int
		}{"module " + bad, []string{write(bad, testenv.BadGuest(t, bad))}, 1})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"validate"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out, errOut)
			}
			text := strings.ReplaceAll(out+errOut, tmp, "TMP")
			golden(t, "testdata/validate/"+strings.ReplaceAll(tc.name, " ", "-")+".golden", text)
		})
	}
}

// TestNew writes a guest with jac new, builds it with jac build, lists its
// routes and calls its walkers with jac call, as a user and anonymously.
func TestNew(t *testing.T) {
	cliEnv(t)
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "notes")
	code, out, errOut := runCLI(t, "new", dir, "--sdk", testenv.RepoRoot(t))
	if code != 0 {
		t.Fatalf("jac new: exit %d: %s", code, errOut)
	}
	golden(t, "testdata/new.golden", strings.ReplaceAll(out, tmp, "TMP"))
	if code, _, errOut := runCLI(t, "new", dir, "--sdk", testenv.RepoRoot(t)); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("jac new over an existing guest: exit %d: %s", code, errOut)
	}
	if code, out, errOut := runCLI(t, "build", dir); code != 0 || strings.TrimSpace(out) != filepath.Join(dir, "notes.wasm") {
		t.Fatalf("jac build: exit %d: %s%s", code, out, errOut)
	}
	app := filepath.Join(dir, "notes.wasm")
	data := filepath.Join(tmp, "data")
	calls := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"public walker", []string{"hello", "--input", `{"name":"Ada"}`}, 0, `"message": "Hello, Ada!"`},
		{"protected walker without a user", []string{"add_note", "--input", `{"text":"x"}`}, 1, `"code": "UNAUTHORIZED"`},
		{"unknown user", []string{"add_note", "--user", "nobody"}, 1, `no user "nobody"`},
		{"unknown walker", []string{"nope"}, 1, `has no walker or function "nope"`},
		{"invalid field", []string{"hello", "--input", `{"name":1}`}, 1, `"code": "VALIDATION_ERROR"`},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			callNotes(t, app, data, c.args, c.code, c.want)
		})
	}

	// Register ada through a real host on the same data directory, then
	// call as her.
	wasm, err := os.ReadFile(app)
	if err != nil {
		t.Fatal(err)
	}
	cfg := testenv.Config(t)
	cfg.DataDir = data
	h := testenv.Start(t, cfg, "notes", wasm)
	testenv.Register(t, h.URL, "ada", "s3cret-pass")
	h.Stop()
	callNotes(t, app, data, []string{"add_note", "--user", "ada", "--input", `{"text":"milk"}`}, 0, `"text": "milk"`)
	callNotes(t, app, data, []string{"list_notes", "--user", "ada"}, 0, `"_jac_type": "Note"`)

	// jac call registers and logs in by itself, quietly unless -v.
	accounts := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"register", []string{"add_note", "--user", "bea", "--register", "--password", "pw-bea", "--input", `{"text":"tea"}`}, 0, `"text": "tea"`},
		{"register again logs in", []string{"list_notes", "--user", "bea", "--register", "--password", "pw-bea"}, 0, `"text": "tea"`},
		{"log in", []string{"list_notes", "--user", "bea", "--password", "pw-bea"}, 0, `"text": "tea"`},
		{"wrong password", []string{"list_notes", "--user", "bea", "--password", "nope"}, 1, `user "bea": 401 UNAUTHORIZED: Invalid credentials`},
		{"register without a password", []string{"list_notes", "--user", "bea", "--register"}, 2, "--register needs --user and --password"},
	}
	for _, c := range accounts {
		t.Run(c.name, func(t *testing.T) { callNotes(t, app, data, c.args, c.code, c.want) })
	}
	for _, verbose := range []bool{false, true} {
		args := []string{"call", app, "hello", "--data-dir", data}
		if verbose {
			args = append(args, "-v")
		}
		_, _, errOut := runCLI(t, args...)
		if strings.Contains(errOut, "level=INFO") != verbose {
			t.Fatalf("-v %v: stderr %q", verbose, errOut)
		}
	}

	// A server holding the data directory: say what to do.
	h = testenv.Start(t, cfg, "notes", wasm)
	defer h.Stop()
	callNotes(t, app, data, []string{"hello"}, 1, "most likely a running jac start: stop it, or pass --data-dir DIR")
}

func callNotes(t *testing.T, app, data string, args []string, wantCode int, want string) {
	t.Helper()
	code, out, errOut := runCLI(t, append([]string{"call", app}, append(args, "--data-dir", data)...)...)
	if code != wantCode || !strings.Contains(out+errOut, want) {
		t.Fatalf("jac call %q: exit %d, want %d and %q:\n%s%s", args, code, wantCode, want, out, errOut)
	}
}
