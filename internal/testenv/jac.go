package testenv

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// JacGuest returns the module `jac build` makes of the Jac program at path
// (relative to the repository root), built once per test process with a
// jac built from ./cmd/jac.
func JacGuest(t testing.TB, path string) []byte {
	t.Helper()
	wasm, err := TryJacGuest(path)
	if err != nil {
		t.Fatal(err)
	}
	return wasm
}

var (
	jacBinOnce sync.Once
	jacBin     string
	jacBinErr  error
	jacCache   sync.Map // path → *guestBuild
)

// TryJacGuest is JacGuest returning its failure, for tests that expect
// some programs not to build yet.
func TryJacGuest(path string) ([]byte, error) {
	v, _ := jacCache.LoadOrStore(path, &guestBuild{})
	g := v.(*guestBuild)
	g.once.Do(func() { g.wasm, g.err = buildJac(path) })
	return g.wasm, g.err
}

// JacBinary returns a jac built from ./cmd/jac once per test process (or
// $JAC_BIN when set), with the Jac runtime embedded as `make build` does:
// lang/guest compiled to cmd/jac/runtime/jac-runtime.wasm first.
func JacBinary() (string, error) {
	if b := os.Getenv("JAC_BIN"); b != "" {
		return b, nil
	}
	jacBinOnce.Do(func() {
		root := RepoRoot(nil)
		if err := buildJacRuntime(root); err != nil {
			jacBinErr = err
			return
		}
		dir, err := os.MkdirTemp("", "testenv-jac-")
		if err != nil {
			jacBinErr = err
			return
		}
		jacBin = filepath.Join(dir, "jac")
		cmd := exec.Command("go", "build", "-o", jacBin, "./cmd/jac")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			jacBinErr = fmt.Errorf("go build ./cmd/jac: %v\n%s", err, out)
		}
	})
	return jacBin, jacBinErr
}

func removeJacBinary() {
	if jacBin != "" {
		os.RemoveAll(filepath.Dir(jacBin))
	}
}

// buildJacRuntime puts the Jac runtime (lang/guest, built as JacRuntime
// builds it: once per source version) where cmd/jac embeds it, replacing
// the file at once so that test binaries building jac side by side never
// see half a module.
func buildJacRuntime(root string) error {
	src := filepath.Join(root, "lang", "guest")
	if _, err := os.Stat(filepath.Join(src, "go.mod")); err != nil {
		return nil // a tree without the Jac runtime
	}
	wasm, _, err := buildOnce(src, ".", "jac-runtime",
		[]string{filepath.Join(root, "lang"), filepath.Join(root, "sdk"), filepath.Join(root, "abi")})
	if err != nil {
		return fmt.Errorf("build the Jac runtime (lang/guest): %w", err)
	}
	dst := filepath.Join(root, "cmd", "jac", "runtime", "jac-runtime.wasm")
	tmp := fmt.Sprintf("%s.%d.tmp", dst, os.Getpid())
	if err := os.WriteFile(tmp, wasm, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// buildJac runs `jac build FILE.jac` on a copy of the program in a fresh
// folder and reads the module whose path it prints last.
func buildJac(path string) ([]byte, error) {
	bin, err := JacBinary()
	if err != nil {
		return nil, err
	}
	src, err := os.ReadFile(filepath.Join(RepoRoot(nil), path))
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "testenv-jacbuild-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, filepath.Base(path))
	if err := os.WriteFile(file, src, 0o644); err != nil {
		return nil, err
	}
	var out, errOut bytes.Buffer
	cmd := exec.Command(bin, "build", file)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("jac build %s: %v\n%s%s", path, err, out.String(), errOut.String())
	}
	lines := strings.Fields(strings.TrimSpace(out.String()))
	if len(lines) == 0 {
		return nil, fmt.Errorf("jac build %s printed no module path", path)
	}
	wasm := lines[len(lines)-1]
	if !filepath.IsAbs(wasm) {
		wasm = filepath.Join(dir, wasm)
	}
	return os.ReadFile(wasm)
}

// Send sends req with an optional Bearer token and decodes the envelope,
// returning its failures: for requests Do cannot make (webhook headers,
// hand-made bodies).
func Send(req *http.Request, token string) (*Response, error) { return send(req, token) }
