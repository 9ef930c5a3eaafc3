// Package kubernetes is the deploy target for Kubernetes clusters: it
// applies the app's Deployment, Service, Secrets and optional autoscaler,
// and its databases (package-level providers, see Database), with
// server-side apply, so a re-deploy updates the same objects in place and
// rolls the pods. It registers itself as the target "kubernetes".
package kubernetes

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"k8s.io/client-go/dynamic"
	k8s "k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/walkerhost/walkerhost/deploy"
)

// Target deploys to the cluster that Config reaches; with a nil Config,
// to the current context of the kubeconfig (KUBECONFIG, else
// ~/.kube/config), read at each call.
type Target struct {
	Config *rest.Config
}

// fieldManager owns the fields jac applies.
const fieldManager = "jac"

func init() { deploy.Register("kubernetes", &Target{}) }

// cluster holds the clients of one call.
type cluster struct {
	rest *rest.Config
	kube k8s.Interface
	dyn  dynamic.Interface
}

func (t *Target) connect() (*cluster, error) {
	cfg := t.Config
	if cfg == nil {
		if err := kubeconfigExists(os.Getenv(clientcmd.RecommendedConfigPathEnvVar)); err != nil {
			return nil, err
		}
		var err error
		rules := clientcmd.NewDefaultClientConfigLoadingRules()
		cfg, err = clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{}).ClientConfig()
		if err != nil {
			if clientcmd.IsEmptyConfig(err) || errors.Is(err, clientcmd.ErrEmptyConfig) {
				return nil, fmt.Errorf("%w: no cluster configured: set KUBECONFIG or create ~/.kube/config (kind, minikube and k3d write one)", ErrCluster)
			}
			return nil, fmt.Errorf("%w: kubeconfig: %v", ErrCluster, err)
		}
	}
	cfg = rest.CopyConfig(cfg)
	cfg.QPS, cfg.Burst = 50, 100 // a deploy polls; the default 5/s would throttle it
	kube, err := k8s.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCluster, err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCluster, err)
	}
	return &cluster{rest: cfg, kube: kube, dyn: dyn}, nil
}

// kubeconfigExists refuses a KUBECONFIG whose files are all missing:
// client-go skips missing files, and the error would only say that no
// cluster is configured.
func kubeconfigExists(env string) error {
	if env == "" {
		return nil
	}
	paths := filepath.SplitList(env)
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			return nil
		}
	}
	return fmt.Errorf("%w: KUBECONFIG=%s: no such file; point it at your cluster's kubeconfig, or unset it to use ~/.kube/config", ErrCluster, strings.Join(paths, string(filepath.ListSeparator)))
}

// Check connects to the cluster and asks its version.
func (t *Target) Check(ctx context.Context, _ deploy.App) error {
	c, err := t.connect()
	if err != nil {
		return err
	}
	if _, err := c.kube.Discovery().ServerVersion(); err != nil {
		return fmt.Errorf("%w: %s does not answer: %v", ErrCluster, c.rest.Host, err)
	}
	return nil
}

var (
	_ deploy.Target  = (*Target)(nil)
	_ deploy.Checker = (*Target)(nil)
)
