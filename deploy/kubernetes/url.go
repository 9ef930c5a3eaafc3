package kubernetes

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/walkerhost/walkerhost/deploy"
)

// URL returns http://<node>:<node port> of <app>-service.
func (t *Target) URL(ctx context.Context, app deploy.App) (string, error) {
	c, err := t.connect()
	if err != nil {
		return "", err
	}
	return c.url(ctx, newSpec(app))
}

func (c *cluster) url(ctx context.Context, s *spec) (string, error) {
	svc, err := c.kube.CoreV1().Services(s.ns).Get(ctx, s.name("service"), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return "", fmt.Errorf("%w: no Service %s in namespace %s", deploy.ErrNotDeployed, s.name("service"), s.ns)
	}
	if err != nil {
		return "", fmt.Errorf("kubernetes: read Service %s: %w", s.name("service"), err)
	}
	if len(svc.Spec.Ports) == 0 || svc.Spec.Ports[0].NodePort == 0 {
		return "", fmt.Errorf("kubernetes: Service %s has no node port", svc.Name)
	}
	return "http://" + net.JoinHostPort(c.nodeHost(ctx), strconv.Itoa(int(svc.Spec.Ports[0].NodePort))), nil
}

// nodeHost is the host clients reach node ports at. A cluster whose API
// server is on this machine (kind, minikube with a tunnel, Docker Desktop,
// k3d) forwards node ports to localhost; otherwise it is a node's external
// address, else its internal one.
func (c *cluster) nodeHost(ctx context.Context) string {
	api, err := url.Parse(c.rest.Host)
	if err == nil {
		if h := api.Hostname(); h == "localhost" || net.ParseIP(h).IsLoopback() {
			return "localhost"
		}
	}
	nodes, err := c.kube.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err == nil {
		for _, want := range []corev1.NodeAddressType{corev1.NodeExternalIP, corev1.NodeInternalIP} {
			for _, n := range nodes.Items {
				for _, a := range n.Status.Addresses {
					if a.Type == want && a.Address != "" {
						return a.Address
					}
				}
			}
		}
	}
	if api != nil && api.Hostname() != "" {
		return api.Hostname()
	}
	return "localhost"
}
