package kubetest

import (
	"fmt"
	"github.com/walkerhost/walkerhost/internal/testenv"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// binDir holds the binaries this package builds for a test process;
// Main removes it.
var (
	binDirOnce sync.Once
	binDir     string
	binDirErr  error
)

// built is a binary built once per test process.
type built struct {
	once sync.Once
	path string
	err  error
}

func (b *built) get(t testing.TB, name string, build func(out string) error) string {
	t.Helper()
	b.once.Do(func() {
		binDirOnce.Do(func() { binDir, binDirErr = os.MkdirTemp("", "kubetest-bin-") })
		if b.err = binDirErr; b.err == nil {
			b.path = filepath.Join(binDir, name)
			b.err = build(b.path)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

var jac, stub built

// StaticJac returns a jac built from this repository with CGO_ENABLED=0,
// the binary the host image carries, built once per test process, with
// jac-deploy, which its deploy commands run, beside it.
func StaticJac(t testing.TB) string {
	t.Helper()
	return jac.get(t, "jac", testenv.BuildJacDeploy)
}

// StubHost returns a small static Linux program that stands in for jac in
// images no test runs: it builds in a second and keeps images small.
func StubHost(t testing.TB) string {
	t.Helper()
	return stub.get(t, "stub", func(out string) error {
		src := filepath.Join(filepath.Dir(out), "stub.go")
		if err := os.WriteFile(src, []byte("package main\n\nfunc main() { println(\"stub host\") }\n"), 0o644); err != nil {
			return err
		}
		cmd := exec.Command("go", "build", "-o", out, src)
		cmd.Dir = filepath.Dir(out)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GO111MODULE=off")
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("kubetest: build the stub host: %v\n%s", err, b)
		}
		return nil
	})
}
