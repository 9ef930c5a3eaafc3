package kubernetes

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// object is one entry of an app's plan: an object to apply, or the name of
// one that must not exist (obj nil), which a deploy removes and a destroy
// need not wait for.
type object struct {
	kind  kind
	name  string
	obj   any    // typed API object; nil when absent
	state bool   // holds data (database volumes' credentials): destroy keeps it unless purged
	why   string // why it is absent, for the log
}

// meta is the metadata of an app object.
func (s *spec) meta(name, component string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: s.ns, Labels: s.labels(component)}
}

// present and absent build plan entries.
func present(k kind, meta metav1.ObjectMeta, obj any) object {
	return object{kind: k, name: meta.Name, obj: obj}
}

func absent(k kind, name, why string) object { return object{kind: k, name: name, why: why} }

// secretRef is an environment variable read from a Secret's key.
func secretRef(env, secret, key string) corev1.EnvVar {
	return corev1.EnvVar{Name: env, ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
		LocalObjectReference: corev1.LocalObjectReference{Name: secret}, Key: key}}}
}

// podSecurity runs a pod's containers as uid, never as root.
func podSecurity(uid int64) *corev1.PodSecurityContext {
	return &corev1.PodSecurityContext{
		RunAsNonRoot:   ptr(true),
		RunAsUser:      ptr(uid),
		RunAsGroup:     ptr(uid),
		FSGroup:        ptr(uid),
		SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
	}
}

// containerSecurity drops every capability and privilege escalation.
func containerSecurity(readOnlyRoot bool) *corev1.SecurityContext {
	return &corev1.SecurityContext{
		AllowPrivilegeEscalation: ptr(false),
		ReadOnlyRootFilesystem:   ptr(readOnlyRoot),
		Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
	}
}

// tcpProbe checks that a port accepts connections.
func tcpProbe(port string, delay, period int32) *corev1.Probe {
	return &corev1.Probe{
		ProbeHandler:        corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromString(port)}},
		InitialDelaySeconds: delay, PeriodSeconds: period, TimeoutSeconds: 2,
	}
}
