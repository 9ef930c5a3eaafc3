package registry

import (
	"fmt"
	"regexp"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
)

// ecr pushes to Amazon ECR, <AWS_ACCOUNT_ID>.dkr.ecr.<AWS_REGION>.amazonaws.com/<app>.
// It logs in with DOCKER_USERNAME=AWS and DOCKER_PASSWORD set to the output
// of `aws ecr get-login-password`, or else with what the Docker config
// holds for the registry (docker-credential-ecr-login, docker login). The
// repository must exist: ECR does not create repositories on push.
//
// Only naming and credential lookup are implemented here; there is no AWS
// account to test against, so tests cover them with a Docker config and
// environment of their own.
type ecr struct{}

var (
	awsAccount = regexp.MustCompile(`^[0-9]{12}$`)
	awsRegion  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)
)

func (ecr) Repository(app string, s Settings) (name.Repository, error) {
	account := s.Getenv("AWS_ACCOUNT_ID")
	if !awsAccount.MatchString(account) {
		return name.Repository{}, fmt.Errorf("%w: AWS_ACCOUNT_ID must be the 12-digit account that owns the registry, got %q", ErrSetting, account)
	}
	region := s.Getenv("AWS_REGION")
	if region == "" {
		region = s.Getenv("AWS_DEFAULT_REGION")
	}
	if !awsRegion.MatchString(region) {
		return name.Repository{}, fmt.Errorf("%w: AWS_REGION (or AWS_DEFAULT_REGION) must be a region such as eu-west-1, got %q", ErrSetting, region)
	}
	return repository(account+".dkr.ecr."+region+".amazonaws.com/"+app, "AWS_ACCOUNT_ID, AWS_REGION")
}

func (ecr) Authenticator(repo name.Repository, s Settings) (authn.Authenticator, error) {
	if a := basic(s); a != nil {
		return a, nil
	}
	a, err := keychain(repo)
	if err != nil {
		return nil, err
	}
	if a == authn.Anonymous {
		return nil, fmt.Errorf("%w for %s: set DOCKER_USERNAME=AWS and DOCKER_PASSWORD=$(aws ecr get-login-password), or configure docker-credential-ecr-login", ErrNoCredentials, repo.RegistryStr())
	}
	return a, nil
}

var _ Registry = ecr{}
