package kubernetes_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/walkerhost/walkerhost/deploy"
	"github.com/walkerhost/walkerhost/deploy/image"
	"github.com/walkerhost/walkerhost/deploy/kubernetes"
	"github.com/walkerhost/walkerhost/internal/kubetest"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(kubetest.Main(m)) }

// env is what a deploy test works with: the cluster, a target for it, a
// registry, and a namespace of the test's own.
type env struct {
	t       *testing.T
	cluster *kubetest.Cluster
	target  *kubernetes.Target
	reg     string
	ns      string
	vars    map[string]string
}

func newEnv(t *testing.T, ns string, vars map[string]string) *env {
	c := kubetest.Get(t)
	e := &env{t: t, cluster: c, target: &kubernetes.Target{Config: c.Config}, reg: kubetest.Registry(t), ns: ns,
		vars: map[string]string{"K8s_ROLLOUT_TIMEOUT": "60s", "K8s_NODE_PORT": "0"}}
	e.vars["K8s_NAMESPACE"] = ns
	e.vars["JAC_REGISTRY"] = e.reg
	e.vars["JAC_HOST_BINARY"] = kubetest.StubHost(t) // these images never run; internal/scaletest runs jac's
	for k, v := range vars {
		e.vars[k] = v
	}
	return e
}

// config loads the settings from the env's variables plus extra.
func (e *env) config(extra map[string]string) deploy.Config {
	e.t.Helper()
	cfg, err := deploy.Load("", e.getenv(extra))
	if err != nil {
		e.t.Fatal(err)
	}
	return cfg
}

func (e *env) getenv(extra map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := extra[k]; ok {
			return v
		}
		return e.vars[k]
	}
}

// start deploys guest under the env's settings plus extra.
func (e *env) start(guest string, build bool, extra map[string]string) (deploy.Result, *logger, error) {
	e.t.Helper()
	log := &logger{t: e.t}
	mod := image.Module{Name: guest}
	if build {
		mod.Wasm = testenv.Guest(e.t, guest)
	}
	cfg := e.config(extra)
	var target deploy.Target = e.target
	if cfg.Target != "kubernetes" {
		target = nil // let Start look the target up, and fail
	}
	res, err := deploy.Start(context.Background(), deploy.Options{Config: cfg, Module: mod, Build: build,
		Getenv: e.getenv(extra), Target: target, Log: log})
	return res, log, err
}

// app is the deploy.App the target's other methods take.
func (e *env) app(name string, extra map[string]string) deploy.App {
	return deploy.App{Name: name, Module: name, Config: e.config(extra)}
}

// logger keeps a deploy's progress lines and shows them in the test log.
type logger struct {
	t     *testing.T
	mu    sync.Mutex
	lines []string
	times []time.Time
}

func (l *logger) Logf(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	l.mu.Lock()
	l.lines = append(l.lines, line)
	l.times = append(l.times, time.Now())
	l.mu.Unlock()
	l.t.Log(line)
}

// at returns when the first line containing s was logged.
func (l *logger) at(s string) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, line := range l.lines {
		if strings.Contains(line, s) {
			return l.times[i]
		}
	}
	return time.Time{}
}

func (l *logger) has(s string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		if strings.Contains(line, s) {
			return true
		}
	}
	return false
}

func (e *env) deployment(name string) *appsv1.Deployment {
	e.t.Helper()
	d, err := e.cluster.Client.AppsV1().Deployments(e.ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

func (e *env) service(name string) *corev1.Service {
	e.t.Helper()
	s, err := e.cluster.Client.CoreV1().Services(e.ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

func (e *env) secret(name string) *corev1.Secret {
	e.t.Helper()
	s, err := e.cluster.Client.CoreV1().Secrets(e.ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

func (e *env) statefulSet(name string) *appsv1.StatefulSet {
	e.t.Helper()
	s, err := e.cluster.Client.AppsV1().StatefulSets(e.ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// gone reports whether an object does not exist, by kind.
func (e *env) gone(kind, name string) bool {
	e.t.Helper()
	ctx, core, apps := context.Background(), e.cluster.Client.CoreV1(), e.cluster.Client.AppsV1()
	var err error
	switch kind {
	case "Deployment":
		_, err = apps.Deployments(e.ns).Get(ctx, name, metav1.GetOptions{})
	case "StatefulSet":
		_, err = apps.StatefulSets(e.ns).Get(ctx, name, metav1.GetOptions{})
	case "Service":
		_, err = core.Services(e.ns).Get(ctx, name, metav1.GetOptions{})
	case "Secret":
		_, err = core.Secrets(e.ns).Get(ctx, name, metav1.GetOptions{})
	case "PersistentVolumeClaim":
		_, err = core.PersistentVolumeClaims(e.ns).Get(ctx, name, metav1.GetOptions{})
	case "HorizontalPodAutoscaler":
		_, err = e.cluster.Client.AutoscalingV2().HorizontalPodAutoscalers(e.ns).Get(ctx, name, metav1.GetOptions{})
	case "Namespace":
		_, err = core.Namespaces().Get(ctx, name, metav1.GetOptions{})
	default:
		e.t.Fatalf("unknown kind %s", kind)
	}
	if err != nil && !apierrors.IsNotFound(err) {
		e.t.Fatal(err)
	}
	return apierrors.IsNotFound(err)
}

// pods returns the app's pods.
func (e *env) pods(app string) []corev1.Pod {
	e.t.Helper()
	l, err := e.cluster.Client.CoreV1().Pods(e.ns).List(context.Background(), metav1.ListOptions{LabelSelector: "app=" + app})
	if err != nil {
		e.t.Fatal(err)
	}
	return l.Items
}
