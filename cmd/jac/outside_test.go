package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestNew_OutsideRepository: with only the jac binary and Go, jac new and
// jac build (and jac start) work in an empty folder outside any walkerhost repository, the
// generated files name no path on this machine, and the module runs. The
// upstream GOPROXY is off, so the SDK can only come from jac itself.
func TestNew_OutsideRepository(t *testing.T) {
	bin := jacBinary(t)
	tmp := t.TempDir()
	env := append(os.Environ(), "JAC_SDK=", "GOPROXY=off", "GOFLAGS=", "JAC_CACHE_DIR="+filepath.Join(testenv.CacheDir(), "wazero"),
		"JWT_SECRET=cli-test-secret-0123456789", "JAC_DATA_DIR="+filepath.Join(tmp, "data"))
	jac := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir, cmd.Env = tmp, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("jac %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	jac("new", "x")
	for _, f := range []string{"go.mod", "main.go", "jac.toml", "README.md", ".gitignore"} {
		b, err := os.ReadFile(filepath.Join(tmp, "x", f))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), tmp) || strings.Contains(string(b), testenv.RepoRoot(t)) || strings.Contains(string(b), "=>") {
			t.Fatalf("%s names a path on this machine:\n%s", f, b)
		}
	}
	if out := jac("build", "x"); strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:]) != filepath.Join("x", "x.wasm") {
		t.Fatalf("jac build: %s", out)
	}
	if out := jac("call", "x", "hello", "--input", `{"name":"Ada"}`); !strings.Contains(out, "Hello, Ada!") {
		t.Fatalf("jac call: %s", out)
	}
	start := exec.Command(bin, "start", "x", "--port", "0")
	start.Dir, start.Env = tmp, env
	p, err := testenv.StartProcess(start, 2*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	if r := testenv.Do(t, "GET", p.URL+"/hello?name=Ada", nil, ""); r.Status != 200 || !strings.Contains(string(r.Body), "Hello, Ada!") {
		t.Fatalf("GET /hello of the served app: %d %s", r.Status, r.Body)
	}
}
