package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/walkerhost/walkerhost/lang/bundle"
	"github.com/walkerhost/walkerhost/lang/compile"
	"github.com/walkerhost/walkerhost/lang/parse"
)

// runtimeFS holds the Jac runtime, lang/guest compiled to wasm by
// `make build`. The folder's README keeps the pattern matching when the
// runtime was not built, so that a plain `go build` still compiles.
//
//go:embed runtime
var runtimeFS embed.FS

const runtimePath = "runtime/jac-runtime.wasm"

// errNoRuntime is the answer of a jac built without the Jac runtime.
var errNoRuntime = errors.New("this jac was built without the Jac runtime; build jac with `make build`, " +
	"which compiles lang/guest to cmd/jac/runtime/jac-runtime.wasm and embeds it")

// jacRuntime returns the embedded Jac runtime module.
func jacRuntime() ([]byte, error) {
	rt, err := runtimeFS.ReadFile(runtimePath)
	if err != nil {
		return nil, errNoRuntime
	}
	return rt, nil
}

// jacEntry returns the Jac file app stands for: app itself when it is a
// .jac file, DIR/main.jac or DIR/app.jac for a folder that is not a Go
// guest; "" otherwise.
func jacEntry(app string) string {
	if strings.HasSuffix(app, ".jac") {
		return app
	}
	if fileExists(filepath.Join(app, "go.mod")) {
		return ""
	}
	for _, name := range []string{"main.jac", "app.jac"} {
		if p := filepath.Join(app, name); fileExists(p) {
			return p
		}
	}
	return ""
}

// jacName is the module name of a Jac app: the file's name, or its
// folder's for main.jac and app.jac.
func jacName(entry string) string {
	base := strings.TrimSuffix(filepath.Base(entry), ".jac")
	if base == "main" || base == "app" {
		if abs, err := filepath.Abs(filepath.Dir(entry)); err == nil {
			return filepath.Base(abs)
		}
	}
	return base
}

// jacOutput is where jac build writes the module of a Jac entry file:
// beside it, with .wasm for .jac.
func jacOutput(entry string) string { return strings.TrimSuffix(entry, ".jac") + ".wasm" }

// buildJac checks a Jac program and returns its module: the embedded
// runtime with the program's source in its walker.program section
// (abi/ABI.md "Program"). It needs no toolchain and takes milliseconds.
func buildJac(entry string) ([]byte, error) {
	src, err := os.ReadFile(entry)
	if err != nil {
		return nil, err
	}
	if err := checkJac(entry, src); err != nil {
		return nil, err
	}
	return jacModule(filepath.Base(entry), src)
}

// checkJac parses and checks a Jac file as the runtime will load it: every
// problem is a build error with its file:line:col, one a line.
func checkJac(file string, src []byte) error {
	f, err := parse.File(file, src)
	if err != nil {
		return err
	}
	errs := compile.Check(f)
	if len(errs) == 0 {
		_, errs = compile.Describe(f)
	}
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return errors.New(strings.Join(msgs, "\n"))
}

// jacModule is the module of a checked Jac file.
func jacModule(name string, src []byte) ([]byte, error) {
	rt, err := jacRuntime()
	if err != nil {
		return nil, err
	}
	return bundle.Append(rt, []bundle.File{{Name: name, Src: src}}), nil
}

// compileJacSource is the host's apps.SourceCompiler: a Jac file uploaded
// to the admin API (jac push app.jac) is checked and built on the host.
func compileJacSource(file string, src []byte) ([]byte, error) {
	name := filepath.Base(file)
	if !strings.HasSuffix(name, ".jac") {
		return nil, fmt.Errorf("%s is neither a wasm module nor Jac source (.jac)", name)
	}
	if err := checkJac(name, src); err != nil {
		return nil, err
	}
	return jacModule(name, src)
}

// loadJac builds the Jac app entry as loadModule does for a guest folder.
func loadJac(entry string, progress io.Writer) (string, []byte, error) {
	var wasm []byte
	err := step(progress, "building "+entry, func() (err error) {
		wasm, err = buildJac(entry)
		return err
	})
	return jacName(entry), wasm, err
}

// writeJac is jac build for a Jac app: it writes the module beside the
// entry file and returns its path.
func writeJac(ctx context.Context, entry string, progress io.Writer) (string, error) {
	_, wasm, err := loadJac(entry, progress)
	if err != nil {
		return "", err
	}
	out := jacOutput(entry)
	if err := os.WriteFile(out, wasm, 0o644); err != nil {
		return "", fmt.Errorf("writing %s: %w", out, err)
	}
	return out, ctx.Err()
}
