// Package build compiles a guest source folder to a walker module with the
// standard Go toolchain.
package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ErrNotGuest marks a folder that is not a Go guest (no go.mod).
var ErrNotGuest = errors.New("build: not a guest source folder")

// Output returns where Module writes the module of dir: dir/<name>.wasm.
func Output(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	return filepath.Join(dir, filepath.Base(abs)+".wasm")
}

// Module builds the Go guest in dir as a reactor (-buildmode=c-shared for
// GOOS=wasip1 GOARCH=wasm) and returns the path of the .wasm file. The
// compiler's output is returned in the error when the build fails.
func Module(ctx context.Context, dir string) (string, error) {
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		return "", fmt.Errorf("%w: %s has no go.mod", ErrNotGuest, dir)
	}
	out := Output(dir)
	return out, Package(ctx, dir, ".", out)
}

// Package builds the package pkg of the Go module in dir to the module out.
func Package(ctx context.Context, dir, pkg, out string) error {
	out, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-buildmode=c-shared", "-trimpath", "-o", out, pkg)
	cmd.Dir = dir
	env, err := providedEnv(dir)
	if err != nil {
		return err
	}
	cmd.Env = append(append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0"), env...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build: go build %s in %s: %v\n%s", pkg, dir, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
