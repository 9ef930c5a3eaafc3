package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

const pushToken = "push-admin-token-0123456789"

// pushEnv clears the push command's environment twins.
func pushEnv(t *testing.T) {
	cliEnv(t)
	for _, k := range []string{"JAC_PUSH_URL", "JAC_APP", "JAC_ADMIN_TOKEN"} {
		t.Setenv(k, "")
	}
}

// TestPush uploads versions to a real host with the admin API on: each push
// prints its version and activation, and the app then answers with it; a
// guest folder is built first and goes to the app named after it.
func TestPush(t *testing.T) {
	pushEnv(t)
	cfg := testenv.Config(t)
	cfg.AdminToken = pushToken
	h := testenv.Start(t, cfg, "hello", testenv.Guest(t, "hello"))
	dir := t.TempDir()
	for i, v := range []string{"v1", "v2", "v1"} {
		path := filepath.Join(dir, v+".wasm")
		if err := os.WriteFile(path, testenv.VersionGuest(t, v), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runCLI(t, "push", path, "--to", h.URL+"/", "--app", "svc", "--token", pushToken)
		want := []string{"app svc: version " + string(rune('1'+i)) + " uploaded (", "app svc: version " + string(rune('1'+i)) + " active\n"}
		if code != 0 || !strings.Contains(out, want[0]) || !strings.Contains(out, want[1]) {
			t.Fatalf("push %s: exit %d\nstdout %s\nstderr %s", v, code, out, errOut)
		}
		r := testenv.Do(t, "POST", h.URL+"/apps/svc/walker/version", `{}`, "").Walker(t)
		if len(r.Reports) != 1 || strings.TrimSpace(r.Reports[0].(string)) != v {
			t.Fatalf("after pushing %s the app reports %v", v, r.Reports)
		}
	}

	t.Setenv("JAC_PUSH_URL", h.URL)
	t.Setenv("JAC_ADMIN_TOKEN", pushToken)
	code, out, errOut := runCLI(t, "push", filepath.Join(testenv.RepoRoot(t), "guests", "hello"))
	if code != 0 || !strings.Contains(out, "app hello: version 1 active") || !strings.Contains(errOut, "building ") {
		t.Fatalf("push of a guest folder: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	greet := testenv.Do(t, "GET", h.URL+"/apps/hello/hello?name=ada", nil, "").Walker(t)
	if len(greet.Reports) != 1 {
		t.Fatalf("the pushed folder does not greet: %+v", greet)
	}
}

// TestPush_Errors: every refusal exits non-zero with the reason, the
// host's own message for what it refused.
func TestPush_Errors(t *testing.T) {
	pushEnv(t)
	cfg := testenv.Config(t)
	cfg.AdminToken = pushToken
	h := testenv.Start(t, cfg, "hello", testenv.Guest(t, "hello"))
	off := testenv.Start(t, testenv.Config(t), "hello", testenv.Guest(t, "hello"))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := write("v1.wasm", testenv.VersionGuest(t, "v1"))
	junk := write("junk.wasm", []byte("not a module"))
	foreign := write("badimport.wasm", testenv.BadGuest(t, "badimport"))
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no module", []string{"push"}, 2, "missing MODULE"},
		{"no URL", []string{"push", good, "--token", pushToken}, 2, "missing --to URL"},
		{"URL without scheme", []string{"push", good, "--to", "127.0.0.1:8000", "--token", pushToken}, 2, `--to "127.0.0.1:8000" is not an http:// or https:// URL`},
		{"no token", []string{"push", good, "--to", h.URL}, 2, "missing --token"},
		{"missing module", []string{"push", filepath.Join(dir, "nope.wasm"), "--to", h.URL, "--token", pushToken}, 1, "no such file"},
		{"wrong token", []string{"push", good, "--to", h.URL, "--token", "not-the-admin-token-at-all"}, 1, "refused: 403 FORBIDDEN: not the admin token (check --token"},
		{"admin API off", []string{"push", good, "--to", off.URL, "--token", pushToken}, 1, "refused: 404 NOT_FOUND: no route for POST /admin/apps/v1/modules (is the admin API on?"},
		{"malformed module", []string{"push", junk, "--to", h.URL, "--app", "svc", "--token", pushToken}, 1, junk + ": refused: 422 VALIDATION_ERROR: module \"svc\" refused: decode: wasmrewrite: not a WebAssembly module"},
		{"foreign import", []string{"push", foreign, "--to", h.URL, "--app", "svc", "--token", pushToken}, 1, "imports env.steal_secrets"},
		{"bad app name", []string{"push", good, "--to", h.URL, "--app", "Bad.Name", "--token", pushToken}, 1, "refused: 400 VALIDATION_ERROR: invalid app name: \"Bad.Name\""},
		{"nothing listening", []string{"push", good, "--to", closed, "--token", pushToken}, 1, "connection refused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q (stdout %q)", code, errOut, tc.code, tc.want, out)
			}
		})
	}
	if r := testenv.Do(t, "GET", h.URL+"/admin/apps/svc/modules", nil, pushToken); r.Status != 404 && !strings.Contains(string(r.Body), `"versions":[]`) {
		t.Fatalf("refused pushes stored something: %d %s", r.Status, r.Body)
	}
}
