package build

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// ProvidedVersion is the version under which a jac binary provides the
// walker SDK and ABI modules to a guest that requires them without a
// replace directive: a guest written by jac new outside the repository.
const ProvidedVersion = "v0.0.0"

// Provided are the modules a jac binary carries, by module path, as the
// module zips of ProvidedVersion under provided/ (TestProvided keeps them
// equal to sdk/ and abi/; go test ./internal/build -update rewrites them).
var Provided = []string{"github.com/walkerhost/walkerhost/abi", "github.com/walkerhost/walkerhost/sdk"}

//go:embed provided
var provided embed.FS

// zipName is the file under provided/ of a module path.
func zipName(mod string) string { return "provided/" + path.Base(mod) + ".zip" }

// ModuleZip builds the module zip of the module in dir: its go.mod and
// its Go files without tests and testdata, under MOD@VERSION/, with fixed
// times so that the same sources give the same bytes.
func ModuleZip(mod, dir string) ([]byte, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		name := d.Name()
		if !d.IsDir() && (name == "go.mod" || strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		if filepath.Dir(rel) != "." && path.Base(filepath.ToSlash(rel)) == "go.mod" {
			continue // a nested module is not part of this one
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: mod + "@" + ProvidedVersion + "/" + filepath.ToSlash(rel),
			Method: zip.Deflate, Modified: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(b); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// proxyDir writes the provided modules as a GOPROXY file tree under the
// user's cache and returns it; the folder is named by the zips' hash, so a
// newer jac never reads an older tree.
func proxyDir() (string, error) {
	h := sha256.New()
	zips := map[string][]byte{}
	for _, mod := range Provided {
		b, err := provided.ReadFile(zipName(mod))
		if err != nil {
			return "", err
		}
		zips[mod] = b
		h.Write(b)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "walkerhost", "modproxy-"+hex.EncodeToString(h.Sum(nil))[:16])
	for mod, b := range zips {
		gomod, err := zipFile(b, mod+"@"+ProvidedVersion+"/go.mod")
		if err != nil {
			return "", err
		}
		at := filepath.Join(dir, filepath.FromSlash(mod), "@v")
		if err := os.MkdirAll(at, 0o755); err != nil {
			return "", err
		}
		files := map[string][]byte{
			"list":                    []byte(ProvidedVersion + "\n"),
			ProvidedVersion + ".info": []byte(`{"Version":"` + ProvidedVersion + `","Time":"2020-01-01T00:00:00Z"}`),
			ProvidedVersion + ".mod":  gomod,
			ProvidedVersion + ".zip":  b,
		}
		for name, content := range files {
			if err := os.WriteFile(filepath.Join(at, name), content, 0o644); err != nil {
				return "", err
			}
		}
	}
	return dir, nil
}

func zipFile(z []byte, name string) ([]byte, error) {
	r, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		return nil, err
	}
	return fs.ReadFile(r, name)
}

// providedEnv is the environment that lets go build fetch the provided
// modules from proxyDir, for a guest whose go.mod does not replace the SDK
// with a folder: the file proxy first, then the user's own; no checksum
// database for them (go.sum records their hashes).
func providedEnv(dir string) ([]string, error) {
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil || !bytes.Contains(gomod, []byte(Provided[1])) || bytes.Contains(gomod, []byte(Provided[1]+" =>")) {
		return nil, err
	}
	proxy, err := proxyDir()
	if err != nil {
		return nil, err
	}
	upstream := os.Getenv("GOPROXY")
	if upstream == "" {
		upstream = "https://proxy.golang.org,direct"
	}
	return []string{
		"GOPROXY=file://" + filepath.ToSlash(proxy) + "," + upstream,
		"GONOSUMDB=github.com/walkerhost/walkerhost",
		"GOFLAGS=-mod=mod " + os.Getenv("GOFLAGS"),
	}, nil
}
