package deploy

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/walkerhost/walkerhost/deploy/registry"
	"github.com/walkerhost/walkerhost/host/config"
)

// Config is what the deploy commands read: the host's settings, which a
// deploy passes on to the pods, and the deploy settings of
// [plugins.scale.kubernetes]. The host's config package knows nothing of
// the latter: this package decodes its own table (Load), so that serving
// does not link what deploying needs. Both are embedded, so fields read
// flat (cfg.K8sNamespace, cfg.MemoryLimitMB).
type Config struct {
	config.Config
	Settings
}

// Settings are the settings jac start --scale, jac status, jac scale and
// jac destroy read; all read the same ones so that destroy finds what
// deploy made. docs/DEPLOY.md describes each.
type Settings struct {
	AppName      string // object names; empty: the module's name
	K8sNamespace string
	K8sNodePort  int // NodePort of <app>-service; 0 lets the cluster pick
	K8sReplicas  int

	K8sCPURequest    string // Kubernetes quantities; empty means none
	K8sCPULimit      string
	K8sMemoryRequest string
	K8sMemoryLimit   string

	K8sReadinessInitialDelay    int // seconds
	K8sReadinessPeriod          int
	K8sLivenessInitialDelay     int
	K8sLivenessPeriod           int
	K8sLivenessFailureThreshold int

	K8sMongoDB      bool   // run MongoDB beside the app and point MONGODB_URI at it
	K8sRedis        bool   // run Redis beside the app and point REDIS_URL at it
	K8sMongoStorage string // size of MongoDB's volume claim
	K8sStorageClass string // storage class of that claim; empty: the cluster's default

	K8sAutoscale   bool // add a HorizontalPodAutoscaler (K8sReplicas..K8sMaxReplicas)
	K8sMaxReplicas int
	K8sTargetCPU   int // average CPU utilization the autoscaler aims at, percent

	K8sRolloutTimeout time.Duration // how long a deploy waits for readiness

	K8sImage      string // a pushed app image to deploy instead of the last one built
	K8sMongoImage string
	K8sRedisImage string

	Registry       string // dockerhub, ecr, gcr or a registry address (host[:port][/path])
	DockerUsername string
	DockerPassword string
	HostBinary     string // static jac binary put in the image; empty: the jac that deploys
	Target         string // where to deploy: kubernetes
}

// DefaultConfig returns the host's defaults and the deploy defaults.
func DefaultConfig() Config { return Config{Config: config.Default(), Settings: DefaultSettings()} }

// DefaultSettings returns the deploy settings used when nothing is set.
func DefaultSettings() Settings {
	return Settings{
		K8sNamespace:                "default",
		K8sNodePort:                 30001,
		K8sReplicas:                 1,
		K8sCPURequest:               "250m",
		K8sCPULimit:                 "1",
		K8sMemoryRequest:            "256Mi",
		K8sMemoryLimit:              "1Gi",
		K8sReadinessInitialDelay:    1,
		K8sReadinessPeriod:          5,
		K8sLivenessInitialDelay:     5,
		K8sLivenessPeriod:           10,
		K8sLivenessFailureThreshold: 3,
		K8sMongoDB:                  true,
		K8sRedis:                    true,
		K8sMongoStorage:             "5Gi",
		K8sMaxReplicas:              5,
		K8sTargetCPU:                80,
		K8sRolloutTimeout:           5 * time.Minute,
		K8sMongoImage:               "docker.io/library/mongo:7.0.14",
		K8sRedisImage:               "docker.io/library/redis:7.2.5-alpine",
		Registry:                    "dockerhub",
		Target:                      "kubernetes",
	}
}

// Load reads the host's settings and the deploy settings from the jac.toml
// at tomlPath (none when empty or missing) and the environment, which
// wins. It does not validate.
func Load(tomlPath string, getenv func(string) string) (Config, error) {
	c := DefaultConfig()
	src, err := config.Read(tomlPath, getenv)
	if err != nil {
		return c, err
	}
	if c.Config, err = config.Load(tomlPath, getenv); err != nil {
		return c, err
	}
	return c, config.Decode(src, settingKeys(), &c.Settings)
}

// Validate reports the first setting, of the host's or the deploy's, that
// is out of range, naming its key.
func (c *Config) Validate() error {
	if err := c.Config.Validate(); err != nil {
		return err
	}
	return c.Settings.validate()
}

// Changed returns the settings that differ from their defaults, the host's
// first: a deploy passes them on to the pods, so that the host there runs
// with the configuration it was deployed with.
func (c Config) Changed() []config.Setting {
	def := DefaultSettings()
	return append(config.Changed(c.Config), config.Diff(settingKeys(), &c.Settings, &def)...)
}

// kubernetesTable is the jac.toml table of the deploy settings.
const kubernetesTable = "plugins.scale.kubernetes."

func settingKeys() []config.Key[Settings] {
	const k = kubernetesTable
	str := config.StringKey[Settings]
	num := config.IntKey[Settings]
	boolean := config.BoolKey[Settings]
	return []config.Key[Settings]{
		str(k+"app_name", "APP_NAME", func(c *Settings) *string { return &c.AppName }),
		str(k+"namespace", "K8s_NAMESPACE", func(c *Settings) *string { return &c.K8sNamespace }),
		num(k+"node_port", "K8s_NODE_PORT", func(c *Settings) *int { return &c.K8sNodePort }),
		num(k+"replicas", "K8s_REPLICAS", func(c *Settings) *int { return &c.K8sReplicas }),
		str(k+"cpu_request", "K8s_CPU_REQUEST", func(c *Settings) *string { return &c.K8sCPURequest }),
		str(k+"cpu_limit", "K8s_CPU_LIMIT", func(c *Settings) *string { return &c.K8sCPULimit }),
		str(k+"memory_request", "K8s_MEMORY_REQUEST", func(c *Settings) *string { return &c.K8sMemoryRequest }),
		str(k+"memory_limit", "K8s_MEMORY_LIMIT", func(c *Settings) *string { return &c.K8sMemoryLimit }),
		num(k+"readiness_initial_delay", "K8s_READINESS_INITIAL_DELAY", func(c *Settings) *int { return &c.K8sReadinessInitialDelay }),
		num(k+"readiness_period", "K8s_READINESS_PERIOD", func(c *Settings) *int { return &c.K8sReadinessPeriod }),
		num(k+"liveness_initial_delay", "K8s_LIVENESS_INITIAL_DELAY", func(c *Settings) *int { return &c.K8sLivenessInitialDelay }),
		num(k+"liveness_period", "K8s_LIVENESS_PERIOD", func(c *Settings) *int { return &c.K8sLivenessPeriod }),
		num(k+"liveness_failure_threshold", "K8s_LIVENESS_FAILURE_THRESHOLD", func(c *Settings) *int { return &c.K8sLivenessFailureThreshold }),
		boolean(k+"mongodb_enabled", "K8s_MONGODB", func(c *Settings) *bool { return &c.K8sMongoDB }),
		boolean(k+"redis_enabled", "K8s_REDIS", func(c *Settings) *bool { return &c.K8sRedis }),
		str(k+"mongodb_storage", "K8s_MONGODB_STORAGE", func(c *Settings) *string { return &c.K8sMongoStorage }),
		str(k+"storage_class", "K8s_STORAGE_CLASS", func(c *Settings) *string { return &c.K8sStorageClass }),
		boolean(k+"autoscale", "K8s_AUTOSCALE", func(c *Settings) *bool { return &c.K8sAutoscale }),
		num(k+"max_replicas", "K8s_MAX_REPLICAS", func(c *Settings) *int { return &c.K8sMaxReplicas }),
		num(k+"target_cpu_percent", "K8s_TARGET_CPU", func(c *Settings) *int { return &c.K8sTargetCPU }),
		config.DurationKey(k+"rollout_timeout", "K8s_ROLLOUT_TIMEOUT", func(c *Settings) *time.Duration { return &c.K8sRolloutTimeout }),
		str(k+"images.app", "K8s_IMAGE", func(c *Settings) *string { return &c.K8sImage }),
		str(k+"images.mongodb", "K8s_MONGODB_IMAGE", func(c *Settings) *string { return &c.K8sMongoImage }),
		str(k+"images.redis", "K8s_REDIS_IMAGE", func(c *Settings) *string { return &c.K8sRedisImage }),
		str(k+"registry", "JAC_REGISTRY", func(c *Settings) *string { return &c.Registry }),
		str(k+"docker_username", "DOCKER_USERNAME", func(c *Settings) *string { return &c.DockerUsername }),
		str(k+"docker_password", "DOCKER_PASSWORD", func(c *Settings) *string { return &c.DockerPassword }).Secret(),
		str(k+"host_binary", "JAC_HOST_BINARY", func(c *Settings) *string { return &c.HostBinary }),
		str(k+"target", "JAC_SCALE_TARGET", func(c *Settings) *string { return &c.Target }),
	}
}

// envOf returns the environment name of the deploy setting at path.
func envOf(path string) string {
	for _, s := range settingKeys() {
		if s.Path() == path {
			return s.Env()
		}
	}
	return ""
}

// dnsLabel is an RFC 1123 label, what Kubernetes wants of names.
var dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

func (d *Settings) validate() error {
	const k = kubernetesTable
	checks := []struct {
		key string
		err string // empty when fine
	}{
		{k + "app_name", check(d.AppName == "" || len(d.AppName) <= maxName && dnsLabel.MatchString(d.AppName),
			fmt.Sprintf("must be lower-case letters, digits and '-', at most %d characters", maxName))},
		{k + "namespace", check(len(d.K8sNamespace) <= 63 && dnsLabel.MatchString(d.K8sNamespace), "must be a DNS label (lower-case letters, digits, '-')")},
		{k + "node_port", check(d.K8sNodePort == 0 || d.K8sNodePort >= 30000 && d.K8sNodePort <= 32767, "must be 30000..32767, or 0 to let the cluster pick")},
		{k + "replicas", check(d.K8sReplicas >= 1 && d.K8sReplicas <= 1000, "must be 1..1000")},
		{k + "cpu_request", quantity(d.K8sCPURequest)},
		{k + "memory_request", quantity(d.K8sMemoryRequest)},
		{k + "cpu_limit", limit(d.K8sCPULimit, d.K8sCPURequest, "cpu_request")},
		{k + "memory_limit", limit(d.K8sMemoryLimit, d.K8sMemoryRequest, "memory_request")},
		{k + "readiness_initial_delay", check(d.K8sReadinessInitialDelay >= 0, "must not be negative")},
		{k + "readiness_period", check(d.K8sReadinessPeriod >= 1, "must be at least 1 (seconds)")},
		{k + "liveness_initial_delay", check(d.K8sLivenessInitialDelay >= 0, "must not be negative")},
		{k + "liveness_period", check(d.K8sLivenessPeriod >= 1, "must be at least 1 (seconds)")},
		{k + "liveness_failure_threshold", check(d.K8sLivenessFailureThreshold >= 1, "must be at least 1")},
		{k + "mongodb_storage", size(d.K8sMongoStorage)},
		{k + "storage_class", check(d.K8sStorageClass == "" || len(d.K8sStorageClass) <= 253, "must be a storage class name")},
		{k + "max_replicas", check(!d.K8sAutoscale || d.K8sMaxReplicas >= d.K8sReplicas, "must be at least replicas (K8s_REPLICAS) when autoscale is on")},
		{k + "target_cpu_percent", check(d.K8sTargetCPU >= 1 && d.K8sTargetCPU <= 100, "must be 1..100")},
		{k + "autoscale", check(!d.K8sAutoscale || d.K8sCPURequest != "", "needs cpu_request (K8s_CPU_REQUEST): the autoscaler measures CPU against it")},
		{k + "rollout_timeout", check(d.K8sRolloutTimeout >= time.Second, "must be at least 1s")},
		{k + "images.mongodb", check(!d.K8sMongoDB || d.K8sMongoImage != "", "must name an image when mongodb_enabled is true")},
		{k + "images.redis", check(!d.K8sRedis || d.K8sRedisImage != "", "must name an image when redis_enabled is true")},
		{k + "registry", registryName(d.Registry)},
		{k + "docker_password", check(d.DockerUsername == "" || d.DockerPassword != "", "missing: DOCKER_USERNAME is set, so the registry needs its password or token too")},
		{k + "docker_username", check(d.DockerPassword == "" || d.DockerUsername != "", "missing: DOCKER_PASSWORD is set without the user it belongs to")},
		{k + "target", check(dnsLabel.MatchString(d.Target), "must name a deploy target such as kubernetes")},
	}
	for _, ch := range checks {
		if ch.err != "" {
			return fmt.Errorf("%w: %s (%s): %s", config.ErrInvalid, ch.key, envOf(ch.key), ch.err)
		}
	}
	return nil
}

func check(ok bool, msg string) string {
	if ok {
		return ""
	}
	return msg
}

// quantity checks an optional Kubernetes quantity ("250m", "1Gi").
func quantity(s string) string {
	if s == "" {
		return ""
	}
	if _, err := resource.ParseQuantity(s); err != nil {
		return fmt.Sprintf("%q is not a Kubernetes quantity (such as 250m, 1, 512Mi, 1Gi)", s)
	}
	return ""
}

// size checks a required quantity.
func size(s string) string {
	if s == "" {
		return "must be set (such as 5Gi)"
	}
	return quantity(s)
}

// limit checks a limit's syntax and that it is not below its request.
func limit(lim, req, reqKey string) string {
	if msg := quantity(lim); msg != "" || lim == "" || req == "" {
		return msg
	}
	l, _ := resource.ParseQuantity(lim)
	r, err := resource.ParseQuantity(req)
	if err == nil && l.Cmp(r) < 0 { // a bad request is reported by its own check
		return fmt.Sprintf("%s is below %s %s (%s); a limit must be at least its request", lim, reqKey, req, envOf(kubernetesTable+reqKey))
	}
	return ""
}

// registryName accepts a registry known by name or an address: a host that
// contains a '.' or a ':' or is localhost, optionally followed by a path.
func registryName(s string) string {
	for _, r := range registry.Names() {
		if s == r {
			return ""
		}
	}
	host, _, _ := strings.Cut(s, "/")
	if host != "" && (strings.ContainsAny(host, ".:") || host == "localhost") && !strings.ContainsAny(s, " \t@") {
		return ""
	}
	return fmt.Sprintf("unknown registry %q: want %s, or a registry address such as registry.example.com/team or 127.0.0.1:5000",
		s, strings.Join(registry.Names(), ", "))
}
