package kubernetes_test

import (
	"context"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestDeploy_Toggles turns parts on and off between deploys: the
// autoscaler and Redis come and go, the app stays the same object, a pull
// secret appears for a registry with a login.
func TestDeploy_Toggles(t *testing.T) {
	e := newEnv(t, "toggles", map[string]string{"APP_NAME": "flip", "K8s_MONGODB": "false", "K8s_AUTOSCALE": "true",
		"K8s_REPLICAS": "2", "K8s_MAX_REPLICAS": "4", "DOCKER_USERNAME": "ci", "DOCKER_PASSWORD": "s3cret"})
	ctx := context.Background()
	if _, _, err := e.start("hello", true, nil); err != nil {
		t.Fatal(err)
	}
	hpa, err := e.cluster.Client.AutoscalingV2().HorizontalPodAutoscalers(e.ns).Get(ctx, "flip", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if *hpa.Spec.MinReplicas != 2 || hpa.Spec.MaxReplicas != 4 || hpa.Spec.ScaleTargetRef.Name != "flip" ||
		*hpa.Spec.Metrics[0].Resource.Target.AverageUtilization != 80 || hpa.Labels["app"] != "flip" {
		t.Fatalf("autoscaler %+v", hpa.Spec)
	}
	if !e.gone("StatefulSet", "flip-mongodb") || e.gone("Deployment", "flip-redis") {
		t.Fatal("mongodb is off and redis on, but the cluster disagrees")
	}
	pull := e.secret("flip-registry")
	if pull.Type != "kubernetes.io/dockerconfigjson" || len(e.deployment("flip").Spec.Template.Spec.ImagePullSecrets) != 1 {
		t.Fatalf("pull secret %s, pod pull secrets %v", pull.Type, e.deployment("flip").Spec.Template.Spec.ImagePullSecrets)
	}
	app := uid(t, e, "Deployment", "flip")

	res, log, err := e.start("hello", true, map[string]string{"K8s_AUTOSCALE": "false", "K8s_REDIS": "false", "DOCKER_USERNAME": "", "DOCKER_PASSWORD": ""})
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []struct{ kind, name string }{{"HorizontalPodAutoscaler", "flip"}, {"Deployment", "flip-redis"},
		{"Service", "flip-redis-service"}, {"Secret", "flip-registry"}} {
		if !e.gone(gone.kind, gone.name) {
			t.Errorf("%s %s still there", gone.kind, gone.name)
		}
		if !log.has(gone.kind + " " + gone.name + " removed") {
			t.Errorf("no line says %s %s was removed", gone.kind, gone.name)
		}
	}
	if uid(t, e, "Deployment", "flip") != app || res.Replicas != 2 {
		t.Fatalf("the app was re-created or has %d replicas", res.Replicas)
	}
	if _, ok := e.secret("flip-secrets").Data["REDIS_URL"]; ok {
		t.Fatal("REDIS_URL still set with redis off")
	}
	if err := e.target.Destroy(ctx, e.app("flip", nil), true, &logger{t: t}); err != nil {
		t.Fatal(err)
	}
}
