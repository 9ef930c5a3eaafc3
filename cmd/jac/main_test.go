package main

import (
	"bufio"
	"bytes"
	"flag"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite golden files")

// jacBinary builds the jac command once per test run.
func jacBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "jac")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func TestRun_Errors(t *testing.T) {
	empty := t.TempDir() // not os.TempDir(): anything may lie there, an app.jac too
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown command", []string{"bogus"}, 2, `unknown command "bogus"`},
		{"start without app", []string{"start"}, 2, "missing APP"},
		{"start missing module", []string{"start", "/nonexistent/app.wasm"}, 1, "no such file"},
		{"start bad flag", []string{"start", "--nope", "x"}, 2, "flag provided but not defined: -nope"},
		{"start two apps", []string{"start", "a.wasm", "b.wasm"}, 2, `unexpected arguments ["b.wasm"]`},
		{"start reload of a module", []string{"start", "app.wasm", "--reload"}, 2, "--reload watches a guest folder or a Jac app; app.wasm is neither"},
		{"start zero workers", []string{"start", "app.wasm", "--workers", "0"}, 2, `--workers "0": want a number of cores, at least 1`},
		{"start bad reload flag", []string{"start", "app.wasm", "--reload=maybe"}, 2, `invalid boolean value "maybe" for -reload`},
		{"build without dir", []string{"build"}, 2, "missing DIR"},
		{"build non-guest", []string{"build", empty}, 1, "not a guest source folder"},
		{"call without walker", []string{"call", "app.wasm"}, 2, "missing NAME"},
		{"call with bad input", []string{"call", "app.wasm", "w", "--input", "{"}, 2, "--input is not JSON"},
		{"call missing module", []string{"call", "/nonexistent/app.wasm", "w"}, 1, "no such file"},
		{"new bad name", []string{"new", filepath.Join(os.TempDir(), "Bad-Name")}, 2, `"Bad-Name" is not a guest name`},
		{"new without sdk", []string{"new", "--sdk", os.TempDir(), filepath.Join(os.TempDir(), "fresh_guest")}, 1, "cannot find the walker SDK"},
		{"help of unknown command", []string{"help", "bogus"}, 2, `unknown command "bogus"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(tc.args, &out, &errOut); code != tc.code || !strings.Contains(errOut.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errOut.String(), tc.code, tc.want)
			}
		})
	}
	var out bytes.Buffer
	if code := run([]string{"version"}, &out, io.Discard); code != 0 || !strings.Contains(out.String(), "walker ABI v1") {
		t.Fatalf("version: %d %q", code, out.String())
	}
}

// TestStart builds the hello guest from source with `jac start DIR`, checks
// the banner's route table against a golden file, serves a request and
// stops on SIGTERM.
func TestStart(t *testing.T) {
	bin := jacBinary(t)
	guest := filepath.Join(testenv.RepoRoot(t), "guests", "hello")
	cmd := exec.Command(bin, "start", guest, "--port", "0", "--data-dir", t.TempDir())
	cmd.Env = append(os.Environ(), "JAC_CACHE_DIR="+filepath.Join(testenv.CacheDir(), "wazero"), "JWT_SECRET=cli-test-secret-0123456789")
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(stdout)
	url, routes := readBanner(t, sc)
	golden(t, "testdata/hello-routes.golden", routes)
	if !sc.Scan() || sc.Text() != "docs: "+url+"/docs" {
		t.Fatalf("after the route table: %q, want the docs URL", sc.Text())
	}

	resp, err := http.Get(url + "/hello?name=cli")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Hello, cli!") {
		t.Fatalf("GET /hello: %d %s", resp.StatusCode, body)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("jac start exited with %v\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("jac start did not stop on SIGTERM")
	}
}

// readBanner reads stdout up to the end of the route table and returns the
// URL and the table.
func readBanner(t *testing.T, sc *bufio.Scanner) (string, string) {
	t.Helper()
	var url string
	var table strings.Builder
	deadline := time.AfterFunc(2*time.Minute, func() { t.Error("no banner within 2 minutes") })
	defer deadline.Stop()
	for sc.Scan() {
		line := sc.Text()
		if _, after, ok := strings.Cut(line, " at http://"); ok && strings.HasPrefix(line, "serving module") {
			url = "http://" + after
			continue
		}
		if url == "" {
			continue
		}
		if line == "" && table.Len() > 0 {
			return url, table.String()
		}
		if line != "" {
			table.WriteString(line + "\n")
		}
	}
	t.Fatalf("stdout ended before the route table (url %q)", url)
	return "", ""
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Fatalf("%s differs:\n--- got\n%s--- want\n%s", path, got, want)
	}
}
