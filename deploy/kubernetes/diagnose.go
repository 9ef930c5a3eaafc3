package kubernetes

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/walkerhost/walkerhost/deploy"
)

// fatalWaiting are container waiting reasons that do not go away by
// waiting: the image or the pod's configuration must change.
var fatalWaiting = map[string]bool{
	"ErrImagePull":               true,
	"ImagePullBackOff":           true,
	"InvalidImageName":           true,
	"ErrImageNeverPull":          true,
	"CreateContainerConfigError": true,
	"CreateContainerError":       true,
	"RunContainerError":          true,
}

// crashRestarts is how many restarts in CrashLoopBackOff make a deploy
// give up before its timeout: a container that crashed this often will not
// come up by itself.
const crashRestarts = 3

// problem says why a pod is not ready ("" when it is) and whether that
// is fatal: it will not resolve by waiting.
func problem(p *corev1.Pod) (why string, fatal bool) {
	if p.DeletionTimestamp != nil {
		return "", false
	}
	if p.Status.Phase == corev1.PodFailed {
		return fmt.Sprintf("failed: %s %s", p.Status.Reason, p.Status.Message), true
	}
	for _, cond := range p.Status.Conditions {
		if cond.Type == corev1.PodScheduled && cond.Status == corev1.ConditionFalse {
			return fmt.Sprintf("not scheduled: %s: %s", cond.Reason, cond.Message), false
		}
	}
	for _, cs := range append(slices.Clone(p.Status.InitContainerStatuses), p.Status.ContainerStatuses...) {
		if why, fatal := containerProblem(cs); why != "" {
			return "container " + cs.Name + ": " + why, fatal
		}
	}
	for _, cond := range p.Status.Conditions {
		if cond.Type == corev1.PodReady && cond.Status != corev1.ConditionTrue {
			return strings.TrimSpace("not ready: " + cond.Reason + " " + cond.Message), false
		}
	}
	if p.Status.Phase != corev1.PodRunning {
		return "phase " + string(p.Status.Phase), false
	}
	return "", false
}

func containerProblem(cs corev1.ContainerStatus) (string, bool) {
	last := ""
	if t := cs.LastTerminationState.Terminated; t != nil {
		last = fmt.Sprintf(" (restarts %d, last exit code %d: %s)", cs.RestartCount, t.ExitCode, strings.TrimSpace(t.Reason+" "+t.Message))
	}
	switch {
	case cs.State.Waiting != nil && cs.State.Waiting.Reason != "":
		w := cs.State.Waiting
		fatal := fatalWaiting[w.Reason] || w.Reason == "CrashLoopBackOff" && cs.RestartCount >= crashRestarts
		return strings.TrimSpace(w.Reason+": "+w.Message) + last, fatal
	case cs.State.Terminated != nil && cs.State.Terminated.ExitCode != 0:
		t := cs.State.Terminated
		return fmt.Sprintf("exited with code %d: %s", t.ExitCode, strings.TrimSpace(t.Reason+" "+t.Message)) + last, false
	}
	return "", false
}

// fatal returns the first fatal problem of a pod running a new image,
// "" when there is none; old pods are on their way out.
func (c *cluster) fatal(ctx context.Context, s *spec, images map[string]string) (string, error) {
	pods, err := c.pods(ctx, s)
	if err != nil {
		return "", err
	}
	for _, p := range pods {
		if !current(&p, images) {
			continue
		}
		if why, fatal := problem(&p); fatal {
			return "pod " + p.Name + ": " + why, nil
		}
	}
	return "", nil
}

// current reports whether a pod runs its component's new image.
func current(p *corev1.Pod, images map[string]string) bool {
	img, ok := images[p.Labels[labelComponent]]
	return ok && len(p.Spec.Containers) > 0 && p.Spec.Containers[0].Image == img
}

func (c *cluster) pods(ctx context.Context, s *spec) ([]corev1.Pod, error) {
	l, err := c.kube.CoreV1().Pods(s.ns).List(ctx, metav1.ListOptions{LabelSelector: labelApp + "=" + s.Name})
	if err != nil {
		return nil, fmt.Errorf("kubernetes: list pods of %s: %w", s.Name, err)
	}
	return l.Items, nil
}

// notReady builds the error of a failed rollout: the cause, the progress,
// each pod of the new version that is not ready with its reason, and the
// warning events of the app's objects.
func (c *cluster) notReady(ctx context.Context, s *spec, images map[string]string, ps []progress, cause string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", s.Name, cause)
	if len(ps) > 0 {
		fmt.Fprintf(&b, "\n  rollout: %s", joinProgress(ps))
	}
	events := c.events(ctx, s)
	pods, err := c.pods(ctx, s)
	if err != nil {
		fmt.Fprintf(&b, "\n  (pods unreadable: %v)", err)
	}
	for _, p := range pods {
		why, _ := problem(&p)
		if why == "" || !current(&p, images) {
			continue
		}
		fmt.Fprintf(&b, "\n  pod %s: %s", p.Name, why)
		for _, e := range events["Pod/"+p.Name] {
			fmt.Fprintf(&b, "\n    event %s", e)
		}
		delete(events, "Pod/"+p.Name)
	}
	for _, obj := range sortedKeys(events) {
		if strings.HasPrefix(obj, "Pod/") {
			continue // an old pod's
		}
		for _, e := range events[obj] {
			fmt.Fprintf(&b, "\n  %s: event %s", obj, e)
		}
	}
	return fmt.Errorf("%w: %s", deploy.ErrNotReady, b.String())
}

// events returns the app's events that report trouble, by involved
// object (Kind/name), latest first, without repeats.
func (c *cluster) events(ctx context.Context, s *spec) map[string][]string {
	l, err := c.kube.CoreV1().Events(s.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return map[string][]string{"Events/": {"unreadable: " + err.Error()}}
	}
	items := l.Items
	slices.SortFunc(items, func(a, b corev1.Event) int { return eventTime(b).Compare(eventTime(a)) })
	out := map[string][]string{}
	seen := map[string]bool{}
	for _, e := range items {
		o := e.InvolvedObject
		if o.Name != s.Name && !strings.HasPrefix(o.Name, s.Name+"-") || !trouble(&e) {
			continue
		}
		key := o.Kind + "/" + o.Name
		line := e.Reason + ": " + e.Message
		if e.Count > 1 {
			line += fmt.Sprintf(" (x%d)", e.Count)
		}
		if seen[key+line] || len(out[key]) >= 3 {
			continue
		}
		seen[key+line] = true
		out[key] = append(out[key], line)
	}
	return out
}

func trouble(e *corev1.Event) bool {
	return e.Type == corev1.EventTypeWarning || strings.HasPrefix(e.Reason, "Failed") || strings.Contains(e.Reason, "BackOff")
}

func eventTime(e corev1.Event) time.Time {
	switch {
	case !e.LastTimestamp.IsZero():
		return e.LastTimestamp.Time
	case !e.EventTime.IsZero():
		return e.EventTime.Time
	}
	return e.CreationTimestamp.Time
}
