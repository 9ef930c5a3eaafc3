package kubernetes

import (
	"context"
	"fmt"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/walkerhost/walkerhost/deploy"
)

// pollEvery is how often a deploy looks at the rollout.
const pollEvery = 200 * time.Millisecond

// progress is where one workload's rollout stands.
type progress struct {
	name    string
	desired int
	updated int
	ready   int
	done    bool
	stalled string // the controller gave up (progress deadline exceeded)
}

func (p progress) String() string {
	s := fmt.Sprintf("%s %d/%d ready", p.name, p.ready, p.desired)
	if p.updated < p.desired {
		s += fmt.Sprintf(" (%d updated)", p.updated)
	}
	return s
}

// wait polls the workloads until all run their new version with every
// replica ready, printing a line whenever that changes. It fails early
// when a pod of the new version cannot start (its image cannot be pulled,
// it keeps crashing), and at K8s_ROLLOUT_TIMEOUT; either way the error
// carries the pods' reasons. It returns the app's ready replicas.
func (c *cluster) wait(ctx context.Context, s *spec, ws []object, log deploy.Logger) (int, error) {
	timeout := s.Config.K8sRolloutTimeout
	// The rollout deadline is a timer, not a context deadline on the reads:
	// client-go's rate limiter refuses a read that might outlast its
	// context's deadline with an error of its own, which would end the
	// wait with that error instead of the pods' reasons.
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	images := images(ws)
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	var last string
	var ps []progress // the last progress read
	for {
		now, fatal, err := c.poll(ctx, s, ws, images)
		if err != nil {
			return 0, err
		}
		ps = now
		if line := joinProgress(ps); line != last {
			log.Logf("waiting: %s", line)
			last = line
		}
		if allDone(ps) {
			return readyOf(ps, s.name("")), nil
		}
		if fatal != "" {
			return 0, c.notReady(ctx, s, images, ps, fatal)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-deadline.C:
			return 0, c.notReady(ctx, s, images, ps, "not ready after "+timeout.String()+" (K8s_ROLLOUT_TIMEOUT)")
		case <-tick.C:
		}
	}
}

// pollTimeout bounds the reads of one look at the rollout.
const pollTimeout = 30 * time.Second

// poll reads the workloads' progress and, while they are not done, whether
// a pod of the new version has failed for good (fatal is its reason).
func (c *cluster) poll(ctx context.Context, s *spec, ws []object, images map[string]string) (ps []progress, fatal string, err error) {
	ctx, cancel := context.WithTimeout(ctx, pollTimeout)
	defer cancel()
	if ps, err = c.progressAll(ctx, s.ns, ws); err != nil || allDone(ps) {
		return ps, "", err
	}
	for _, p := range ps {
		if p.stalled != "" {
			return ps, p.stalled, nil
		}
	}
	fatal, err = c.fatal(ctx, s, images)
	return ps, fatal, err
}

func joinProgress(ps []progress) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return strings.Join(parts, ", ")
}

func readyOf(ps []progress, name string) int {
	for _, p := range ps {
		if p.name == name {
			return p.ready
		}
	}
	return 0
}

func allDone(ps []progress) bool {
	for _, p := range ps {
		if !p.done {
			return false
		}
	}
	return true
}

// images maps each workload's component to the images of its new version.
func images(ws []object) map[string]string {
	m := map[string]string{}
	for _, w := range ws {
		switch o := w.obj.(type) {
		case *appsv1.Deployment:
			m[o.Labels[labelComponent]] = o.Spec.Template.Spec.Containers[0].Image
		case *appsv1.StatefulSet:
			m[o.Labels[labelComponent]] = o.Spec.Template.Spec.Containers[0].Image
		}
	}
	return m
}

func (c *cluster) progressAll(ctx context.Context, ns string, ws []object) ([]progress, error) {
	ps := make([]progress, 0, len(ws))
	for _, w := range ws {
		p, err := c.progress(ctx, ns, w)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// progress reads a workload's status the way `kubectl rollout status` does.
func (c *cluster) progress(ctx context.Context, ns string, w object) (progress, error) {
	apps := c.kube.AppsV1()
	p := progress{name: w.name}
	switch w.kind {
	case kindDeployment:
		d, err := apps.Deployments(ns).Get(ctx, w.name, metav1.GetOptions{})
		if err != nil {
			return p, fmt.Errorf("kubernetes: read Deployment %s: %w", w.name, err)
		}
		p.desired = int(ptrOr(d.Spec.Replicas, 1))
		st := d.Status
		p.updated, p.ready = int(st.UpdatedReplicas), int(st.ReadyReplicas)
		p.done = st.ObservedGeneration >= d.Generation && p.updated == p.desired &&
			int(st.Replicas) == p.desired && int(st.AvailableReplicas) == p.desired && p.ready == p.desired
		for _, cond := range st.Conditions {
			if cond.Type == appsv1.DeploymentProgressing && cond.Reason == "ProgressDeadlineExceeded" {
				p.stalled = "Deployment " + w.name + ": " + cond.Message
			}
		}
	case kindStatefulSet:
		ss, err := apps.StatefulSets(ns).Get(ctx, w.name, metav1.GetOptions{})
		if err != nil {
			return p, fmt.Errorf("kubernetes: read StatefulSet %s: %w", w.name, err)
		}
		p.desired = int(ptrOr(ss.Spec.Replicas, 1))
		st := ss.Status
		p.updated, p.ready = int(st.UpdatedReplicas), int(st.ReadyReplicas)
		p.done = st.ObservedGeneration >= ss.Generation && p.updated == p.desired && p.ready == p.desired &&
			int(st.Replicas) == p.desired && (st.UpdateRevision == "" || st.CurrentRevision == st.UpdateRevision)
	}
	return p, nil
}

func ptrOr[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}
