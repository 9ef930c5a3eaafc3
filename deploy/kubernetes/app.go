package kubernetes

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/walkerhost/walkerhost/deploy"
	"github.com/walkerhost/walkerhost/deploy/image"
)

// Paths the probes call; the host serves both (docs/OPERATIONS.md).
const (
	readyPath = "/readyz"
	livePath  = "/healthz"
)

// appObjects are the app's own objects: its Secrets, Deployment, Service
// and, when asked, autoscaler.
func (s *spec) appObjects(env []corev1.EnvVar) []object {
	objs := []object{s.appSecret()}
	if s.Pull != nil {
		objs = append(objs, s.pullSecret())
	} else {
		objs = append(objs, absent(kindSecret, s.name("registry"), "the registry needs no login"))
	}
	objs = append(objs, s.appDeployment(env), s.appService())
	if s.Config.K8sAutoscale {
		objs = append(objs, s.autoscaler())
	} else {
		objs = append(objs, absent(kindHPA, s.name(""), "autoscale is off"))
	}
	return objs
}

func (s *spec) appSecret() object {
	m := s.meta(s.name("secrets"), componentApp)
	return present(kindSecret, m, &corev1.Secret{ObjectMeta: m, Type: corev1.SecretTypeOpaque, Data: s.secrets})
}

// pullSecret holds the registry login the cluster pulls the image with.
func (s *spec) pullSecret() object {
	p := s.Pull
	auth := base64.StdEncoding.EncodeToString([]byte(p.Username + ":" + p.Password))
	cfg, _ := json.Marshal(map[string]any{"auths": map[string]any{p.Server: map[string]string{
		"username": p.Username, "password": p.Password, "auth": auth}}})
	m := s.meta(s.name("registry"), componentApp)
	return present(kindSecret, m, &corev1.Secret{ObjectMeta: m, Type: corev1.SecretTypeDockerConfigJson,
		Data: map[string][]byte{corev1.DockerConfigJsonKey: cfg}})
}

func (s *spec) appDeployment(env []corev1.EnvVar) object {
	c := s.Config
	m := s.meta(s.name(""), componentApp)
	var replicas *int32
	if !c.K8sAutoscale { // else the autoscaler owns the count
		replicas = ptr(int32(c.K8sReplicas))
	}
	tmpl := s.meta("", componentApp)
	tmpl.Namespace = ""
	tmpl.Annotations = map[string]string{annotationConfig: hash(s.secrets, s.pullData())}
	pod := corev1.PodSpec{
		AutomountServiceAccountToken:  ptr(false),
		SecurityContext:               podSecurity(image.UID),
		TerminationGracePeriodSeconds: ptr(int64(30)),
		Containers: []corev1.Container{{
			Name:            "jac",
			Image:           s.Image,
			ImagePullPolicy: corev1.PullIfNotPresent,
			Ports:           []corev1.ContainerPort{{Name: "http", ContainerPort: image.Port, Protocol: corev1.ProtocolTCP}},
			Env:             env,
			Resources:       resources(c.Settings),
			ReadinessProbe: &corev1.Probe{
				ProbeHandler:        httpGet(readyPath),
				InitialDelaySeconds: int32(c.K8sReadinessInitialDelay),
				PeriodSeconds:       int32(c.K8sReadinessPeriod),
				TimeoutSeconds:      2,
			},
			LivenessProbe: &corev1.Probe{
				ProbeHandler:        httpGet(livePath),
				InitialDelaySeconds: int32(c.K8sLivenessInitialDelay),
				PeriodSeconds:       int32(c.K8sLivenessPeriod),
				FailureThreshold:    int32(c.K8sLivenessFailureThreshold),
				TimeoutSeconds:      2,
			},
			SecurityContext: containerSecurity(true),
			VolumeMounts:    []corev1.VolumeMount{{Name: "data", MountPath: image.DataDir}, {Name: "tmp", MountPath: "/tmp"}},
		}},
		Volumes: []corev1.Volume{
			{Name: "data", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
			{Name: "tmp", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
		},
	}
	if s.Pull != nil {
		pod.ImagePullSecrets = []corev1.LocalObjectReference{{Name: s.name("registry")}}
	}
	return present(kindDeployment, m, &appsv1.Deployment{ObjectMeta: m, Spec: appsv1.DeploymentSpec{
		Replicas: replicas,
		Selector: &metav1.LabelSelector{MatchLabels: s.selector(componentApp)},
		Strategy: appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType, RollingUpdate: &appsv1.RollingUpdateDeployment{
			MaxUnavailable: ptr(intstr.FromInt32(0)), MaxSurge: ptr(intstr.FromInt32(1))}},
		Template: corev1.PodTemplateSpec{ObjectMeta: tmpl, Spec: pod},
	}})
}

func (s *spec) pullData() map[string][]byte {
	if s.Pull == nil {
		return nil
	}
	return map[string][]byte{"server": []byte(s.Pull.Server), "user": []byte(s.Pull.Username), "password": []byte(s.Pull.Password)}
}

func httpGet(path string) corev1.ProbeHandler {
	return corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: path, Port: intstr.FromString("http")}}
}

// resources are the container's requests and limits; deploy.Config.Validate has
// checked every quantity.
func resources(d deploy.Settings) corev1.ResourceRequirements {
	list := func(cpu, mem string) corev1.ResourceList {
		l := corev1.ResourceList{}
		if cpu != "" {
			l[corev1.ResourceCPU] = resource.MustParse(cpu)
		}
		if mem != "" {
			l[corev1.ResourceMemory] = resource.MustParse(mem)
		}
		if len(l) == 0 {
			return nil
		}
		return l
	}
	return corev1.ResourceRequirements{Requests: list(d.K8sCPURequest, d.K8sMemoryRequest), Limits: list(d.K8sCPULimit, d.K8sMemoryLimit)}
}

// appService is the NodePort Service <app>-service in front of the app.
func (s *spec) appService() object {
	m := s.meta(s.name("service"), componentApp)
	return present(kindService, m, &corev1.Service{ObjectMeta: m, Spec: corev1.ServiceSpec{
		Type:     corev1.ServiceTypeNodePort,
		Selector: s.selector(componentApp),
		Ports: []corev1.ServicePort{{Name: "http", Port: image.Port, TargetPort: intstr.FromString("http"),
			NodePort: int32(s.Config.K8sNodePort), Protocol: corev1.ProtocolTCP}},
	}})
}

// autoscaler keeps the app between K8s_REPLICAS and K8s_MAX_REPLICAS pods
// at the target CPU utilization.
func (s *spec) autoscaler() object {
	c := s.Config
	m := s.meta(s.name(""), componentApp)
	return present(kindHPA, m, &autoscalingv2.HorizontalPodAutoscaler{ObjectMeta: m, Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
		ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: s.name("")},
		MinReplicas:    ptr(int32(c.K8sReplicas)),
		MaxReplicas:    int32(c.K8sMaxReplicas),
		Metrics: []autoscalingv2.MetricSpec{{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricSource{
			Name:   corev1.ResourceCPU,
			Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: ptr(int32(c.K8sTargetCPU))},
		}}},
	}})
}

// appEnv returns the app container's environment: the host settings that
// differ from their defaults as literals, credentials as references into
// <app>-secrets (whose data it fills), and the databases' URLs.
func (s *spec) appEnv(dbs []Database) []corev1.EnvVar {
	set := map[string]bool{}
	for _, db := range dbs {
		set[db.URLEnv()] = true
	}
	var env []corev1.EnvVar
	for _, st := range s.Config.Changed() {
		if strings.HasPrefix(st.Path, "plugins.scale.kubernetes.") || strings.HasPrefix(st.Path, "serve.") || set[st.Env] {
			continue // deploy settings, or set by the image and the deploy
		}
		if st.Secret {
			s.secrets[st.Env] = []byte(st.Value)
			continue
		}
		env = append(env, corev1.EnvVar{Name: st.Env, Value: st.Value})
	}
	for _, db := range dbs {
		s.secrets[db.URLEnv()] = []byte(db.URL(s))
	}
	if len(s.secrets[secretKeyJWT]) == 0 {
		s.secrets[secretKeyJWT] = randomSecret()
	}
	for _, k := range sortedKeys(s.secrets) {
		env = append(env, secretRef(k, s.name("secrets"), k))
	}
	return env
}
