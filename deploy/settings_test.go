package deploy

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/deploy/registry"
	"github.com/walkerhost/walkerhost/host/config"
)

func TestLoad_Deploy(t *testing.T) {
	file := writeTOML(t, `
[plugins.scale.kubernetes]
app_name = "shop"
namespace = "prod"
node_port = 30080
cpu_request = "500m"
cpu_limit = "2"
mongodb_enabled = false
rollout_timeout = "90s"
registry = "registry.example.com/team"

[plugins.scale.kubernetes.images]
redis = "redis@sha256:0000000000000000000000000000000000000000000000000000000000000000"
`)
	tests := []struct {
		name  string
		file  string
		env   map[string]string
		check func(Config) bool
	}{
		{"defaults", "", nil, func(c Config) bool {
			return c.K8sNamespace == "default" && c.K8sNodePort == 30001 && c.K8sReplicas == 1 && c.K8sMongoDB && c.K8sRedis &&
				c.Registry == "dockerhub" && c.Target == "kubernetes" && c.AppName == ""
		}},
		{"file", file, nil, func(c Config) bool {
			return c.AppName == "shop" && c.K8sNamespace == "prod" && c.K8sNodePort == 30080 && c.K8sCPURequest == "500m" &&
				c.K8sCPULimit == "2" && !c.K8sMongoDB && c.K8sRolloutTimeout == 90*time.Second &&
				c.Registry == "registry.example.com/team" && strings.HasPrefix(c.K8sRedisImage, "redis@sha256:")
		}},
		{"jac-scale environment", file, map[string]string{"APP_NAME": "shop2", "K8s_NAMESPACE": "staging", "K8s_NODE_PORT": "30002",
			"K8s_MONGODB": "True", "K8s_REDIS": "False", "K8s_MEMORY_LIMIT": "2Gi", "K8s_LIVENESS_FAILURE_THRESHOLD": "80",
			"DOCKER_USERNAME": "ada", "DOCKER_PASSWORD": "tok"}, func(c Config) bool {
			return c.AppName == "shop2" && c.K8sNamespace == "staging" && c.K8sNodePort == 30002 && c.K8sMongoDB && !c.K8sRedis &&
				c.K8sMemoryLimit == "2Gi" && c.K8sLivenessFailureThreshold == 80 && c.DockerUsername == "ada" && c.DockerPassword == "tok"
		}},
		{"node port 0 lets the cluster pick", "", map[string]string{"K8s_NODE_PORT": "0"}, func(c Config) bool { return c.K8sNodePort == 0 }},
		{"autoscale with a cpu request", "", map[string]string{"K8s_AUTOSCALE": "yes", "K8s_MAX_REPLICAS": "4"}, func(c Config) bool {
			return c.K8sAutoscale && c.K8sMaxReplicas == 4
		}},
		{"empty environment keeps the default", "", map[string]string{"K8s_CPU_LIMIT": ""}, func(c Config) bool { return c.K8sCPULimit == "1" }},
		{"no limit from jac.toml", writeTOML(t, "[plugins.scale.kubernetes]\ncpu_limit = \"\"\n"), nil, func(c Config) bool { return c.K8sCPULimit == "" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(tc.file, envMap(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			if !tc.check(c) {
				t.Fatalf("unexpected config %+v", c.Settings)
			}
		})
	}
}

func TestValidate_DeployErrors(t *testing.T) {
	tests := []invalidCase{
		{"app name with capitals", func(c *Config) { c.AppName = "Shop" }, "app_name (APP_NAME)"},
		{"app name too long", func(c *Config) { c.AppName = strings.Repeat("a", 41) }, "at most 40"},
		{"namespace", func(c *Config) { c.K8sNamespace = "my_ns" }, "K8s_NAMESPACE"},
		{"node port out of range", func(c *Config) { c.K8sNodePort = 8080 }, "K8s_NODE_PORT): must be 30000..32767"},
		{"no replicas", func(c *Config) { c.K8sReplicas = 0 }, "K8s_REPLICAS"},
		{"cpu request not a quantity", func(c *Config) { c.K8sCPURequest = "lots" }, `K8s_CPU_REQUEST): "lots" is not a Kubernetes quantity`},
		{"cpu limit below request", func(c *Config) { c.K8sCPURequest, c.K8sCPULimit = "2", "500m" }, "K8s_CPU_LIMIT): 500m is below cpu_request 2 (K8s_CPU_REQUEST)"},
		{"memory limit below request", func(c *Config) { c.K8sMemoryRequest, c.K8sMemoryLimit = "1Gi", "512Mi" }, "K8s_MEMORY_LIMIT): 512Mi is below memory_request 1Gi"},
		{"memory limit not a quantity", func(c *Config) { c.K8sMemoryLimit = "1GB!" }, "K8s_MEMORY_LIMIT"},
		{"readiness period", func(c *Config) { c.K8sReadinessPeriod = 0 }, "K8s_READINESS_PERIOD"},
		{"negative liveness delay", func(c *Config) { c.K8sLivenessInitialDelay = -1 }, "K8s_LIVENESS_INITIAL_DELAY"},
		{"liveness threshold", func(c *Config) { c.K8sLivenessFailureThreshold = 0 }, "K8s_LIVENESS_FAILURE_THRESHOLD"},
		{"mongodb storage", func(c *Config) { c.K8sMongoStorage = "" }, "K8s_MONGODB_STORAGE"},
		{"max below replicas", func(c *Config) { c.K8sAutoscale, c.K8sReplicas, c.K8sMaxReplicas = true, 3, 2 }, "K8s_MAX_REPLICAS"},
		{"autoscale without cpu request", func(c *Config) { c.K8sAutoscale, c.K8sCPURequest = true, "" }, "K8s_AUTOSCALE): needs cpu_request"},
		{"target cpu", func(c *Config) { c.K8sTargetCPU = 120 }, "K8s_TARGET_CPU"},
		{"rollout timeout", func(c *Config) { c.K8sRolloutTimeout = time.Millisecond }, "K8s_ROLLOUT_TIMEOUT"},
		{"mongodb image", func(c *Config) { c.K8sMongoImage = "" }, "K8s_MONGODB_IMAGE"},
		{"redis image off is fine, on is not", func(c *Config) { c.K8sRedisImage = "" }, "K8s_REDIS_IMAGE"},
		{"unknown registry", func(c *Config) { c.Registry = "quay" }, `JAC_REGISTRY): unknown registry "quay": want dockerhub, ecr, gcr`},
		{"registry with a space", func(c *Config) { c.Registry = "reg.example.com/my team" }, "JAC_REGISTRY"},
		{"password missing", func(c *Config) { c.DockerUsername = "ada" }, "DOCKER_PASSWORD): missing"},
		{"user missing", func(c *Config) { c.DockerPassword = "tok" }, "DOCKER_USERNAME): missing"},
		{"target", func(c *Config) { c.Target = "" }, "JAC_SCALE_TARGET"},
	}
	runInvalid(t, tests)
}

func TestValidate_Registries(t *testing.T) {
	for _, r := range append(registry.Names(), "127.0.0.1:5000", "localhost", "localhost:5000/team", "registry.example.com", "eu-docker.pkg.dev/proj/repo") {
		c := DefaultConfig()
		c.Registry = r
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", r, err)
		}
	}
}

func TestChanged(t *testing.T) {
	c, err := Load("", envMap(map[string]string{"JAC_MEMORY_MB": "64", "JWT_SECRET": "0123456789abcdef0123", "K8s_REPLICAS": "3"}))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]config.Setting{}
	for _, s := range c.Changed() {
		got[s.Env] = s
	}
	want := map[string]config.Setting{
		"JAC_MEMORY_MB": {Path: "limits.memory_mb", Env: "JAC_MEMORY_MB", Value: "64"},
		"JWT_SECRET":    {Path: "plugins.scale.jwt.secret", Env: "JWT_SECRET", Value: "0123456789abcdef0123", Secret: true},
		"K8s_REPLICAS":  {Path: "plugins.scale.kubernetes.replicas", Env: "K8s_REPLICAS", Value: "3"},
	}
	if len(got) != len(want) {
		t.Fatalf("changed %v, want %v", got, want)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %+v, want %+v", k, got[k], w)
		}
	}
	if n := len(DefaultConfig().Changed()); n != 0 {
		t.Fatalf("defaults changed %d settings", n)
	}
}

// TestChanged_RoundTrip checks that every deploy setting's getter gives
// back what its setter took, so the pods get the values the deploy read
// (host/config checks the host's own settings the same way).
func TestChanged_RoundTrip(t *testing.T) {
	env := map[string]string{}
	for _, s := range settingKeys() {
		switch s.Get(&Settings{}) {
		case "0":
			env[s.Env()] = "7"
		case "false":
			env[s.Env()] = "true"
		case "0s":
			env[s.Env()] = "1m30s"
		default:
			env[s.Env()] = "x-" + s.Env()
		}
	}
	c, err := Load("", envMap(env))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range settingKeys() {
		if got := s.Get(&c.Settings); got != env[s.Env()] {
			t.Errorf("%s: got %q back, set %q", s.Env(), got, env[s.Env()])
		}
	}
}

func writeTOML(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "jac.toml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func envMap(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// invalidCase is a change to the defaults that Validate must refuse with
// an error mentioning want.
type invalidCase struct {
	name   string
	mutate func(*Config)
	want   string
}

func runInvalid(t *testing.T, tests []invalidCase) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.mutate(&c)
			err := c.Validate()
			if !errors.Is(err, config.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want mention of %q", err, tc.want)
			}
		})
	}
}
