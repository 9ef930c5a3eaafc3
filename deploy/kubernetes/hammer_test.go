package kubernetes_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// TestDeploy_Concurrent deploys, inspects and destroys several apps at
// once in one namespace, through one Target: each must end up with its own
// objects, ready, and be removed without touching the others.
func TestDeploy_Concurrent(t *testing.T) {
	e := newEnv(t, "hammer", nil)
	apps := []string{"alpha", "beta", "gamma"}
	ctx := context.Background()
	each := func(f func(app string) error) {
		var wg sync.WaitGroup
		errs := make([]error, len(apps))
		for i, app := range apps {
			wg.Go(func() { errs[i] = f(app) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("%s: %v", apps[i], err)
			}
		}
	}
	each(func(app string) error {
		res, _, err := e.start("hello", true, map[string]string{"APP_NAME": app})
		if err == nil && res.Replicas != 1 {
			err = fmt.Errorf("%d replicas ready", res.Replicas)
		}
		return err
	})
	each(func(app string) error {
		st, err := e.target.Status(ctx, e.app(app, nil))
		if err == nil && (!st.Deployed || len(st.Components) != 3 || st.Components[0].Name != app || st.Components[0].Ready != 1) {
			err = fmt.Errorf("status %+v", st)
		}
		for _, p := range st.Pods {
			if p.Name[:len(app)] != app {
				err = fmt.Errorf("status lists another app's pod %s", p.Name)
			}
		}
		return err
	})
	for _, app := range apps {
		if d := e.deployment(app); d.Labels["app"] != app || d.Status.ReadyReplicas != 1 {
			t.Fatalf("deployment %s: labels %v, %d ready", app, d.Labels, d.Status.ReadyReplicas)
		}
	}
	each(func(app string) error { return e.target.Destroy(ctx, e.app(app, nil), true, &logger{t: t}) })
	for _, app := range apps {
		if !e.gone("Deployment", app) || !e.gone("StatefulSet", app+"-mongodb") || !e.gone("PersistentVolumeClaim", "data-"+app+"-mongodb-0") {
			t.Fatalf("%s not fully destroyed", app)
		}
	}
}
