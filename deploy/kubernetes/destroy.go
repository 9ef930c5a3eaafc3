package kubernetes

import (
	"context"
	"fmt"
	"slices"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/walkerhost/walkerhost/deploy"
)

// Destroy deletes the app's objects, newest part first (the app, then its
// databases), and waits until they and their pods are gone. Database
// volume claims and credentials stay for the next deploy unless purge.
func (t *Target) Destroy(ctx context.Context, app deploy.App, purge bool, log deploy.Logger) error {
	if err := app.Config.Validate(); err != nil {
		return err
	}
	c, err := t.connect()
	if err != nil {
		return err
	}
	s := newSpec(app)
	log.Logf("destroying %s in %s, namespace %s", s.Name, c.rest.Host, s.ns)
	var gone []object
	for _, o := range slices.Backward(plan(s)) {
		if o.state && !purge {
			if c.exists(ctx, s.ns, o) {
				log.Logf("%s %s kept (database credentials; --purge deletes them)", o.kind.Name, o.name)
			}
			continue
		}
		removed, err := c.remove(ctx, s, o)
		if err != nil {
			return err
		}
		if removed {
			log.Logf("%s %s deleted", o.kind.Name, o.name)
			gone = append(gone, o)
		}
	}
	claims, err := c.kube.CoreV1().PersistentVolumeClaims(s.ns).List(ctx, metav1.ListOptions{LabelSelector: s.appSelector()})
	if err != nil {
		return fmt.Errorf("kubernetes: list volume claims of %s: %w", s.Name, err)
	}
	for _, pvc := range claims.Items {
		o := object{kind: kindPVC, name: pvc.Name}
		if !purge {
			log.Logf("%s %s kept (database data; --purge deletes it)", o.kind.Name, o.name)
			continue
		}
		if _, err := c.remove(ctx, s, o); err != nil {
			return err
		}
		log.Logf("%s %s deleted", o.kind.Name, o.name)
		gone = append(gone, o)
	}
	if len(gone) == 0 {
		log.Logf("nothing to delete: %s is not deployed in namespace %s", s.Name, s.ns)
		return nil
	}
	return c.waitGone(ctx, s, gone, log)
}

func (c *cluster) exists(ctx context.Context, ns string, o object) bool {
	_, err := c.resource(o.kind, ns).Get(ctx, o.name, metav1.GetOptions{})
	return err == nil
}

// waitGone waits until the deleted objects and the app's pods are gone.
func (c *cluster) waitGone(ctx context.Context, s *spec, gone []object, log deploy.Logger) error {
	timeout := s.Config.K8sRolloutTimeout
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		left := 0
		for _, o := range gone {
			_, err := c.resource(o.kind, s.ns).Get(wctx, o.name, metav1.GetOptions{})
			if err == nil || !apierrors.IsNotFound(err) {
				left++
			}
		}
		pods, err := c.pods(wctx, s)
		if err == nil && left == 0 && len(pods) == 0 {
			log.Logf("%s removed", s.Name)
			return nil
		}
		select {
		case <-wctx.Done():
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("kubernetes: %s: %d objects and %d pods still there after %s (K8s_ROLLOUT_TIMEOUT)", s.Name, left, len(pods), timeout)
		case <-tick.C:
		}
	}
}
