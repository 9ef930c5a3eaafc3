package kubernetes_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/walkerhost/walkerhost/deploy"
	"github.com/walkerhost/walkerhost/deploy/kubernetes"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/kubetest"
)

// TestDeploy_PodsFail deploys apps whose pods cannot become ready (the
// cluster's kwok stages make pods of images named "crashloop" crash and
// those named "unready" fail their readiness probe) and checks that the
// deploy fails with the pods' own reasons: at once for a crash loop, at
// the timeout for a pod that never gets ready.
func TestDeploy_PodsFail(t *testing.T) {
	tests := []struct {
		name    string
		app     string
		timeout string
		within  time.Duration
		want    []string
	}{
		{"crash loop fails early", "crashloop", "60s", 30 * time.Second, []string{
			"deploy: not ready", "pod crashloop-", "container jac: CrashLoopBackOff", "restarts 4, last exit code 1: Error jac: the module failed to load"}},
		{"never ready fails at the timeout", "unready", "3s", 20 * time.Second, []string{
			"not ready after 3s (K8s_ROLLOUT_TIMEOUT)", "unready 0/1 ready", "pod unready-", "not ready: ContainersNotReady containers with unready status: [jac]",
			"event Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "fail-"+tc.app, map[string]string{"APP_NAME": tc.app, "K8s_MONGODB": "false", "K8s_REDIS": "false",
				"K8s_ROLLOUT_TIMEOUT": tc.timeout})
			_, log, err := e.start("hello", true, nil)
			took := time.Since(log.at("deploying " + tc.app)) // the image build is not the wait
			if !errors.Is(err, deploy.ErrNotReady) {
				t.Fatalf("got %v, want ErrNotReady", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
			if took > tc.within {
				t.Errorf("took %s to fail, want under %s", took, tc.within)
			}
			t.Logf("failed %s after the deploy began:\n%v", took.Round(time.Millisecond), err)
			if err := e.target.Destroy(context.Background(), e.app(tc.app, nil), true, &logger{t: t}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestStart_Errors checks that bad settings fail before anything is made:
// no namespace, no image pushed.
func TestStart_Errors(t *testing.T) {
	tests := []struct {
		name  string
		vars  map[string]string
		build bool
		want  string
	}{
		{"limit below request", map[string]string{"K8s_CPU_REQUEST": "2", "K8s_CPU_LIMIT": "1"}, true, "K8s_CPU_LIMIT): 1 is below cpu_request 2"},
		{"memory not a quantity", map[string]string{"K8s_MEMORY_REQUEST": "lots"}, true, "K8s_MEMORY_REQUEST"},
		{"unknown registry", map[string]string{"JAC_REGISTRY": "quay"}, true, `unknown registry "quay"`},
		{"docker hub without user", map[string]string{"JAC_REGISTRY": "dockerhub"}, true, "DOCKER_USERNAME"},
		{"docker hub without password", map[string]string{"JAC_REGISTRY": "dockerhub", "DOCKER_USERNAME": "ada"}, true, "DOCKER_PASSWORD"},
		{"ecr without account", map[string]string{"JAC_REGISTRY": "ecr"}, true, "AWS_ACCOUNT_ID"},
		{"gcr without project", map[string]string{"JAC_REGISTRY": "gcr"}, true, "GOOGLE_CLOUD_PROJECT"},
		{"unbuilt target", map[string]string{"JAC_SCALE_TARGET": "aws"}, true, `unknown target "aws": not built into this jac yet`},
		{"unknown target", map[string]string{"JAC_SCALE_TARGET": "nomad"}, true, `unknown target "nomad" (available: kubernetes)`},
		{"dynamic host binary", map[string]string{"JAC_HOST_BINARY": "/bin/ls"}, true, "dynamically linked"},
		{"node port", map[string]string{"K8s_NODE_PORT": "80"}, true, "K8s_NODE_PORT"},
		{"autoscale below replicas", map[string]string{"K8s_AUTOSCALE": "true", "K8s_REPLICAS": "3", "K8s_MAX_REPLICAS": "2"}, true, "K8s_MAX_REPLICAS"},
		{"nothing built yet", nil, false, "deploy with --build first"},
		{"bad pinned image", map[string]string{"K8s_IMAGE": "Not An Image"}, false, "K8s_IMAGE"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ns := "bad-" + string(rune('a'+i))
			e := newEnv(t, ns, tc.vars)
			_, _, err := e.start("hello", tc.build, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error saying %q", err, tc.want)
			}
			if !e.gone("Namespace", ns) {
				t.Fatal("a namespace was made for a deploy that failed its checks")
			}
			reg, _ := name.NewRegistry(e.reg)
			if repos, err := remote.Catalog(context.Background(), reg); err != nil || len(repos) > 0 {
				t.Fatalf("registry holds %v (%v) after a failed deploy", repos, err)
			}
		})
	}
}

// TestTarget_Errors checks what the target's other methods say about an
// app that is not there or cannot be scaled.
func TestTarget_Errors(t *testing.T) {
	e := newEnv(t, "absent", nil)
	ctx := context.Background()
	app := e.app("ghost", nil)
	st, err := e.target.Status(ctx, app)
	if err != nil || st.Deployed {
		t.Fatalf("status of nothing: %+v %v", st, err)
	}
	if err := e.target.Scale(ctx, app, 2, deploy.Discard); !errors.Is(err, deploy.ErrNotDeployed) {
		t.Fatalf("scale of nothing: %v", err)
	}
	if err := e.target.Scale(ctx, app, 0, deploy.Discard); err == nil || !strings.Contains(err.Error(), "1..1000") {
		t.Fatalf("scale to 0: %v", err)
	}
	auto := e.app("ghost", map[string]string{"K8s_AUTOSCALE": "true"})
	if err := e.target.Scale(ctx, auto, 2, deploy.Discard); !errors.Is(err, kubernetes.ErrAutoscaled) {
		t.Fatalf("scale of an autoscaled app: %v", err)
	}
	if _, err := e.target.URL(ctx, app); !errors.Is(err, deploy.ErrNotDeployed) {
		t.Fatalf("url of nothing: %v", err)
	}
	if err := e.target.Destroy(ctx, app, true, deploy.Discard); err != nil {
		t.Fatalf("destroy of nothing: %v", err)
	}
	bad := app
	bad.Config.K8sCPULimit, bad.Config.K8sCPURequest = "1", "2"
	if _, err := e.target.Deploy(ctx, bad, deploy.Discard); !errors.Is(err, config.ErrInvalid) {
		t.Fatalf("deploy with bad settings: %v", err)
	}
	if _, err := e.target.Deploy(ctx, app, deploy.Discard); !errors.Is(err, deploy.ErrNoImage) {
		t.Fatalf("deploy without an image: %v", err)
	}
	unreachable := &kubernetes.Target{Config: kubetest.Unreachable()}
	if _, err := unreachable.Status(ctx, app); err == nil {
		t.Fatal("status of an unreachable cluster succeeded")
	}
}
