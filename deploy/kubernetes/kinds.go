package kubernetes

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// kind is an API resource jac manages.
type kind struct {
	Name       string // Deployment
	gvr        schema.GroupVersionResource
	namespaced bool
}

var (
	kindNamespace   = kind{"Namespace", schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}, false}
	kindSecret      = kind{"Secret", schema.GroupVersionResource{Version: "v1", Resource: "secrets"}, true}
	kindService     = kind{"Service", schema.GroupVersionResource{Version: "v1", Resource: "services"}, true}
	kindPVC         = kind{"PersistentVolumeClaim", schema.GroupVersionResource{Version: "v1", Resource: "persistentvolumeclaims"}, true}
	kindDeployment  = kind{"Deployment", schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}, true}
	kindStatefulSet = kind{"StatefulSet", schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "statefulsets"}, true}
	kindHPA         = kind{"HorizontalPodAutoscaler", schema.GroupVersionResource{Group: "autoscaling", Version: "v2", Resource: "horizontalpodautoscalers"}, true}
)

// apiVersion is the kind's group/version as manifests spell it.
func (k kind) apiVersion() string { return k.gvr.GroupVersion().String() }
