// Package deploy takes a walker app to a cluster: it builds the host image
// (package image), pushes it to a registry (package registry) and hands it
// to a Target, such as the Kubernetes one in package kubernetes, which runs
// it beside its databases. Targets are known by name, like registries, so a
// new place to deploy is one new package and one Register call
// (docs/DEPLOY.md, "Extension points").
package deploy

import (
	"context"
	"time"
)

// Target runs apps somewhere. Every method takes the same App, built from
// the same settings, so that Destroy and Status find what Deploy made.
// Implementations must be safe for concurrent use.
type Target interface {
	// Deploy creates the app's objects or updates them in place, then waits
	// until the new version is ready; when it is not ready in time the error
	// says why, in the words of the cluster.
	Deploy(ctx context.Context, app App, log Logger) (Result, error)
	// Destroy removes the app. Database volumes and their credentials stay
	// unless purge is true.
	Destroy(ctx context.Context, app App, purge bool, log Logger) error
	// Status reports what runs now; an app that is not deployed has
	// Status.Deployed false and no error.
	Status(ctx context.Context, app App) (Status, error)
	// Scale sets the number of app replicas and waits until they are ready.
	Scale(ctx context.Context, app App, replicas int, log Logger) error
	// URL returns the address clients reach the app at.
	URL(ctx context.Context, app App) (string, error)
}

// Checker is a Target that can tell whether it can deploy at all (the
// cluster is configured and answers) before an image is built for it.
type Checker interface {
	Check(ctx context.Context, app App) error
}

// App is one application as a Target sees it.
type App struct {
	Name   string      // prefix of every object name, see Name
	Module string      // the walker module; the image serves /app/<Module>
	Config Config      // deploy settings plus the host settings passed to the pods
	Image  string      // image reference pinned by digest; Deploy only
	Pull   *PullSecret // credentials the cluster pulls Image with; nil when anonymous
}

// PullSecret is a registry login, stored in the cluster for pulling.
type PullSecret struct {
	Server   string // registry host, such as index.docker.io
	Username string
	Password string
}

// Result is what a finished Deploy reports.
type Result struct {
	Image    string        // the digest-pinned image now running
	Replicas int           // ready app replicas
	URL      string        // where clients reach the app
	Elapsed  time.Duration // from the first object applied to ready
}

// Status is what runs for an app now.
type Status struct {
	Deployed   bool
	Name       string
	Namespace  string
	Image      string
	URL        string
	Components []Component // the app first, then its databases
	Pods       []Pod
}

// Component is one workload of an app: the app itself or a database.
type Component struct {
	Name    string // object name, such as todo or todo-mongodb
	Kind    string // Deployment, StatefulSet
	Desired int
	Ready   int
	Updated int
}

// Pod is one running (or failing) copy of a component.
type Pod struct {
	Name      string
	Component string
	Phase     string
	Ready     bool
	Restarts  int
	Reason    string // why it is not ready, when it is not
}
