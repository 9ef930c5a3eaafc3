package registry

import (
	"fmt"
	"os"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
)

// gcr pushes to Google Container Registry, <GCR_HOST>/<GOOGLE_CLOUD_PROJECT>/<app>
// (GCR_HOST defaults to gcr.io; eu.gcr.io and the like work too). It logs
// in with DOCKER_USERNAME and DOCKER_PASSWORD when set (oauth2accesstoken
// and `gcloud auth print-access-token`), else with the service account key
// in GOOGLE_APPLICATION_CREDENTIALS (user _json_key), else with what the
// Docker config holds (gcloud's credential helper). Artifact Registry
// (<region>-docker.pkg.dev/<project>/<repo>) is used by address.
//
// Only naming and credential lookup are implemented here; there is no
// Google project to test against, so tests cover them with files and
// environment of their own.
type gcr struct{}

func (gcr) Repository(app string, s Settings) (name.Repository, error) {
	project := s.Getenv("GOOGLE_CLOUD_PROJECT")
	if project == "" {
		project = s.Getenv("CLOUDSDK_CORE_PROJECT")
	}
	if project == "" {
		return name.Repository{}, fmt.Errorf("%w: GOOGLE_CLOUD_PROJECT (or CLOUDSDK_CORE_PROJECT): GCR images are named gcr.io/<project>/<app>", ErrSetting)
	}
	host := s.Getenv("GCR_HOST")
	if host == "" {
		host = "gcr.io"
	}
	return repository(host+"/"+project+"/"+app, "GCR_HOST, GOOGLE_CLOUD_PROJECT")
}

func (gcr) Authenticator(repo name.Repository, s Settings) (authn.Authenticator, error) {
	if a := basic(s); a != nil {
		return a, nil
	}
	if path := s.Getenv("GOOGLE_APPLICATION_CREDENTIALS"); path != "" {
		key, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%w: GOOGLE_APPLICATION_CREDENTIALS: %v", ErrSetting, err)
		}
		return &authn.Basic{Username: "_json_key", Password: string(key)}, nil
	}
	a, err := keychain(repo)
	if err != nil {
		return nil, err
	}
	if a == authn.Anonymous {
		return nil, fmt.Errorf("%w for %s: set GOOGLE_APPLICATION_CREDENTIALS to a service account key, or run gcloud auth configure-docker", ErrNoCredentials, repo.RegistryStr())
	}
	return a, nil
}

var _ Registry = gcr{}
