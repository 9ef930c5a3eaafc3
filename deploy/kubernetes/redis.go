package kubernetes

import (
	"fmt"
	"net/url"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/walkerhost/walkerhost/deploy"
)

// redis runs Redis as the Deployment <app>-redis behind the Service
// <app>-redis-service. It is the host's shared cache tier, so it keeps
// nothing on disk: losing it loses no committed data.
type redis struct{}

const (
	redisPort    = 6379
	redisUID     = 999 // the redis user of the official image
	keyRedisPass = "redis-password"
)

func (redis) Name() string                   { return "redis" }
func (redis) Enabled(c deploy.Config) bool   { return c.K8sRedis }
func (redis) Credentials() map[string]string { return map[string]string{keyRedisPass: ""} }
func (redis) URLEnv() string                 { return "REDIS_URL" }
func (r redis) service(s *spec) string       { return s.name(r.Name() + "-service") }

func (r redis) URL(s *spec) string {
	u := url.URL{
		Scheme: "redis",
		User:   url.UserPassword("", string(s.creds[keyRedisPass])),
		Host:   fmt.Sprintf("%s.%s.svc:%d", r.service(s), s.ns, redisPort),
		Path:   "/0",
	}
	return u.String()
}

func (r redis) Objects(s *spec) []object {
	dm := s.meta(s.name(r.Name()), r.Name())
	svc := s.meta(r.service(s), r.Name())
	tmpl := s.meta("", r.Name())
	tmpl.Namespace = ""
	tmpl.Annotations = map[string]string{annotationConfig: hash(s.creds)}
	return []object{
		present(kindDeployment, dm, &appsv1.Deployment{ObjectMeta: dm, Spec: appsv1.DeploymentSpec{
			Replicas: ptr(int32(1)),
			Selector: &metav1.LabelSelector{MatchLabels: s.selector(r.Name())},
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType},
			Template: corev1.PodTemplateSpec{ObjectMeta: tmpl, Spec: corev1.PodSpec{
				AutomountServiceAccountToken: ptr(false),
				SecurityContext:              podSecurity(redisUID),
				Containers: []corev1.Container{{
					Name:  r.Name(),
					Image: s.Config.K8sRedisImage,
					// $(REDIS_PASSWORD) is expanded by the kubelet, so the
					// password stays out of the manifest.
					Args:  []string{"--requirepass", "$(REDIS_PASSWORD)", "--save", "", "--appendonly", "no"},
					Ports: []corev1.ContainerPort{{Name: r.Name(), ContainerPort: redisPort, Protocol: corev1.ProtocolTCP}},
					Env:   []corev1.EnvVar{secretRef("REDIS_PASSWORD", s.name("database"), keyRedisPass)},
					Resources: corev1.ResourceRequirements{
						Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("50m"), corev1.ResourceMemory: resource.MustParse("64Mi")},
						Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("512Mi")},
					},
					ReadinessProbe:  tcpProbe(r.Name(), 1, 5),
					LivenessProbe:   tcpProbe(r.Name(), 10, 20),
					SecurityContext: containerSecurity(true),
					VolumeMounts:    []corev1.VolumeMount{{Name: "data", MountPath: "/data"}},
				}},
				Volumes: []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
			}},
		}}),
		present(kindService, svc, &corev1.Service{ObjectMeta: svc, Spec: corev1.ServiceSpec{
			Selector: s.selector(r.Name()),
			Ports:    []corev1.ServicePort{{Name: r.Name(), Port: redisPort, TargetPort: intstr.FromString(r.Name()), Protocol: corev1.ProtocolTCP}},
		}}),
	}
}

var _ Database = redis{}
