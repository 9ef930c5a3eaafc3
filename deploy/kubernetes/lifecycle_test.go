package kubernetes_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/walkerhost/walkerhost/deploy"
	"github.com/walkerhost/walkerhost/deploy/image"
)

// TestLifecycle takes one app through everything: deploy, status, scale,
// re-deploy with a new module, re-deploy unchanged, destroy (keeping the
// database's volume), deploy again onto the kept volume, destroy --purge.
func TestLifecycle(t *testing.T) {
	e := newEnv(t, "lifecycle", map[string]string{
		"APP_NAME": "shop", "K8s_REPLICAS": "2", "K8s_NODE_PORT": "30111",
		"K8s_CPU_REQUEST": "100m", "K8s_CPU_LIMIT": "500m", "K8s_MEMORY_REQUEST": "64Mi", "K8s_MEMORY_LIMIT": "256Mi",
		"K8s_READINESS_INITIAL_DELAY": "3", "K8s_READINESS_PERIOD": "7", "K8s_LIVENESS_PERIOD": "11", "K8s_LIVENESS_FAILURE_THRESHOLD": "4",
		"JAC_MEMORY_MB": "64", "WEBHOOK_SECRET": "a-webhook-pepper",
	})
	ctx := context.Background()
	app := e.app("shop", nil)
	objects := map[string]string{ // name → kind, every object the deploy makes
		"shop": "Deployment", "shop-service": "Service", "shop-secrets": "Secret", "shop-database": "Secret",
		"shop-mongodb": "StatefulSet", "shop-mongodb-service": "Service", "shop-redis": "Deployment", "shop-redis-service": "Service",
	}
	var first, second string
	uids := map[string]types.UID{}

	t.Run("deploy", func(t *testing.T) {
		res, log, err := e.start("todo", true, nil)
		if err != nil {
			t.Fatal(err)
		}
		first = res.Image
		pushed, err := image.Resolve(ctx, e.reg+"/shop:latest", authn.Anonymous)
		if err != nil || res.Image != pushed.String() {
			t.Fatalf("deployed %s, registry has %v (%v)", res.Image, pushed, err)
		}
		if res.Replicas != 2 || res.URL != "http://localhost:30111" {
			t.Fatalf("result %+v", res)
		}
		if !log.has("Namespace lifecycle created") || !log.has("Deployment shop created") {
			t.Fatal("progress lines missing")
		}
		checkApp(t, e, res.Image)
		checkDatabases(t, e)
		for name, kind := range objects {
			uids[name] = uid(t, e, kind, name)
		}
	})

	t.Run("status", func(t *testing.T) {
		st, err := e.target.Status(ctx, app)
		if err != nil {
			t.Fatal(err)
		}
		if !st.Deployed || st.Image != first || st.URL != "http://localhost:30111" || st.Namespace != "lifecycle" {
			t.Fatalf("status %+v", st)
		}
		want := []string{"shop 2/2", "shop-mongodb 1/1", "shop-redis 1/1"}
		if got := components(st.Components); strings.Join(got, ", ") != strings.Join(want, ", ") {
			t.Fatalf("components %v, want %v", got, want)
		}
		if len(st.Pods) != 4 {
			t.Fatalf("%d pods, want 4: %+v", len(st.Pods), st.Pods)
		}
		for _, p := range st.Pods {
			if !p.Ready || p.Phase != "Running" || p.Reason != "" {
				t.Errorf("pod %+v not ready", p)
			}
		}
	})

	t.Run("scale", func(t *testing.T) {
		if err := e.target.Scale(ctx, app, 3, &logger{t: t}); err != nil {
			t.Fatal(err)
		}
		if d := e.deployment("shop"); d.Status.ReadyReplicas != 3 || *d.Spec.Replicas != 3 {
			t.Fatalf("%d/%d ready, want 3", d.Status.ReadyReplicas, *d.Spec.Replicas)
		}
		st, err := e.target.Status(ctx, app)
		if err != nil || components(st.Components)[0] != "shop 3/3" {
			t.Fatalf("status %v %v", st.Components, err)
		}
	})

	t.Run("re-deploy a new module", func(t *testing.T) {
		jwt := string(e.secret("shop-secrets").Data["JWT_SECRET"])
		password := string(e.secret("shop-database").Data["mongodb-password"])
		gen := e.deployment("shop").Generation
		res, log, err := e.start("hello", true, nil)
		if err != nil {
			t.Fatal(err)
		}
		second = res.Image
		if second == first {
			t.Fatal("a new module kept the image digest")
		}
		// The same objects, updated in place: same UIDs, a new generation,
		// a second ReplicaSet that took over from the first.
		for name, kind := range objects {
			if got := uid(t, e, kind, name); got != uids[name] {
				t.Errorf("%s %s was re-created (uid %s, was %s)", kind, name, got, uids[name])
			}
		}
		d := e.deployment("shop")
		if d.Generation <= gen || d.Spec.Template.Spec.Containers[0].Image != second || *d.Spec.Replicas != 2 || d.Status.ReadyReplicas != 2 {
			t.Fatalf("deployment not rolled: generation %d (was %d), image %s, %d/%d ready",
				d.Generation, gen, d.Spec.Template.Spec.Containers[0].Image, d.Status.ReadyReplicas, *d.Spec.Replicas)
		}
		if !log.has("Deployment shop configured") || !log.has("StatefulSet shop-mongodb unchanged") {
			t.Fatal("progress lines missing")
		}
		rss, err := e.cluster.Client.AppsV1().ReplicaSets(e.ns).List(ctx, metav1.ListOptions{LabelSelector: "app=shop,app.kubernetes.io/component=app"})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(rss.Items); n != 2 {
			t.Fatalf("%d ReplicaSets, want the old and the new", n)
		}
		for _, rs := range rss.Items {
			img := rs.Spec.Template.Spec.Containers[0].Image
			if img == first && *rs.Spec.Replicas != 0 || img == second && rs.Status.ReadyReplicas != 2 {
				t.Errorf("ReplicaSet %s (%s): %d replicas, %d ready", rs.Name, img, *rs.Spec.Replicas, rs.Status.ReadyReplicas)
			}
		}
		for _, p := range e.pods("shop") {
			if p.Labels["app.kubernetes.io/component"] == "app" && p.DeletionTimestamp == nil && p.Spec.Containers[0].Image != second {
				t.Errorf("pod %s still runs %s", p.Name, p.Spec.Containers[0].Image)
			}
		}
		if got := e.deployment("shop").Spec.Template.Spec.Containers[0].Image; !strings.HasPrefix(got, e.reg+"/shop@sha256:") {
			t.Fatalf("image %s not pinned by digest", got)
		}
		if string(e.secret("shop-secrets").Data["JWT_SECRET"]) != jwt || string(e.secret("shop-database").Data["mongodb-password"]) != password {
			t.Fatal("a re-deploy changed the generated secrets")
		}
	})

	t.Run("re-deploy unchanged", func(t *testing.T) {
		gen := e.deployment("shop").Generation
		res, log, err := e.start("hello", true, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Image != second || e.deployment("shop").Generation != gen || !log.has("Deployment shop unchanged") {
			t.Fatalf("an unchanged re-deploy changed the app: %s, generation %d (was %d)", res.Image, e.deployment("shop").Generation, gen)
		}
	})

	t.Run("re-deploy without build", func(t *testing.T) {
		res, _, err := e.start("hello", false, map[string]string{"K8s_REPLICAS": "1"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Image != second || res.Replicas != 1 {
			t.Fatalf("result %+v, want the last image pushed with 1 replica", res)
		}
	})

	claim := "data-shop-mongodb-0"
	claimUID := uid(t, e, "PersistentVolumeClaim", claim)

	t.Run("destroy keeps the database volume", func(t *testing.T) {
		log := &logger{t: t}
		if err := e.target.Destroy(ctx, app, false, log); err != nil {
			t.Fatal(err)
		}
		for name, kind := range objects {
			if kind == "Secret" && name == "shop-database" {
				continue
			}
			if !e.gone(kind, name) {
				t.Errorf("%s %s left", kind, name)
			}
		}
		if n := len(e.pods("shop")); n != 0 {
			t.Errorf("%d pods left", n)
		}
		if e.gone("PersistentVolumeClaim", claim) || e.gone("Secret", "shop-database") {
			t.Fatal("destroy deleted the database's volume or credentials")
		}
		if !log.has("PersistentVolumeClaim " + claim + " kept") {
			t.Fatal("destroy did not say what it kept")
		}
		st, err := e.target.Status(ctx, app)
		if err != nil || st.Deployed {
			t.Fatalf("status after destroy: %+v %v", st, err)
		}
	})

	t.Run("deploy again onto the kept volume", func(t *testing.T) {
		password := string(e.secret("shop-database").Data["mongodb-password"])
		if _, _, err := e.start("hello", false, nil); err != nil {
			t.Fatal(err)
		}
		if uid(t, e, "PersistentVolumeClaim", claim) != claimUID || string(e.secret("shop-database").Data["mongodb-password"]) != password {
			t.Fatal("the database came back without its volume or credentials")
		}
	})

	t.Run("destroy --purge", func(t *testing.T) {
		if err := e.target.Destroy(ctx, app, true, &logger{t: t}); err != nil {
			t.Fatal(err)
		}
		for name, kind := range objects {
			if !e.gone(kind, name) {
				t.Errorf("%s %s left", kind, name)
			}
		}
		if !e.gone("PersistentVolumeClaim", claim) {
			t.Fatal("purge kept the volume claim")
		}
	})
}

func components(cs []deploy.Component) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name + " " + strconv.Itoa(c.Ready) + "/" + strconv.Itoa(c.Desired)
	}
	return out
}

// checkApp checks the app's own objects against the settings of TestLifecycle.
func checkApp(t *testing.T, e *env, img string) {
	t.Helper()
	d := e.deployment("shop")
	checkLabels(t, "Deployment shop", d.Labels, "app")
	if *d.Spec.Replicas != 2 || d.Status.ReadyReplicas != 2 {
		t.Fatalf("%d/%d ready, want 2", d.Status.ReadyReplicas, *d.Spec.Replicas)
	}
	if d.Spec.Strategy.Type != appsv1.RollingUpdateDeploymentStrategyType {
		t.Fatalf("strategy %s", d.Spec.Strategy.Type)
	}
	checkLabels(t, "pod template", d.Spec.Template.Labels, "app")
	c := d.Spec.Template.Spec.Containers[0]
	if c.Image != img || !strings.Contains(img, "@sha256:") {
		t.Fatalf("image %s, want %s pinned by digest", c.Image, img)
	}
	if len(c.Ports) != 1 || c.Ports[0].Name != "http" || c.Ports[0].ContainerPort != 8000 {
		t.Fatalf("ports %+v", c.Ports)
	}
	rp, lp := c.ReadinessProbe, c.LivenessProbe
	if rp == nil || rp.HTTPGet == nil || rp.HTTPGet.Path != "/readyz" || rp.HTTPGet.Port.StrVal != "http" || rp.InitialDelaySeconds != 3 || rp.PeriodSeconds != 7 {
		t.Fatalf("readiness probe %+v", rp)
	}
	if lp == nil || lp.HTTPGet == nil || lp.HTTPGet.Path != "/healthz" || lp.PeriodSeconds != 11 || lp.FailureThreshold != 4 {
		t.Fatalf("liveness probe %+v", lp)
	}
	r := c.Resources
	if r.Requests.Cpu().String() != "100m" || r.Limits.Cpu().String() != "500m" || r.Requests.Memory().String() != "64Mi" || r.Limits.Memory().String() != "256Mi" {
		t.Fatalf("resources %+v", r)
	}
	// Credentials come from the Secret, settings as literals.
	refs := map[string]string{}
	literal := map[string]string{}
	for _, ev := range c.Env {
		if ev.ValueFrom != nil {
			if ev.ValueFrom.SecretKeyRef == nil || ev.ValueFrom.SecretKeyRef.Name != "shop-secrets" {
				t.Fatalf("env %s from %+v", ev.Name, ev.ValueFrom)
			}
			refs[ev.Name] = ev.ValueFrom.SecretKeyRef.Key
		} else {
			literal[ev.Name] = ev.Value
		}
	}
	for _, k := range []string{"JWT_SECRET", "WEBHOOK_SECRET", "MONGODB_URI", "REDIS_URL"} {
		if refs[k] != k {
			t.Errorf("%s not read from shop-secrets (refs %v)", k, refs)
		}
		if _, ok := literal[k]; ok {
			t.Errorf("%s is a plain literal", k)
		}
	}
	if literal["JAC_MEMORY_MB"] != "64" {
		t.Errorf("setting JAC_MEMORY_MB not passed on: %v", literal)
	}
	for k := range literal {
		if strings.HasPrefix(k, "K8s_") || k == "JAC_REGISTRY" || k == "JAC_HOST_BINARY" || k == "APP_NAME" {
			t.Errorf("deploy setting %s passed to the pods", k)
		}
	}
	sec := e.secret("shop-secrets")
	checkLabels(t, "Secret shop-secrets", sec.Labels, "app")
	if len(sec.Data["JWT_SECRET"]) != 64 || string(sec.Data["WEBHOOK_SECRET"]) != "a-webhook-pepper" {
		t.Fatalf("secret data %v", keys(sec.Data))
	}
	if d.Spec.Template.Spec.SecurityContext == nil || !*d.Spec.Template.Spec.SecurityContext.RunAsNonRoot {
		t.Fatal("the app may run as root")
	}
	svc := e.service("shop-service")
	checkLabels(t, "Service shop-service", svc.Labels, "app")
	if svc.Spec.Type != corev1.ServiceTypeNodePort || len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].NodePort != 30111 ||
		svc.Spec.Ports[0].Port != 8000 || svc.Spec.Selector["app.kubernetes.io/component"] != "app" {
		t.Fatalf("service %+v", svc.Spec)
	}
	if !e.gone("HorizontalPodAutoscaler", "shop") || !e.gone("Secret", "shop-registry") {
		t.Fatal("an autoscaler or pull secret nobody asked for")
	}
}

// checkDatabases checks the MongoDB and Redis objects and that the app's
// URLs point at them with their credentials.
func checkDatabases(t *testing.T, e *env) {
	t.Helper()
	creds := e.secret("shop-database")
	checkLabels(t, "Secret shop-database", creds.Labels, "database")
	secrets := e.secret("shop-secrets")
	ss := e.statefulSet("shop-mongodb")
	checkLabels(t, "StatefulSet shop-mongodb", ss.Labels, "mongodb")
	if ss.Spec.ServiceName != "shop-mongodb-service" || ss.Status.ReadyReplicas != 1 || len(ss.Spec.VolumeClaimTemplates) != 1 {
		t.Fatalf("statefulset %+v", ss.Spec)
	}
	vct := ss.Spec.VolumeClaimTemplates[0]
	if vct.Name != "data" || vct.Spec.Resources.Requests.Storage().String() != "5Gi" {
		t.Fatalf("claim template %+v", vct)
	}
	pvc, err := e.cluster.Client.CoreV1().PersistentVolumeClaims(e.ns).Get(context.Background(), "data-shop-mongodb-0", metav1.GetOptions{})
	if err != nil || pvc.Status.Phase != corev1.ClaimBound || pvc.Labels["app"] != "shop" {
		t.Fatalf("claim %v: %v", pvc, err)
	}
	for _, ev := range ss.Spec.Template.Spec.Containers[0].Env {
		if ev.Value != "" || ev.ValueFrom.SecretKeyRef.Name != "shop-database" {
			t.Fatalf("mongodb env %s is not from shop-database", ev.Name)
		}
	}
	msvc := e.service("shop-mongodb-service")
	checkLabels(t, "Service shop-mongodb-service", msvc.Labels, "mongodb")
	if msvc.Spec.ClusterIP != corev1.ClusterIPNone || msvc.Spec.Ports[0].Port != 27017 {
		t.Fatalf("mongodb service %+v", msvc.Spec)
	}
	uri := string(secrets.Data["MONGODB_URI"])
	if !strings.Contains(uri, "shop-mongodb-service.lifecycle.svc:27017") || !strings.Contains(uri, ":"+string(creds.Data["mongodb-password"])+"@") {
		t.Fatalf("MONGODB_URI %q does not point at the StatefulSet with its password", uri)
	}
	rd := e.deployment("shop-redis")
	checkLabels(t, "Deployment shop-redis", rd.Labels, "redis")
	if rd.Status.ReadyReplicas != 1 {
		t.Fatal("redis not ready")
	}
	rsvc := e.service("shop-redis-service")
	checkLabels(t, "Service shop-redis-service", rsvc.Labels, "redis")
	if rsvc.Spec.Ports[0].Port != 6379 || rsvc.Spec.Selector["app.kubernetes.io/component"] != "redis" {
		t.Fatalf("redis service %+v", rsvc.Spec)
	}
	redisURL := string(secrets.Data["REDIS_URL"])
	if !strings.HasPrefix(redisURL, "redis://:"+string(creds.Data["redis-password"])+"@shop-redis-service.lifecycle.svc:6379/") {
		t.Fatalf("REDIS_URL %q", redisURL)
	}
}

func checkLabels(t *testing.T, what string, l map[string]string, component string) {
	t.Helper()
	if l["app"] != "shop" || l["app.kubernetes.io/component"] != component || l["app.kubernetes.io/managed-by"] != "jac" {
		t.Fatalf("%s labels %v", what, l)
	}
}

func uid(t *testing.T, e *env, kind, name string) types.UID {
	t.Helper()
	ctx, core := context.Background(), e.cluster.Client.CoreV1()
	var m metav1.Object
	var err error
	switch kind {
	case "Deployment":
		m = e.deployment(name)
	case "StatefulSet":
		m = e.statefulSet(name)
	case "Service":
		m = e.service(name)
	case "Secret":
		m = e.secret(name)
	case "PersistentVolumeClaim":
		m, err = core.PersistentVolumeClaims(e.ns).Get(ctx, name, metav1.GetOptions{})
	}
	if err != nil {
		t.Fatal(err)
	}
	return m.GetUID()
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
