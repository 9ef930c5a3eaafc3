package registry_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/deploy"
	"github.com/walkerhost/walkerhost/deploy/registry"
)

// FuzzRepository checks that every registry the settings accept names a
// repository for an app, or says which setting is wrong: it never
// panics, and the repository is the app's.
func FuzzRepository(f *testing.F) {
	for _, s := range []string{"dockerhub", "127.0.0.1:5000", "registry.example.com/team", "localhost", "a.b/C", "x:y/z/", "::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, reg string) {
		cfg := deploy.DefaultConfig()
		cfg.Registry = reg
		if cfg.Validate() != nil {
			return
		}
		env := map[string]string{"AWS_ACCOUNT_ID": "123456789012", "AWS_REGION": "eu-west-1", "GOOGLE_CLOUD_PROJECT": "p"}
		repo, err := registry.Lookup(reg).Repository("app", registry.Settings{DockerUsername: "user", DockerPassword: "pw",
			Getenv: func(k string) string { return env[k] }})
		if err != nil {
			if !errors.Is(err, registry.ErrName) && !errors.Is(err, registry.ErrSetting) {
				t.Fatalf("%q: unexpected error %v", reg, err)
			}
			return
		}
		if path := repo.RepositoryStr(); path != "app" && !strings.HasSuffix(path, "/app") {
			t.Fatalf("registry %q gave repository %q, not one for the app", reg, repo.Name())
		}
	})
}
