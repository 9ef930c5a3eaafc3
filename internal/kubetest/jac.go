package kubetest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var (
	jacOnce sync.Once
	jacPath string
	jacErr  error
	jacDir  string
)

// StaticJac returns a jac built from this repository with CGO_ENABLED=0,
// the binary the host image carries; it is built once per test process
// and removed by Main.
func StaticJac(t testing.TB) string {
	t.Helper()
	jacOnce.Do(func() {
		if jacDir, jacErr = os.MkdirTemp("", "kubetest-jac-"); jacErr == nil {
			jacPath = filepath.Join(jacDir, "jac")
			jacErr = BuildJac(jacPath)
		}
	})
	if jacErr != nil {
		t.Fatal(jacErr)
	}
	return jacPath
}

// BuildJac builds a static jac from this repository to out.
func BuildJac(out string) error {
	_, self, _, _ := runtime.Caller(0)
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, "./cmd/jac")
	cmd.Dir = filepath.Join(filepath.Dir(self), "..", "..")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("kubetest: build a static jac: %v\n%s", err, b)
	}
	return nil
}
