package kubernetes

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/walkerhost/walkerhost/deploy"
)

// Status reads the app's workloads and pods.
func (t *Target) Status(ctx context.Context, app deploy.App) (deploy.Status, error) {
	c, err := t.connect()
	if err != nil {
		return deploy.Status{}, err
	}
	s := newSpec(app)
	st := deploy.Status{Name: s.Name, Namespace: s.ns}
	d, err := c.kube.AppsV1().Deployments(s.ns).Get(ctx, s.name(""), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("kubernetes: read Deployment %s: %w", s.name(""), err)
	}
	st.Deployed = true
	if cs := d.Spec.Template.Spec.Containers; len(cs) > 0 {
		st.Image = cs[0].Image
	}
	// The app first, then its databases, on or off now.
	var all []object
	for _, o := range plan(s) {
		switch {
		case o.kind != kindDeployment && o.kind != kindStatefulSet:
		case o.name == s.name(""):
			all = append([]object{o}, all...)
		default:
			all = append(all, o)
		}
	}
	for _, w := range all {
		p, err := c.progress(ctx, s.ns, w)
		if apierrors.IsNotFound(err) {
			continue
		}
		if err != nil {
			return st, err
		}
		st.Components = append(st.Components, deploy.Component{Name: w.name, Kind: w.kind.Name, Desired: p.desired, Ready: p.ready, Updated: p.updated})
	}
	pods, err := c.pods(ctx, s)
	if err != nil {
		return st, err
	}
	for _, p := range pods {
		restarts := 0
		for _, cs := range p.Status.ContainerStatuses {
			restarts += int(cs.RestartCount)
		}
		why, _ := problem(&p)
		st.Pods = append(st.Pods, deploy.Pod{Name: p.Name, Component: p.Labels[labelComponent], Phase: string(p.Status.Phase),
			Ready: why == "", Restarts: restarts, Reason: why})
	}
	if st.URL, err = c.url(ctx, s); err != nil {
		st.URL = ""
	}
	return st, nil
}
