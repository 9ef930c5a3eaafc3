// Package scaletest drives the jac command itself (a static build of
// cmd/jac, the binary that also goes into the image) through
// jac start --scale, jac status, jac scale and jac destroy against a real
// API server (internal/kubetest) and a registry on loopback.
package scaletest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/walkerhost/walkerhost/internal/kubetest"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(kubetest.Main(m)) }

// cli runs the static jac with a clean home (no ~/.kube, no Docker
// config) and the given environment.
type cli struct {
	t    *testing.T
	jac  string
	root string
	env  []string
}

func newCLI(t *testing.T, env ...string) *cli {
	home := t.TempDir()
	base := []string{"HOME=" + home, "DOCKER_CONFIG=" + filepath.Join(home, ".docker"), "PATH=" + os.Getenv("PATH"),
		"GOCACHE=" + goEnv(t, "GOCACHE"), "GOMODCACHE=" + goEnv(t, "GOMODCACHE"), "GOFLAGS=" + os.Getenv("GOFLAGS")}
	return &cli{t: t, jac: kubetest.StaticJac(t), root: testenv.RepoRoot(t), env: append(base, env...)}
}

func goEnv(t *testing.T, name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

// run runs jac with args in the repository root and returns its exit
// code, output and how long it took.
func (c *cli) run(args ...string) (int, string, string, time.Duration) {
	c.t.Helper()
	cmd := exec.Command(c.jac, args...)
	cmd.Dir = c.root
	cmd.Env = c.env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatal(err)
	}
	c.t.Logf("$ jac %s  (exit %d, %s)\n%s%s", strings.Join(args, " "), code, took.Round(time.Millisecond), out.String(), errOut.String())
	return code, out.String(), errOut.String(), took
}

// ok runs jac and fails the test unless it succeeds and prints each want.
func (c *cli) ok(want []string, args ...string) (string, time.Duration) {
	c.t.Helper()
	code, out, errOut, took := c.run(args...)
	if code != 0 {
		c.t.Fatalf("jac %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			c.t.Fatalf("jac %s does not print %q:\n%s", strings.Join(args, " "), w, out)
		}
	}
	return out, took
}

// TestScale runs the commands a user runs, in order, and logs the wall time
// of jac start --scale from the command to a ready app: cold (the module
// built, the image built and pushed, everything created) and warm (the
// same again: nothing changes).
func TestScale(t *testing.T) {
	cluster := kubetest.Get(t)
	reg := kubetest.Registry(t)
	c := newCLI(t, "KUBECONFIG="+cluster.Kubeconfig, "K8s_NODE_PORT=30222", "K8s_ROLLOUT_TIMEOUT=60s")
	const ns = "--namespace=cli"

	out, cold := c.ok([]string{"building image", "pushed " + reg + "/todo@sha256:", "Deployment todo created",
		"waiting: todo-mongodb", "todo is ready: 2 replicas at http://localhost:30222"},
		"start", "guests/todo", "--scale", "--build", "--registry", reg, "--replicas", "2", ns)
	img := between(out, "\n  image ", "\n")
	_, warm := c.ok([]string{"Deployment todo unchanged", "todo is ready: 2 replicas"},
		"start", "guests/todo", "--scale", "--build", "--registry", reg, "--replicas", "2", ns)
	t.Logf("jac start --scale to Ready: cold %s (module, image build and push, first deploy), warm %s (re-deploy, unchanged)",
		cold.Round(time.Millisecond), warm.Round(time.Millisecond))

	out, _ = c.ok([]string{"todo in namespace cli", "url   http://localhost:30222", "image " + img}, "status", "guests/todo", ns)
	for _, row := range []string{"todo Deployment 2/2", "todo-mongodb StatefulSet 1/1", "todo-redis Deployment 1/1"} {
		if !hasRow(out, row) {
			t.Fatalf("status has no row %q", row)
		}
	}
	c.ok([]string{"Deployment todo scaled to 3 replicas", "waiting: todo 3/3 ready"}, "scale", "todo", "3", ns)
	if out, _ = c.ok(nil, "status", "todo", ns); !hasRow(out, "todo Deployment 3/3") {
		t.Fatal("status does not show 3 ready replicas")
	}

	c.ok([]string{"Deployment todo deleted", "PersistentVolumeClaim data-todo-mongodb-0 kept", "todo removed"}, "destroy", "guests/todo", ns)
	if code, _, errOut, _ := c.run("status", "todo", ns); code != 1 || !strings.Contains(errOut, "jac status: deploy: not deployed: todo in namespace cli") {
		t.Fatalf("status after destroy: exit %d, %s", code, errOut)
	}
	c.ok([]string{"PersistentVolumeClaim data-todo-mongodb-0 deleted"}, "destroy", "todo", ns, "--purge")
	claims, err := cluster.Client.CoreV1().PersistentVolumeClaims("cli").List(context.Background(), metav1.ListOptions{LabelSelector: "app=todo"})
	if err != nil || len(claims.Items) != 0 {
		t.Fatalf("claims after purge: %v %v", claims, err)
	}
}

// hasRow reports whether a line of out starts with the fields of row.
func hasRow(out, row string) bool {
	want := strings.Fields(row)
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= len(want) && strings.Join(f[:len(want)], " ") == row {
			return true
		}
	}
	return false
}

func between(s, from, to string) string {
	_, after, _ := strings.Cut(s, from)
	v, _, _ := strings.Cut(after, to)
	return v
}

// TestScale_Errors checks that mistakes end with one clear line and exit
// 1, never a stack trace.
func TestScale_Errors(t *testing.T) {
	reg := kubetest.Registry(t)
	cluster := kubetest.Get(t)
	kube := "KUBECONFIG=" + cluster.Kubeconfig
	tests := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"unbuilt target", []string{kube}, []string{"start", "guests/hello", "--scale", "--target", "aws"}, `jac start: deploy: unknown target "aws": not built into this jac yet`},
		{"unknown registry", []string{kube}, []string{"start", "guests/hello", "--scale", "--registry", "quay"}, `unknown registry "quay"`},
		{"limit below request", []string{kube, "K8s_MEMORY_REQUEST=1Gi", "K8s_MEMORY_LIMIT=512Mi"}, []string{"start", "guests/hello", "--scale"}, "K8s_MEMORY_LIMIT): 512Mi is below memory_request 1Gi"},
		{"docker hub without login", []string{kube}, []string{"start", "guests/hello", "--scale", "--build"}, "DOCKER_USERNAME"},
		{"no cluster", nil, []string{"start", "guests/hello", "--scale", "--build", "--registry", reg}, "no cluster configured: set KUBECONFIG"},
		{"nothing pushed yet", []string{kube}, []string{"start", "guests/hello", "--scale", "--registry", reg}, "deploy with --build first"},
		{"bad replicas", []string{kube}, []string{"start", "guests/hello", "--scale", "--replicas", "many"}, `--replicas "many": want a number`},
		{"scale without count", []string{kube}, []string{"scale", "todo"}, "jac scale: missing REPLICAS"},
		{"status of nothing", []string{kube}, []string{"status", "nothing"}, "not deployed: nothing in namespace default"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t, tc.env...)
			code, _, errOut, _ := c.run(tc.args...)
			if code != 1 || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "goroutine ") {
				t.Fatalf("exit %d, stderr %q; want 1 and %q", code, errOut, tc.want)
			}
		})
	}
}
