package kubetest

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

// paths are the servers' binaries, built by scripts/deps.sh into
// $WALKERHOST_CACHE/<tool>-<version>/.
type paths struct {
	etcd, apiserver, controllerManager, scheduler, kwok string
	kwokStages                                          string // kwok's own stages, concatenated from its module
}

// binaries finds the binaries of the versions pinned in tools/.
func binaries() (paths, error) {
	k8s, err := pinned("k8s/go.mod", `(?m)^require k8s.io/kubernetes (v[0-9.]+)$`)
	if err != nil {
		return paths{}, err
	}
	etcd, err := pinned("etcd/go.mod", `(?m)^require go.etcd.io/etcd/server/v3 (v[0-9.]+)$`)
	if err != nil {
		return paths{}, err
	}
	kwok, err := pinned("kwok/VERSION", `^(v[0-9.]+)\s*$`)
	if err != nil {
		return paths{}, err
	}
	cache := testenv.CacheDir()
	p := paths{
		etcd:              filepath.Join(cache, "etcd-"+etcd, "etcd"),
		apiserver:         filepath.Join(cache, "k8s-"+k8s, "kube-apiserver"),
		controllerManager: filepath.Join(cache, "k8s-"+k8s, "kube-controller-manager"),
		scheduler:         filepath.Join(cache, "k8s-"+k8s, "kube-scheduler"),
		kwok:              filepath.Join(cache, "kwok-"+kwok, "kwok"),
		kwokStages:        filepath.Join(cache, "kwok-"+kwok, "kwok-stages.yaml"),
	}
	var missing []string
	for _, f := range []string{p.etcd, p.apiserver, p.controllerManager, p.scheduler, p.kwok, p.kwokStages} {
		if _, err := os.Stat(f); err != nil {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return paths{}, fmt.Errorf("kubetest: missing %s; run scripts/deps.sh (make test does) to build them", strings.Join(missing, ", "))
	}
	return p, nil
}

// pinned reads a version from a file under tools/.
func pinned(file, pattern string) (string, error) {
	_, self, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(self), "..", "..", "tools", file)
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("kubetest: %w", err)
	}
	m := regexp.MustCompile(pattern).FindSubmatch(b)
	if m == nil {
		return "", fmt.Errorf("kubetest: no version in %s", path)
	}
	return string(m[1]), nil
}

// insecureClient checks the health of the controller manager and the
// scheduler, which serve on loopback with certificates they made up.
var insecureClient = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}} //nolint:gosec // loopback health checks
