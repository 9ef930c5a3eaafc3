package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps_NoDeployClients: jac serves and goes into the image; the
// Kubernetes and registry clients are jac-deploy's (docs/DEPLOY.md), and
// linking them again would bring back their size and build time.
func TestDeps_NoDeployClients(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, banned := range []string{"k8s.io/", "github.com/google/go-containerregistry/", "github.com/walkerhost/walkerhost/deploy"} {
			if strings.HasPrefix(pkg, banned) || strings.Contains(pkg, "."+banned) {
				t.Errorf("jac links %s", pkg)
			}
		}
	}
}
