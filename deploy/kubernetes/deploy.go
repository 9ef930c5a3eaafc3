package kubernetes

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/walkerhost/walkerhost/deploy"
)

// Deploy applies the app's plan (creating the namespace when missing),
// removes the parts that are now off, and waits for the rollout.
func (t *Target) Deploy(ctx context.Context, app deploy.App, log deploy.Logger) (deploy.Result, error) {
	if err := app.Config.Validate(); err != nil {
		return deploy.Result{}, err
	}
	if app.Image == "" {
		return deploy.Result{}, fmt.Errorf("%w: the deploy was given no image", deploy.ErrNoImage)
	}
	c, err := t.connect()
	if err != nil {
		return deploy.Result{}, err
	}
	s := newSpec(app)
	log.Logf("deploying %s to %s, namespace %s", s.Name, c.rest.Host, s.ns)
	start := time.Now()
	if err := c.ensureNamespace(ctx, s.ns, log); err != nil {
		return deploy.Result{}, err
	}
	if err := c.loadSecrets(ctx, s); err != nil {
		return deploy.Result{}, err
	}
	objs := plan(s)
	for _, o := range objs {
		if err := c.reconcile(ctx, s, o, log); err != nil {
			return deploy.Result{}, err
		}
	}
	ready, err := c.wait(ctx, s, workloads(objs), log)
	if err != nil {
		return deploy.Result{}, err
	}
	url, err := c.url(ctx, s)
	if err != nil {
		return deploy.Result{}, err
	}
	elapsed := time.Since(start)
	log.Logf("ready: %d/%d replicas of %s in %s", ready, ready, s.Name, elapsed.Round(time.Millisecond))
	return deploy.Result{Image: app.Image, Replicas: ready, URL: url, Elapsed: elapsed}, nil
}

// reconcile applies a present object, or removes an absent one that holds
// no state.
func (c *cluster) reconcile(ctx context.Context, s *spec, o object, log deploy.Logger) error {
	if o.obj != nil {
		what, err := c.apply(ctx, s.ns, o)
		if err == nil {
			log.Logf("%s %s %s", o.kind.Name, o.name, what)
		}
		return err
	}
	if o.state {
		return nil
	}
	removed, err := c.remove(ctx, s, o)
	if removed {
		log.Logf("%s %s removed (%s)", o.kind.Name, o.name, o.why)
	}
	return err
}

func (c *cluster) ensureNamespace(ctx context.Context, ns string, log deploy.Logger) error {
	_, err := c.kube.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
	if err == nil {
		return nil
	}
	if !apierrors.IsNotFound(err) {
		return fmt.Errorf("%w: namespace %s: %v", ErrCluster, ns, err)
	}
	n := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns, Labels: map[string]string{labelManagedBy: fieldManager}}}
	if _, err := c.kube.CoreV1().Namespaces().Create(ctx, n, metav1.CreateOptions{FieldManager: fieldManager}); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("kubernetes: create namespace %s: %w", ns, err)
	}
	log.Logf("Namespace %s created", ns)
	return nil
}

// loadSecrets reads what earlier deploys generated, so that it stays: the
// JWT secret (tokens stay valid across deploys) and the databases'
// credentials (their data was initialized with them). What is missing is
// generated.
func (c *cluster) loadSecrets(ctx context.Context, s *spec) error {
	app, err := c.secretData(ctx, s.ns, s.name("secrets"))
	if err != nil {
		return err
	}
	if v := app[secretKeyJWT]; len(v) > 0 {
		s.secrets[secretKeyJWT] = v
	}
	if s.creds, err = c.secretData(ctx, s.ns, s.name("database")); err != nil {
		return err
	}
	for _, db := range databases {
		for k, v := range db.Credentials() {
			switch {
			case len(s.creds[k]) > 0:
			case v != "":
				s.creds[k] = []byte(v)
			default:
				s.creds[k] = randomSecret()
			}
		}
	}
	return nil
}

// secretData returns a Secret's data; empty when there is no such Secret.
func (c *cluster) secretData(ctx context.Context, ns, name string) (map[string][]byte, error) {
	sec, err := c.kube.CoreV1().Secrets(ns).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return map[string][]byte{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("kubernetes: read secret %s: %w", name, err)
	}
	if sec.Data == nil {
		sec.Data = map[string][]byte{}
	}
	return sec.Data, nil
}
