package registry

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
)

func settings(user, pass string, env map[string]string) Settings {
	return Settings{DockerUsername: user, DockerPassword: pass, Getenv: func(k string) string { return env[k] }}
}

func TestRepository(t *testing.T) {
	tests := []struct {
		name     string
		registry string
		s        Settings
		want     string
	}{
		{"docker hub", "dockerhub", settings("ada", "tok", nil), "index.docker.io/ada/todo"},
		{"ecr", "ecr", settings("", "", map[string]string{"AWS_ACCOUNT_ID": "123456789012", "AWS_REGION": "eu-west-1"}),
			"123456789012.dkr.ecr.eu-west-1.amazonaws.com/todo"},
		{"ecr default region", "ecr", settings("", "", map[string]string{"AWS_ACCOUNT_ID": "123456789012", "AWS_DEFAULT_REGION": "us-east-2"}),
			"123456789012.dkr.ecr.us-east-2.amazonaws.com/todo"},
		{"gcr", "gcr", settings("", "", map[string]string{"GOOGLE_CLOUD_PROJECT": "my-proj"}), "gcr.io/my-proj/todo"},
		{"gcr regional host", "gcr", settings("", "", map[string]string{"CLOUDSDK_CORE_PROJECT": "p1", "GCR_HOST": "eu.gcr.io"}), "eu.gcr.io/p1/todo"},
		{"address", "127.0.0.1:5000", settings("", "", nil), "127.0.0.1:5000/todo"},
		{"address with path", "registry.example.com/team/", settings("", "", nil), "registry.example.com/team/todo"},
		{"artifact registry by address", "europe-docker.pkg.dev/proj/repo", settings("", "", nil), "europe-docker.pkg.dev/proj/repo/todo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			repo, err := Lookup(tc.registry).Repository("todo", tc.s)
			if err != nil {
				t.Fatal(err)
			}
			if repo.Name() != tc.want {
				t.Fatalf("got %s, want %s", repo.Name(), tc.want)
			}
		})
	}
}

func TestRepository_Errors(t *testing.T) {
	tests := []struct {
		name     string
		registry string
		s        Settings
		want     string
	}{
		{"docker hub without user", "dockerhub", settings("", "", nil), "DOCKER_USERNAME"},
		{"docker hub user not a name", "dockerhub", settings("Ada Lovelace", "x", nil), "invalid repository"},
		{"ecr without account", "ecr", settings("", "", map[string]string{"AWS_REGION": "eu-west-1"}), "AWS_ACCOUNT_ID"},
		{"ecr bad account", "ecr", settings("", "", map[string]string{"AWS_ACCOUNT_ID": "12", "AWS_REGION": "eu-west-1"}), "12-digit"},
		{"ecr without region", "ecr", settings("", "", map[string]string{"AWS_ACCOUNT_ID": "123456789012"}), "AWS_REGION"},
		{"gcr without project", "gcr", settings("", "", nil), "GOOGLE_CLOUD_PROJECT"},
		{"gcr bad project", "gcr", settings("", "", map[string]string{"GOOGLE_CLOUD_PROJECT": "My Project"}), "invalid repository"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Lookup(tc.registry).Repository("todo", tc.s)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrSetting) && !errors.Is(err, ErrName) {
				t.Fatalf("got %v, want an error naming %q", err, tc.want)
			}
		})
	}
}

// dockerConfig points the Docker config at a folder of the test's with
// the given auths entries.
func dockerConfig(t *testing.T, auths string) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"auths":{`+auths+`}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", dir)
}

func TestAuthenticator(t *testing.T) {
	key := filepath.Join(t.TempDir(), "key.json")
	if err := os.WriteFile(key, []byte(`{"type":"service_account"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	ecrHost := "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
	tests := []struct {
		name     string
		registry string
		repo     string
		s        Settings
		auths    string // Docker config entries
		user     string
		pass     string
	}{
		{"docker hub", "dockerhub", "index.docker.io/ada/todo", settings("ada", "tok", nil), "", "ada", "tok"},
		{"ecr from DOCKER_*", "ecr", ecrHost + "/todo", settings("AWS", "ecr-token", nil), "", "AWS", "ecr-token"},
		{"ecr from docker config", "ecr", ecrHost + "/todo", settings("", "", nil), `"` + ecrHost + `":{"username":"AWS","password":"from-config"}`, "AWS", "from-config"},
		{"gcr from a key file", "gcr", "gcr.io/p/todo", settings("", "", map[string]string{"GOOGLE_APPLICATION_CREDENTIALS": key}), "", "_json_key", `{"type":"service_account"}`},
		{"gcr access token", "gcr", "gcr.io/p/todo", settings("oauth2accesstoken", "ya29.x", nil), "", "oauth2accesstoken", "ya29.x"},
		{"gcr from docker config", "gcr", "gcr.io/p/todo", settings("", "", nil), `"gcr.io":{"username":"u","password":"p"}`, "u", "p"},
		{"address anonymous", "127.0.0.1:5000", "127.0.0.1:5000/todo", settings("", "", nil), "", "", ""},
		{"address with login", "registry.example.com", "registry.example.com/todo", settings("bob", "pw", nil), "", "bob", "pw"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dockerConfig(t, tc.auths)
			repo, err := name.NewRepository(tc.repo)
			if err != nil {
				t.Fatal(err)
			}
			a, err := Lookup(tc.registry).Authenticator(repo, tc.s)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := a.Authorization()
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Username != tc.user || cfg.Password != tc.pass {
				t.Fatalf("got %q/%q, want %q/%q", cfg.Username, cfg.Password, tc.user, tc.pass)
			}
			if tc.user == "" && a != authn.Anonymous {
				t.Fatalf("want anonymous, got %v", a)
			}
		})
	}
}

func TestAuthenticator_Errors(t *testing.T) {
	tests := []struct {
		name     string
		registry string
		repo     string
		s        Settings
		want     string
	}{
		{"docker hub without login", "dockerhub", "index.docker.io/ada/todo", settings("", "", nil), "DOCKER_PASSWORD"},
		{"ecr without login", "ecr", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/todo", settings("", "", nil), "aws ecr get-login-password"},
		{"gcr without login", "gcr", "gcr.io/p/todo", settings("", "", nil), "GOOGLE_APPLICATION_CREDENTIALS"},
		{"gcr key file missing", "gcr", "gcr.io/p/todo", settings("", "", map[string]string{"GOOGLE_APPLICATION_CREDENTIALS": "/nonexistent/key.json"}), "GOOGLE_APPLICATION_CREDENTIALS"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dockerConfig(t, "")
			repo, err := name.NewRepository(tc.repo)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Lookup(tc.registry).Authenticator(repo, tc.s)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error naming %q", err, tc.want)
			}
		})
	}
}
