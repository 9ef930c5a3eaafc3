package image

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/walkerhost/walkerhost/internal/kubetest"
)

func TestMain(m *testing.M) { os.Exit(kubetest.Main(m)) }

// files reads every regular file of img's flattened filesystem.
func files(t *testing.T, img v1.Image) map[string]*tar.Header {
	t.Helper()
	rc := mutate.Extract(img)
	defer rc.Close()
	out := map[string]*tar.Header{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out["/"+strings.TrimSuffix(h.Name, "/")] = h
	}
}

func fileSum(t *testing.T, img v1.Image, path string) [32]byte {
	t.Helper()
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("%s not in image: %v", path, err)
		}
		if "/"+h.Name == path {
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			return sha256.Sum256(b)
		}
	}
}

func TestBuildPushPull(t *testing.T) {
	host, err := ReadHost(kubetest.StubHost(t))
	if err != nil {
		t.Fatal(err)
	}
	if host.Arch != runtime.GOARCH {
		t.Fatalf("arch %s, want %s", host.Arch, runtime.GOARCH)
	}
	mod := Module{Name: "todo", Wasm: []byte("\x00asm\x01\x00\x00\x00 a module")}
	img, err := Build(host, mod)
	if err != nil {
		t.Fatal(err)
	}
	repo, err := name.NewRepository(kubetest.Registry(t) + "/walkers/todo")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := Push(context.Background(), img, repo, authn.Anonymous)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := img.Digest()
	if ref.DigestStr() != want.String() || ref.Context().Name() != repo.Name() {
		t.Fatalf("pushed %s, want %s@%s", ref, repo, want)
	}
	// Pulled back by digest, the image holds the binary and the module,
	// byte for byte, and runs the module as the unprivileged user.
	pulled, err := remote.Image(ref)
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := pulled.Digest(); d != want {
		t.Fatalf("pulled %s, want %s", d, want)
	}
	if got := fileSum(t, pulled, BinaryPath); got != sha256.Sum256(host.Binary) {
		t.Fatal("the host binary in the image differs from the one built")
	}
	if got := fileSum(t, pulled, "/app/todo/todo.wasm"); got != sha256.Sum256(mod.Wasm) {
		t.Fatal("the module in the image differs from the one given")
	}
	fs := files(t, pulled)
	for path, mode := range map[string]int64{BinaryPath: 0o755, "/usr/local/bin": 0o755, "/app/todo": 0o755, "/app/todo/todo.wasm": 0o644, "/etc/passwd": 0o644, CABundle: 0o644, "/tmp": 0o1777, DataDir: 0o755} {
		h, ok := fs[path]
		if !ok {
			t.Errorf("%s missing", path)
			continue
		}
		if h.Mode != mode {
			t.Errorf("%s mode %o, want %o", path, h.Mode, mode)
		}
	}
	if fs[DataDir].Uid != UID {
		t.Errorf("%s owned by %d, want %d", DataDir, fs[DataDir].Uid, UID)
	}
	cf, err := pulled.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cf.Config.Entrypoint, " "); got != "/usr/local/bin/jac start /app/todo --host 0.0.0.0" {
		t.Fatalf("entrypoint %q", got)
	}
	if cf.Config.User != "10001:10001" || cf.OS != "linux" || cf.Architecture != host.Arch {
		t.Fatalf("config %+v", cf)
	}
	if _, ok := cf.Config.ExposedPorts["8000/tcp"]; !ok {
		t.Fatalf("ports %v", cf.Config.ExposedPorts)
	}
	layers, _ := pulled.Layers()
	if len(layers) != 3 {
		t.Fatalf("%d layers, want base, host and module", len(layers))
	}
	// Resolve pins the pushed tag to the same digest.
	d, err := Resolve(context.Background(), repo.Tag("latest").String(), authn.Anonymous)
	if err != nil || d.String() != ref.String() {
		t.Fatalf("resolve latest: %v %v, want %s", d, err, ref)
	}
}

// TestBuild_Reproducible checks that the same inputs give the same digest,
// and that a new module changes only the module layer.
func TestBuild_Reproducible(t *testing.T) {
	host, err := ReadHost(kubetest.StubHost(t))
	if err != nil {
		t.Fatal(err)
	}
	build := func(wasm string) v1.Image {
		img, err := Build(host, Module{Name: "app", Wasm: []byte(wasm)})
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	a, b, c := build("one"), build("one"), build("two")
	da, _ := a.Digest()
	db, _ := b.Digest()
	dc, _ := c.Digest()
	if da != db {
		t.Fatalf("same inputs, digests %s and %s", da, db)
	}
	if da == dc {
		t.Fatal("a new module kept the digest")
	}
	la, _ := a.Layers()
	lc, _ := c.Layers()
	for i, same := range []bool{true, true, false} {
		x, _ := la[i].Digest()
		y, _ := lc[i].Digest()
		if (x == y) != same {
			t.Errorf("layer %d: same %v, want %v", i, x == y, same)
		}
	}
}

func TestReadHost_Errors(t *testing.T) {
	text := filepath.Join(t.TempDir(), "jac")
	if err := os.WriteFile(text, []byte("#!/bin/sh\necho hi\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"missing", "/nonexistent/jac", "no such file"},
		{"not an executable", text, "not a Linux executable"},
		{"dynamically linked", "/bin/ls", "dynamically linked"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadHost(tc.path)
			if !errors.Is(err, ErrHost) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want ErrHost mentioning %q", err, tc.want)
			}
		})
	}
}

func TestResolve_Errors(t *testing.T) {
	reg := kubetest.Registry(t)
	tests := []struct {
		name, ref, want string
	}{
		{"bad reference", "Not A Ref", "could not parse"},
		{"unknown tag", reg + "/nothing:latest", "resolve"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Resolve(context.Background(), tc.ref, authn.Anonymous)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}
