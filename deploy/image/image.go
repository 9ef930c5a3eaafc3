// Package image builds the host image without a container engine: three
// layers written in Go (a minimal base, the static jac binary, the walker
// module) on an empty image, pushed with go-containerregistry. Layers are
// deterministic: the same binary and module give the same digest, so a
// re-deploy of unchanged code changes nothing. docs/DEPLOY.md shows the
// layout.
package image

import (
	"context"
	"fmt"
	"path"
	"strconv"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// The image layout.
const (
	BinaryPath = "/usr/local/bin/jac" // the host
	AppDir     = "/app"               // AppDir/<module>/<module>.wasm
	DataDir    = "/data"              // the host's data directory, writable by UID
	UID        = 10001                // the user the host runs as (not root)
	Port       = 8000                 // the port the host listens on
)

// Module is a walker module as it goes into the image. The app's jac.toml
// stays out (it may hold credentials); a deploy hands its settings to the
// pods in their environment and a Secret.
type Module struct {
	Name string
	Wasm []byte
}

// Dir is where the module lives in the image; the entrypoint serves it.
func (m Module) Dir() string { return path.Join(AppDir, m.Name) }

// Build returns the host image serving m: the base layer, the host layer
// with h's binary, and the module layer, with an entrypoint that runs
// `jac start /app/<module> --host 0.0.0.0` as UID.
func Build(h Host, m Module) (v1.Image, error) {
	base, err := baseLayer()
	if err != nil {
		return nil, err
	}
	dir := 0o755 | dirBit
	host, err := layer(file{name: "/usr", mode: dir}, file{name: "/usr/local", mode: dir}, file{name: "/usr/local/bin", mode: dir},
		file{name: BinaryPath, mode: 0o755, data: h.Binary})
	if err != nil {
		return nil, err
	}
	mod, err := layer(file{name: m.Dir(), mode: dir}, file{name: path.Join(m.Dir(), m.Name+".wasm"), mode: 0o644, data: m.Wasm})
	if err != nil {
		return nil, err
	}
	img, err := mutate.AppendLayers(mutate.MediaType(empty.Image, types.OCIManifestSchema1), base, host, mod)
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", h.Arch
	user := strconv.Itoa(UID)
	cf.Config = v1.Config{
		User:         user + ":" + user,
		Entrypoint:   []string{BinaryPath, "start", m.Dir(), "--host", "0.0.0.0"},
		Env:          []string{"JAC_DATA_DIR=" + DataDir, "JAC_PORT=" + strconv.Itoa(Port)},
		WorkingDir:   DataDir,
		ExposedPorts: map[string]struct{}{strconv.Itoa(Port) + "/tcp": {}},
		Labels: map[string]string{
			"org.opencontainers.image.title":       m.Name,
			"org.opencontainers.image.description": "walker module " + m.Name + " served by the walker host",
		},
	}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	return img, nil
}

// Push writes img to repo, tagged latest, and returns its reference pinned
// by digest.
func Push(ctx context.Context, img v1.Image, repo name.Repository, auth authn.Authenticator) (name.Digest, error) {
	d, err := img.Digest()
	if err != nil {
		return name.Digest{}, fmt.Errorf("image: %w", err)
	}
	if err := remote.Write(repo.Tag("latest"), img, remote.WithAuth(auth), remote.WithContext(ctx)); err != nil {
		return name.Digest{}, fmt.Errorf("image: push %s: %w", repo, err)
	}
	return repo.Digest(d.String()), nil
}

// Resolve returns ref pinned by digest, asking the registry for a tag's
// digest; a reference that already has one is returned as is.
func Resolve(ctx context.Context, ref string, auth authn.Authenticator) (name.Digest, error) {
	r, err := name.ParseReference(ref)
	if err != nil {
		return name.Digest{}, fmt.Errorf("image: %q: %w", ref, err)
	}
	if d, ok := r.(name.Digest); ok {
		return d, nil
	}
	desc, err := remote.Head(r, remote.WithAuth(auth), remote.WithContext(ctx))
	if err != nil {
		return name.Digest{}, fmt.Errorf("image: resolve %s: %w", ref, err)
	}
	return r.Context().Digest(desc.Digest.String()), nil
}
