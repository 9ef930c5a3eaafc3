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

// mongoDB runs MongoDB as the StatefulSet <app>-mongodb, one replica whose
// data lives on a volume claim (data-<app>-mongodb-0) that outlives the
// app, behind the headless Service <app>-mongodb-service.
type mongoDB struct{}

const (
	mongoPort     = 27017
	mongoUID      = 999 // the mongodb user of the official image
	keyMongoUser  = "mongodb-username"
	keyMongoPass  = "mongodb-password"
	mongoDataPath = "/data/db"
)

func (mongoDB) Name() string                 { return "mongodb" }
func (mongoDB) Enabled(c deploy.Config) bool { return c.K8sMongoDB }
func (mongoDB) Credentials() map[string]string {
	return map[string]string{keyMongoUser: "jac", keyMongoPass: ""}
}
func (mongoDB) URLEnv() string               { return "MONGODB_URI" }
func (m mongoDB) service(s *spec) string     { return s.name(m.Name() + "-service") }
func (m mongoDB) statefulSet(s *spec) string { return s.name(m.Name()) }
func (m mongoDB) claimTemplate() string      { return "data" }

func (m mongoDB) URL(s *spec) string {
	u := url.URL{
		Scheme:   "mongodb",
		User:     url.UserPassword(string(s.creds[keyMongoUser]), string(s.creds[keyMongoPass])),
		Host:     fmt.Sprintf("%s.%s.svc:%d", m.service(s), s.ns, mongoPort),
		Path:     "/" + s.Name,
		RawQuery: "authSource=admin",
	}
	return u.String()
}

func (m mongoDB) Objects(s *spec) []object {
	c := s.Config
	sm := s.meta(m.statefulSet(s), m.Name())
	svc := s.meta(m.service(s), m.Name())
	claim := s.meta(m.claimTemplate(), m.Name())
	claim.Namespace = ""
	pvc := corev1.PersistentVolumeClaim{ObjectMeta: claim, Spec: corev1.PersistentVolumeClaimSpec{
		AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
		Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse(c.K8sMongoStorage)}},
	}}
	if c.K8sStorageClass != "" {
		pvc.Spec.StorageClassName = ptr(c.K8sStorageClass)
	}
	tmpl := s.meta("", m.Name())
	tmpl.Namespace = ""
	tmpl.Annotations = map[string]string{annotationConfig: hash(s.creds)}
	secret := s.name("database")
	return []object{
		present(kindStatefulSet, sm, &appsv1.StatefulSet{ObjectMeta: sm, Spec: appsv1.StatefulSetSpec{
			Replicas:    ptr(int32(1)),
			ServiceName: m.service(s),
			Selector:    &metav1.LabelSelector{MatchLabels: s.selector(m.Name())},
			PersistentVolumeClaimRetentionPolicy: &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{
				WhenDeleted: appsv1.RetainPersistentVolumeClaimRetentionPolicyType,
				WhenScaled:  appsv1.RetainPersistentVolumeClaimRetentionPolicyType,
			},
			Template: corev1.PodTemplateSpec{ObjectMeta: tmpl, Spec: corev1.PodSpec{
				AutomountServiceAccountToken: ptr(false),
				SecurityContext:              podSecurity(mongoUID),
				Containers: []corev1.Container{{
					Name:  m.Name(),
					Image: c.K8sMongoImage,
					Ports: []corev1.ContainerPort{{Name: m.Name(), ContainerPort: mongoPort, Protocol: corev1.ProtocolTCP}},
					Env: []corev1.EnvVar{
						secretRef("MONGO_INITDB_ROOT_USERNAME", secret, keyMongoUser),
						secretRef("MONGO_INITDB_ROOT_PASSWORD", secret, keyMongoPass),
					},
					Resources: corev1.ResourceRequirements{
						Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("256Mi")},
						Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("1Gi")},
					},
					ReadinessProbe:  tcpProbe(m.Name(), 2, 5),
					LivenessProbe:   tcpProbe(m.Name(), 15, 20),
					SecurityContext: containerSecurity(false),
					VolumeMounts:    []corev1.VolumeMount{{Name: m.claimTemplate(), MountPath: mongoDataPath}},
				}},
			}},
			VolumeClaimTemplates: []corev1.PersistentVolumeClaim{pvc},
		}}),
		present(kindService, svc, &corev1.Service{ObjectMeta: svc, Spec: corev1.ServiceSpec{
			ClusterIP: corev1.ClusterIPNone,
			Selector:  s.selector(m.Name()),
			Ports:     []corev1.ServicePort{{Name: m.Name(), Port: mongoPort, TargetPort: intstr.FromString(m.Name()), Protocol: corev1.ProtocolTCP}},
		}}),
	}
}

var _ Database = mongoDB{}
