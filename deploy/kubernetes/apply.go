package kubernetes

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/dynamic"
)

func (c *cluster) resource(k kind, ns string) dynamic.ResourceInterface {
	if !k.namespaced {
		return c.dyn.Resource(k.gvr)
	}
	return c.dyn.Resource(k.gvr).Namespace(ns)
}

// apply creates o or updates it in place with server-side apply (jac owns
// the fields it sets; others' fields stay) and says which it did:
// created, configured or unchanged.
func (c *cluster) apply(ctx context.Context, ns string, o object) (string, error) {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o.obj)
	if err != nil {
		return "", fmt.Errorf("kubernetes: %s %s: %w", o.kind.Name, o.name, err)
	}
	u := &unstructured.Unstructured{Object: m}
	u.SetAPIVersion(o.kind.apiVersion())
	u.SetKind(o.kind.Name)
	unstructured.RemoveNestedField(u.Object, "status")
	unstructured.RemoveNestedField(u.Object, "metadata", "creationTimestamp")
	res := c.resource(o.kind, ns)
	before, err := res.Get(ctx, o.name, metav1.GetOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return "", fmt.Errorf("kubernetes: get %s %s: %w", o.kind.Name, o.name, err)
	}
	after, err := res.Apply(ctx, o.name, u, metav1.ApplyOptions{FieldManager: fieldManager, Force: true})
	if err != nil {
		return "", fmt.Errorf("kubernetes: apply %s %s: %w", o.kind.Name, o.name, err)
	}
	switch {
	case before == nil || before.GetUID() != after.GetUID():
		return "created", nil
	case before.GetResourceVersion() == after.GetResourceVersion():
		return "unchanged", nil
	}
	return "configured", nil
}

// remove deletes o when it exists and jac made it for this app (an object
// of the same name that someone else made is left alone), and says whether
// it did. Dependents (a Deployment's pods) go first, in the background.
func (c *cluster) remove(ctx context.Context, s *spec, o object) (bool, error) {
	res := c.resource(o.kind, s.ns)
	cur, err := res.Get(ctx, o.name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("kubernetes: get %s %s: %w", o.kind.Name, o.name, err)
	}
	if l := cur.GetLabels(); l[labelApp] != s.Name || l[labelManagedBy] != fieldManager {
		return false, nil
	}
	err = res.Delete(ctx, o.name, metav1.DeleteOptions{PropagationPolicy: ptr(metav1.DeletePropagationForeground)})
	if err != nil && !apierrors.IsNotFound(err) {
		return false, fmt.Errorf("kubernetes: delete %s %s: %w", o.kind.Name, o.name, err)
	}
	return true, nil
}
