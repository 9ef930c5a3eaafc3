package kubernetes

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/walkerhost/walkerhost/deploy"
)

// Scale sets the app Deployment's replicas through its scale subresource,
// leaving the rest of it as deployed, and waits until they are ready. The
// next deploy sets K8s_REPLICAS again.
func (t *Target) Scale(ctx context.Context, app deploy.App, replicas int, log deploy.Logger) error {
	if replicas < 1 || replicas > 1000 {
		return fmt.Errorf("kubernetes: replicas must be 1..1000, got %d", replicas)
	}
	if app.Config.K8sAutoscale {
		return fmt.Errorf("%w: the autoscaler keeps %s between %d and %d replicas; change K8s_REPLICAS and K8s_MAX_REPLICAS and deploy",
			ErrAutoscaled, app.Name, app.Config.K8sReplicas, app.Config.K8sMaxReplicas)
	}
	c, err := t.connect()
	if err != nil {
		return err
	}
	s := newSpec(app)
	deps := c.kube.AppsV1().Deployments(s.ns)
	sc, err := deps.GetScale(ctx, s.name(""), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return fmt.Errorf("%w: no Deployment %s in namespace %s", deploy.ErrNotDeployed, s.name(""), s.ns)
	}
	if err != nil {
		return fmt.Errorf("kubernetes: read scale of %s: %w", s.name(""), err)
	}
	sc.Spec.Replicas = int32(replicas)
	if _, err := deps.UpdateScale(ctx, s.name(""), sc, metav1.UpdateOptions{FieldManager: fieldManager}); err != nil {
		return fmt.Errorf("kubernetes: scale %s: %w", s.name(""), err)
	}
	log.Logf("Deployment %s scaled to %d replicas", s.name(""), replicas)
	d, err := deps.Get(ctx, s.name(""), metav1.GetOptions{})
	if err != nil {
		return fmt.Errorf("kubernetes: read Deployment %s: %w", s.name(""), err)
	}
	_, err = c.wait(ctx, s, []object{{kind: kindDeployment, name: d.Name, obj: d}}, log)
	return err
}
