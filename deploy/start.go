package deploy

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/walkerhost/walkerhost/deploy/image"
	"github.com/walkerhost/walkerhost/deploy/registry"
	"github.com/walkerhost/walkerhost/host/config"
)

// Options say what Start deploys and how.
type Options struct {
	Config Config
	Module image.Module // the walker module
	// Build builds the image and pushes it; otherwise Start deploys the
	// image pinned by K8s_IMAGE, else the last one pushed for the app.
	Build bool
	// Getenv reads the clouds' usual variables (AWS_REGION...) for the
	// registries; nil means os.Getenv.
	Getenv func(string) string
	// DefaultHost is the host binary put in the image when JAC_HOST_BINARY
	// names none; empty means this program.
	DefaultHost string
	// Target overrides the target named by the settings (JAC_SCALE_TARGET).
	Target Target
	Log    Logger
}

// Start checks everything it can before touching the cluster (settings,
// target, registry, credentials, the host binary), then builds and pushes
// the image when asked and deploys it, pinned by digest.
func Start(ctx context.Context, o Options) (Result, error) {
	if o.Log == nil {
		o.Log = Discard
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	cfg := o.Config
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	app, err := Name(cfg, o.Module.Name)
	if err != nil {
		return Result{}, err
	}
	target := o.Target
	if target == nil {
		if target, err = Lookup(cfg.Target); err != nil {
			return Result{}, err
		}
	}
	if ch, ok := target.(Checker); ok {
		if err := ch.Check(ctx, App{Name: app, Module: o.Module.Name, Config: cfg}); err != nil {
			return Result{}, err
		}
	}
	ref, pull, err := prepareImage(ctx, o, app)
	if err != nil {
		return Result{}, err
	}
	return target.Deploy(ctx, App{Name: app, Module: o.Module.Name, Config: cfg, Image: ref, Pull: pull}, o.Log)
}

// prepareImage returns the digest-pinned image to deploy and the login the
// cluster pulls it with.
func prepareImage(ctx context.Context, o Options, app string) (string, *PullSecret, error) {
	cfg := o.Config
	settings := registry.Settings{DockerUsername: cfg.DockerUsername, DockerPassword: cfg.DockerPassword, Getenv: o.Getenv}
	if !o.Build && cfg.K8sImage != "" {
		ref, err := name.ParseReference(cfg.K8sImage)
		if err != nil {
			return "", nil, fmt.Errorf("%w: K8s_IMAGE (plugins.scale.kubernetes.images.app) %q: %v", config.ErrInvalid, cfg.K8sImage, err)
		}
		return resolve(ctx, o, ref, registry.Lookup(ref.Context().RegistryStr()), settings)
	}
	reg := registry.Lookup(cfg.Registry)
	repo, err := reg.Repository(app, settings)
	if err != nil {
		return "", nil, err
	}
	if !o.Build {
		return resolve(ctx, o, repo.Tag("latest"), reg, settings)
	}
	auth, err := reg.Authenticator(repo, settings)
	if err != nil {
		return "", nil, err
	}
	host, err := hostBinary(cfg, o.DefaultHost)
	if err != nil {
		return "", nil, err
	}
	o.Log.Logf("building image: host %s (%s, %.1f MB), module %s (%.1f KB)", host.Path, host.Arch, float64(len(host.Binary))/1e6,
		o.Module.Name, float64(len(o.Module.Wasm))/1e3)
	img, err := image.Build(host.Host, o.Module)
	if err != nil {
		return "", nil, err
	}
	o.Log.Logf("pushing image to %s", repo)
	d, err := image.Push(ctx, img, repo, auth)
	if err != nil {
		return "", nil, err
	}
	o.Log.Logf("pushed %s", d)
	pull, err := pullSecret(repo, auth)
	return d.String(), pull, err
}

// resolve pins ref to its digest in reg.
func resolve(ctx context.Context, o Options, ref name.Reference, reg registry.Registry, s registry.Settings) (string, *PullSecret, error) {
	auth, err := reg.Authenticator(ref.Context(), s)
	if err != nil {
		return "", nil, err
	}
	d, err := image.Resolve(ctx, ref.String(), auth)
	var te *transport.Error
	if errors.As(err, &te) && te.StatusCode == http.StatusNotFound {
		return "", nil, fmt.Errorf("%w: %s is not in the registry; deploy with --build first, or pin an image with K8s_IMAGE", ErrNoImage, ref)
	}
	if err != nil {
		return "", nil, err
	}
	o.Log.Logf("image %s is %s", ref, d.DigestStr())
	pull, err := pullSecret(ref.Context(), auth)
	return d.String(), pull, err
}

// pullSecret turns push credentials into the cluster's pull login; nil
// for anonymous access.
func pullSecret(repo name.Repository, auth authn.Authenticator) (*PullSecret, error) {
	a, err := authn.Authorization(context.Background(), auth)
	if err != nil {
		return nil, fmt.Errorf("deploy: registry credentials: %w", err)
	}
	user, pass := a.Username, a.Password
	if user == "" && a.Auth != "" {
		raw, err := base64.StdEncoding.DecodeString(a.Auth)
		if err != nil {
			return nil, fmt.Errorf("deploy: registry credentials: %w", err)
		}
		user, pass, _ = strings.Cut(string(raw), ":")
	}
	if user == "" && pass == "" {
		return nil, nil
	}
	return &PullSecret{Server: repo.RegistryStr(), Username: user, Password: pass}, nil
}

// host is the binary that goes in the image and where it came from.
type host struct {
	image.Host
	Path string
}

// hostBinary reads JAC_HOST_BINARY, else def, else this very program.
func hostBinary(cfg Config, def string) (host, error) {
	path := cfg.HostBinary
	if path == "" {
		path = def
	}
	if path == "" {
		exe, err := os.Executable()
		if err != nil {
			return host{}, fmt.Errorf("%w: %v; set JAC_HOST_BINARY", ErrHostBinary, err)
		}
		path = exe
	}
	h, err := image.ReadHost(path)
	if err != nil {
		return host{}, fmt.Errorf("%w: %w", ErrHostBinary, err)
	}
	return host{Host: h, Path: path}, nil
}
