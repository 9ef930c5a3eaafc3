package registry

import (
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
)

// address is a registry given by address, host[:port][/path], pushed to as
// <address>/<app>. Credentials are DOCKER_USERNAME and DOCKER_PASSWORD when
// set, else the Docker config's, else none. Loopback registries
// (localhost, 127.0.0.1) are spoken to over plain HTTP.
type address string

func (a address) Repository(app string, _ Settings) (name.Repository, error) {
	return repository(strings.TrimSuffix(string(a), "/")+"/"+app, "JAC_REGISTRY")
}

func (address) Authenticator(repo name.Repository, s Settings) (authn.Authenticator, error) {
	if a := basic(s); a != nil {
		return a, nil
	}
	return keychain(repo)
}

var _ Registry = address("")
