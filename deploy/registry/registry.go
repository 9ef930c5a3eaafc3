// Package registry knows where an app's image goes and how to log in
// there: Docker Hub, Amazon ECR, Google Container Registry, or any registry
// by address. Each is a Registry in one map; adding one is a new file and a
// map entry (docs/DEPLOY.md).
package registry

import (
	"fmt"
	"maps"
	"slices"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
)

// Registry names an app's image repository and finds push credentials.
type Registry interface {
	// Repository returns the repository app's image is pushed to.
	Repository(app string, s Settings) (name.Repository, error)
	// Authenticator returns the credentials for repo: DOCKER_USERNAME and
	// DOCKER_PASSWORD when set, else the registry's usual ones.
	Authenticator(repo name.Repository, s Settings) (authn.Authenticator, error)
}

// Settings are what a Registry reads: the login of DOCKER_USERNAME and
// DOCKER_PASSWORD and, for the clouds' usual variables (AWS_REGION,
// GOOGLE_CLOUD_PROJECT...), the environment.
type Settings struct {
	DockerUsername string
	DockerPassword string
	Getenv         func(string) string
}

// registries are the registries known by name.
var registries = map[string]Registry{
	"dockerhub": dockerHub{},
	"ecr":       ecr{},
	"gcr":       gcr{},
}

// Names are the registries known by name, sorted; any other registry
// setting must be an address.
func Names() []string { return slices.Sorted(maps.Keys(registries)) }

// Lookup returns the registry named s, or an address registry for any
// other value (the deploy settings' validation has checked its form).
func Lookup(s string) Registry {
	if r, ok := registries[s]; ok {
		return r
	}
	return address(s)
}

// basic returns DOCKER_USERNAME and DOCKER_PASSWORD as credentials, or nil
// when they are not set.
func basic(s Settings) authn.Authenticator {
	if s.DockerUsername == "" {
		return nil
	}
	return &authn.Basic{Username: s.DockerUsername, Password: s.DockerPassword}
}

// keychain returns what the Docker config (~/.docker/config.json, its
// credential helpers, $DOCKER_CONFIG) holds for repo.
func keychain(repo name.Repository) (authn.Authenticator, error) {
	a, err := authn.DefaultKeychain.Resolve(repo)
	if err != nil {
		return nil, fmt.Errorf("registry: docker config for %s: %w", repo.RegistryStr(), err)
	}
	return a, nil
}

// repository parses host/path/app, naming the setting that built it when
// the result is not a valid repository.
func repository(ref, from string) (name.Repository, error) {
	r, err := name.NewRepository(ref, name.StrictValidation)
	if err != nil {
		return name.Repository{}, fmt.Errorf("%w: %q (from %s): %v", ErrName, ref, from, err)
	}
	return r, nil
}
