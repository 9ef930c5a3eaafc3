package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

// lockedBuffer is a bytes.Buffer safe to write from a process's copier
// while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// copyHello copies the hello guest's sources to a temporary folder, with
// its go.mod pointing at this repository's SDK.
func copyHello(t *testing.T) string {
	t.Helper()
	root := testenv.RepoRoot(t)
	src, dir := filepath.Join(root, "guests", "hello"), filepath.Join(t.TempDir(), "hello")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(src, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(files, filepath.Join(src, "go.mod")) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(f) == "go.mod" {
			b = bytes.ReplaceAll(b, []byte("=> ../../"), []byte("=> "+root+"/"))
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// edit replaces old by new in the file and moves its modification time
// forward, so that a change within the file system's time resolution is
// still seen.
func edit(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s has no %q", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Second)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
}

// eventually polls cond every 200 ms until it holds, failing after limit
// with what the server printed; builds on a busy machine are slow, so the
// limit is generous and no duration is asserted.
func eventually(t *testing.T, what string, stderr *lockedBuffer, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(3 * time.Minute); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("%s: not seen within 3 minutes\nstderr:\n%s", what, stderr.String())
}

// TestStart_Reload serves a copy of the hello guest with jac start --reload,
// edits the greeting and sees the new answer; then breaks the source and
// sees the compiler's error while the last good version keeps answering;
// then repairs it and sees the repaired answer.
func TestStart_Reload(t *testing.T) {
	bin := jacBinary(t)
	dir := copyHello(t)
	cmd := exec.Command(bin, "start", dir, "--reload", "--port", "0", "--data-dir", t.TempDir())
	cmd.Env = append(os.Environ(), "JAC_CACHE_DIR="+filepath.Join(testenv.CacheDir(), "wazero"), "JWT_SECRET=cli-test-secret-0123456789")
	stdout, _ := cmd.StdoutPipe()
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	sc := bufio.NewScanner(stdout)
	url, _ := readBanner(t, sc)
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	greeting := func() string {
		resp, err := http.Get(url + "/hello?name=ada")
		if err != nil {
			return err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	if got := greeting(); !strings.Contains(got, `"Hello, ada!"`) {
		t.Fatalf("before any edit: %s", got)
	}

	src := filepath.Join(dir, "main.go")
	edit(t, src, `"Hello, "`, `"Howdy, "`)
	eventually(t, "the edited greeting", stderr, func() bool { return strings.Contains(greeting(), `"Howdy, ada!"`) })

	edit(t, src, `"Howdy, "`, `"Howdy, " + undefinedName`)
	eventually(t, "the compiler's error", stderr, func() bool { return strings.Contains(stderr.String(), "undefined: undefinedName") })
	if !strings.Contains(stderr.String(), "still serving the last good version") {
		t.Fatalf("a failed build does not say what serves:\n%s", stderr.String())
	}
	if got := greeting(); !strings.Contains(got, `"Howdy, ada!"`) {
		t.Fatalf("after a failed build: %s, want the last good version", got)
	}

	edit(t, src, `"Howdy, " + undefinedName`, `"Hi, "`)
	eventually(t, "the repaired greeting", stderr, func() bool { return strings.Contains(greeting(), `"Hi, ada!"`) })
}

// TestStart_FlagEnvTwins: jac start's own flags read their twins, and a
// twin with a value the flag refuses is a usage error naming it.
func TestStart_FlagEnvTwins(t *testing.T) {
	cliEnv(t)
	tests := []struct{ name, env, value, want string }{
		{"reload not a boolean", "JAC_RELOAD", "maybe", `JAC_RELOAD="maybe": parse error`},
		{"reload of a module", "JAC_RELOAD", "true", "--reload watches a guest folder"},
		{"workers not a number", "JAC_WORKERS", "many", `--workers "many"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("JAC_RELOAD", "")
			t.Setenv("JAC_WORKERS", "")
			t.Setenv(tc.env, tc.value)
			if code, _, errOut := runCLI(t, "start", "app.wasm"); code != 2 || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, errOut, tc.want)
			}
		})
	}
}
