// Package testenv starts real hosts on loopback ports for black-box tests
// and builds the guests in guests/ once per source version.
package testenv

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/walkerhost/walkerhost/internal/build"
	"github.com/walkerhost/walkerhost/internal/dbserver"
	"github.com/walkerhost/walkerhost/lang/bundle"
)

// RepoRoot returns the repository root (the folder with go.mod and guests/).
func RepoRoot(t testing.TB) string { return dbserver.RepoRoot() }

var guestCache sync.Map // name → *guestBuild

type guestBuild struct {
	once sync.Once
	wasm []byte
	err  error
}

// Guest returns the module built from guests/<name>. Builds are cached under
// the user cache directory, keyed by a hash of the guest's, the SDK's and
// the ABI's sources and the Go version, so unchanged guests are not rebuilt.
func Guest(t testing.TB, name string) []byte {
	t.Helper()
	root := RepoRoot(t)
	return cachedBuild(t, filepath.Join(root, "guests", name), ".", name,
		filepath.Join(root, "sdk"), filepath.Join(root, "abi"))
}

// GuestFile builds guests/<name> as Guest does and returns the path of the
// cached module, for code that runs outside a test (TestMain, examples).
func GuestFile(name string) (string, error) {
	root := dbserver.RepoRoot()
	_, path, err := buildOnce(filepath.Join(root, "guests", name), ".", name,
		[]string{filepath.Join(root, "sdk"), filepath.Join(root, "abi")})
	return path, err
}

// SDKGuest returns the module built from package pkg of the Go SDK's
// module, such as its conformance guest, "./conformance".
func SDKGuest(t testing.TB, pkg string) []byte {
	t.Helper()
	root := RepoRoot(t)
	return cachedBuild(t, filepath.Join(root, "sdk"), pkg, "sdk-"+filepath.Base(pkg),
		filepath.Join(root, "sdk"), filepath.Join(root, "abi"))
}

// JacRuntime returns the Jac runtime module (lang/guest), built once.
func JacRuntime(t testing.TB) []byte {
	t.Helper()
	root := RepoRoot(t)
	return cachedBuild(t, filepath.Join(root, "lang", "guest"), ".", "jac-runtime",
		filepath.Join(root, "lang"), filepath.Join(root, "sdk"), filepath.Join(root, "abi"))
}

// JacApp returns the module of a Jac program: the runtime with the source
// as its program, as jac build makes it.
func JacApp(t testing.TB, file string, src []byte) []byte {
	t.Helper()
	return bundle.Append(JacRuntime(t), []bundle.File{{Name: file, Src: src}})
}

// BadGuest returns the module built from testdata/badguests/<name>, a module
// the host must refuse.
func BadGuest(t testing.TB, name string) []byte {
	t.Helper()
	dir := filepath.Join(RepoRoot(t), "testdata", "badguests")
	return cachedBuild(t, dir, "./"+name, "bad-"+name, filepath.Join(dir, "raw"))
}

func cachedBuild(t testing.TB, dir, pkg, name string, deps ...string) []byte {
	t.Helper()
	v, _ := guestCache.LoadOrStore(name, &guestBuild{})
	g := v.(*guestBuild)
	g.once.Do(func() { g.wasm, _, g.err = buildOnce(dir, pkg, name, deps) })
	if g.err != nil {
		t.Fatalf("build %s: %v", name, g.err)
	}
	return g.wasm
}

// buildOnce returns the module built from dir/pkg and the path of its copy
// in the cache, building it when the cache has none for these sources.
func buildOnce(dir, pkg, name string, deps []string) ([]byte, string, error) {
	key, err := sourceHash(append([]string{filepath.Join(dir, pkg)}, deps...)...)
	if err != nil {
		return nil, "", err
	}
	cached := filepath.Join(CacheDir(), "guests", name+"-"+key+".wasm")
	if b, err := os.ReadFile(cached); err == nil {
		return b, cached, nil
	}
	if err := os.MkdirAll(filepath.Dir(cached), 0o755); err != nil {
		return nil, "", err
	}
	tmp := fmt.Sprintf("%s.%d.tmp", cached, os.Getpid())
	if err := build.Package(context.Background(), dir, pkg, tmp); err != nil {
		return nil, "", err
	}
	if err := os.Rename(tmp, cached); err != nil {
		return nil, "", err
	}
	b, err := os.ReadFile(cached)
	return b, cached, err
}

// CacheDir is where tests keep built artifacts between runs:
// $WALKERHOST_CACHE, else the user cache directory's walkerhost folder.
func CacheDir() string { return dbserver.CacheDir() }

func sourceHash(dirs ...string) (string, error) {
	h := sha256.New()
	h.Write([]byte(runtime.Version()))
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if !strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "go.mod") && !strings.HasSuffix(p, "go.sum") {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h.Write([]byte(p[len(dir):]))
			h.Write(b)
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// VersionGuest returns the module built from testdata/versions/<name> (v1
// or v2): the same walker, "version", reporting its own version.
func VersionGuest(t testing.TB, name string) []byte {
	t.Helper()
	root := RepoRoot(t)
	return cachedBuild(t, filepath.Join(root, "testdata", "versions"), "./"+name, "version-"+name,
		filepath.Join(root, "sdk"), filepath.Join(root, "abi"))
}
