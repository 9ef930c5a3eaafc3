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
		if jacDir, jacErr = os.MkdirTemp("", "kubetest-jac-"); jacErr != nil {
			return
		}
		_, self, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(self), "..", "..")
		jacPath = filepath.Join(jacDir, "jac")
		cmd := exec.Command("go", "build", "-trimpath", "-o", jacPath, "./cmd/jac")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			jacErr = fmt.Errorf("kubetest: build a static jac: %v\n%s", err, out)
		}
	})
	if jacErr != nil {
		t.Fatal(jacErr)
	}
	return jacPath
}
