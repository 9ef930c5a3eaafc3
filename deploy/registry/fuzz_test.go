package registry

import (
	"errors"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/host/config"
)

// FuzzRepository checks that every registry the settings accept names a
// repository for an app, or says which setting is wrong: it never
// panics, and the repository is the app's.
func FuzzRepository(f *testing.F) {
	for _, s := range []string{"dockerhub", "127.0.0.1:5000", "registry.example.com/team", "localhost", "a.b/C", "x:y/z/", "::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, reg string) {
		cfg := config.Default()
		cfg.Registry = reg
		if cfg.Validate() != nil {
			return
		}
		repo, err := Lookup(reg).Repository("app", settings("user", "pw", map[string]string{
			"AWS_ACCOUNT_ID": "123456789012", "AWS_REGION": "eu-west-1", "GOOGLE_CLOUD_PROJECT": "p"}))
		if err != nil {
			if !errors.Is(err, ErrName) && !errors.Is(err, ErrSetting) {
				t.Fatalf("%q: unexpected error %v", reg, err)
			}
			return
		}
		if path := repo.RepositoryStr(); path != "app" && !strings.HasSuffix(path, "/app") {
			t.Fatalf("registry %q gave repository %q, not one for the app", reg, repo.Name())
		}
	})
}
