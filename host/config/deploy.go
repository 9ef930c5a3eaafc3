package config

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
)

// Deploy is the part of Config that jac start --scale, jac status and
// jac destroy read; all three read the same settings so that destroy finds
// what deploy made. It is embedded in Config, so its fields read flat
// (cfg.AppName). docs/DEPLOY.md describes each.
type Deploy struct {
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
	HostBinary     string // static jac binary put in the image; empty: this jac
	Target         string // where to deploy: kubernetes
}

// Registries are the image registries known by name; any other value of
// Registry must be an address.
var Registries = []string{"dockerhub", "ecr", "gcr"}

func defaultDeploy() Deploy {
	return Deploy{
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

func deploySettings() []setting {
	const k = "plugins.scale.kubernetes."
	return []setting{
		{k + "app_name", "APP_NAME", str(func(c *Config) *string { return &c.AppName })},
		{k + "namespace", "K8s_NAMESPACE", str(func(c *Config) *string { return &c.K8sNamespace })},
		{k + "node_port", "K8s_NODE_PORT", num(func(c *Config) *int { return &c.K8sNodePort })},
		{k + "replicas", "K8s_REPLICAS", num(func(c *Config) *int { return &c.K8sReplicas })},
		{k + "cpu_request", "K8s_CPU_REQUEST", str(func(c *Config) *string { return &c.K8sCPURequest })},
		{k + "cpu_limit", "K8s_CPU_LIMIT", str(func(c *Config) *string { return &c.K8sCPULimit })},
		{k + "memory_request", "K8s_MEMORY_REQUEST", str(func(c *Config) *string { return &c.K8sMemoryRequest })},
		{k + "memory_limit", "K8s_MEMORY_LIMIT", str(func(c *Config) *string { return &c.K8sMemoryLimit })},
		{k + "readiness_initial_delay", "K8s_READINESS_INITIAL_DELAY", num(func(c *Config) *int { return &c.K8sReadinessInitialDelay })},
		{k + "readiness_period", "K8s_READINESS_PERIOD", num(func(c *Config) *int { return &c.K8sReadinessPeriod })},
		{k + "liveness_initial_delay", "K8s_LIVENESS_INITIAL_DELAY", num(func(c *Config) *int { return &c.K8sLivenessInitialDelay })},
		{k + "liveness_period", "K8s_LIVENESS_PERIOD", num(func(c *Config) *int { return &c.K8sLivenessPeriod })},
		{k + "liveness_failure_threshold", "K8s_LIVENESS_FAILURE_THRESHOLD", num(func(c *Config) *int { return &c.K8sLivenessFailureThreshold })},
		{k + "mongodb_enabled", "K8s_MONGODB", boolean(func(c *Config) *bool { return &c.K8sMongoDB })},
		{k + "redis_enabled", "K8s_REDIS", boolean(func(c *Config) *bool { return &c.K8sRedis })},
		{k + "mongodb_storage", "K8s_MONGODB_STORAGE", str(func(c *Config) *string { return &c.K8sMongoStorage })},
		{k + "storage_class", "K8s_STORAGE_CLASS", str(func(c *Config) *string { return &c.K8sStorageClass })},
		{k + "autoscale", "K8s_AUTOSCALE", boolean(func(c *Config) *bool { return &c.K8sAutoscale })},
		{k + "max_replicas", "K8s_MAX_REPLICAS", num(func(c *Config) *int { return &c.K8sMaxReplicas })},
		{k + "target_cpu_percent", "K8s_TARGET_CPU", num(func(c *Config) *int { return &c.K8sTargetCPU })},
		{k + "rollout_timeout", "K8s_ROLLOUT_TIMEOUT", dur(func(c *Config) *time.Duration { return &c.K8sRolloutTimeout })},
		{k + "images.app", "K8s_IMAGE", str(func(c *Config) *string { return &c.K8sImage })},
		{k + "images.mongodb", "K8s_MONGODB_IMAGE", str(func(c *Config) *string { return &c.K8sMongoImage })},
		{k + "images.redis", "K8s_REDIS_IMAGE", str(func(c *Config) *string { return &c.K8sRedisImage })},
		{k + "registry", "JAC_REGISTRY", str(func(c *Config) *string { return &c.Registry })},
		{k + "docker_username", "DOCKER_USERNAME", str(func(c *Config) *string { return &c.DockerUsername })},
		{k + "docker_password", "DOCKER_PASSWORD", str(func(c *Config) *string { return &c.DockerPassword })},
		{k + "host_binary", "JAC_HOST_BINARY", str(func(c *Config) *string { return &c.HostBinary })},
		{k + "target", "JAC_SCALE_TARGET", str(func(c *Config) *string { return &c.Target })},
	}
}

// dnsLabel is an RFC 1123 label, what Kubernetes wants of names.
var dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// maxAppName leaves room for the longest suffix ("-mongodb-service") within
// the 63 characters of a Service name.
const maxAppName = 40

func (d *Deploy) validate() error {
	const k = "plugins.scale.kubernetes."
	checks := []struct {
		key string
		err string // empty when fine
	}{
		{k + "app_name", check(d.AppName == "" || len(d.AppName) <= maxAppName && dnsLabel.MatchString(d.AppName),
			fmt.Sprintf("must be lower-case letters, digits and '-', at most %d characters", maxAppName))},
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
		{k + "registry", registry(d.Registry)},
		{k + "docker_password", check(d.DockerUsername == "" || d.DockerPassword != "", "missing: DOCKER_USERNAME is set, so the registry needs its password or token too")},
		{k + "docker_username", check(d.DockerPassword == "" || d.DockerUsername != "", "missing: DOCKER_PASSWORD is set without the user it belongs to")},
		{k + "target", check(dnsLabel.MatchString(d.Target), "must name a deploy target such as kubernetes")},
	}
	for _, ch := range checks {
		if ch.err != "" {
			return fmt.Errorf("%w: %s (%s): %s", ErrInvalid, ch.key, envOf(ch.key), ch.err)
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
		return fmt.Sprintf("%s is below %s %s (%s); a limit must be at least its request", lim, reqKey, req, envOf("plugins.scale.kubernetes."+reqKey))
	}
	return ""
}

// registry accepts a known registry name or an address: a host that
// contains a '.' or a ':' or is localhost, optionally followed by a path.
func registry(s string) string {
	for _, r := range Registries {
		if s == r {
			return ""
		}
	}
	host, _, _ := strings.Cut(s, "/")
	if host != "" && (strings.ContainsAny(host, ".:") || host == "localhost") && !strings.ContainsAny(s, " \t@") {
		return ""
	}
	return fmt.Sprintf("unknown registry %q: want %s, or a registry address such as registry.example.com/team or 127.0.0.1:5000",
		s, strings.Join(Registries, ", "))
}
