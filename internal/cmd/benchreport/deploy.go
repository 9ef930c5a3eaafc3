package main

import (
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/registry"

	"github.com/walkerhost/walkerhost/internal/kubetest"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// deployReport times jac start --scale from the command to a ready app,
// on the control plane of the tests (internal/kubetest, kwok's fake node:
// pods are ready as soon as they are scheduled, so this is jac's own time
// plus the API server's) with a registry on loopback: cold (the module
// built, the image built and pushed, every object created), unchanged,
// and a new module (a rolling update). It is skipped when the control
// plane's binaries are missing (scripts/deps.sh builds them).
func deployReport() error {
	fmt.Println("\njac start --scale, command to ready (local control plane, registry on loopback)")
	c, err := kubetest.Start()
	if err != nil {
		fmt.Printf("  skipped: %v\n", err)
		return nil
	}
	defer c.Stop()
	dir, err := os.MkdirTemp("", "walkerbench-deploy-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	jac := filepath.Join(dir, "jac")
	if err := testenv.BuildJacDeploy(jac); err != nil {
		return err
	}
	reg := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer reg.Close()
	// A home of its own keeps ~/.kube and ~/.docker out; the Go caches stay.
	env := append(os.Environ(), "KUBECONFIG="+c.Kubeconfig, "HOME="+dir, "DOCKER_CONFIG="+dir, "APP_NAME=bench", "K8s_NAMESPACE=bench",
		"GOCACHE="+goEnv("GOCACHE"), "GOMODCACHE="+goEnv("GOMODCACHE"))
	steps := []struct{ what, guest string }{
		{"cold: module, image, first deploy", "todo"},
		{"again, unchanged", "todo"},
		{"a new module: rolling update", "hello"},
	}
	for _, s := range steps {
		cmd := exec.Command(jac, "start", filepath.Join("guests", s.guest), "--scale", "--build", "--registry", strings.TrimPrefix(reg.URL, "http://"))
		cmd.Env = env
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("deploy %s: %v\n%s", s.guest, err, out)
		}
		fmt.Printf("  %-36s %8.2fs\n", s.what, time.Since(start).Seconds())
	}
	return nil
}

func goEnv(name string) string {
	out, _ := exec.Command("go", "env", name).Output()
	return strings.TrimSpace(string(out))
}
