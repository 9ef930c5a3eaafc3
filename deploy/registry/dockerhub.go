package registry

import (
	"fmt"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
)

// dockerHub pushes to docker.io/<DOCKER_USERNAME>/<app>, logging in with
// DOCKER_USERNAME and DOCKER_PASSWORD (an access token works as password).
type dockerHub struct{}

func (dockerHub) Repository(app string, s Settings) (name.Repository, error) {
	if s.DockerUsername == "" {
		return name.Repository{}, fmt.Errorf("%w: DOCKER_USERNAME (plugins.scale.kubernetes.docker_username): Docker Hub images are named <user>/<app>", ErrSetting)
	}
	return repository("index.docker.io/"+s.DockerUsername+"/"+app, "DOCKER_USERNAME")
}

func (dockerHub) Authenticator(_ name.Repository, s Settings) (authn.Authenticator, error) {
	if a := basic(s); a != nil {
		return a, nil
	}
	return nil, fmt.Errorf("%w for Docker Hub: set DOCKER_USERNAME and DOCKER_PASSWORD", ErrNoCredentials)
}

var _ Registry = dockerHub{}
