package deploy

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
)

var (
	targetsMu sync.RWMutex
	targets   = map[string]Target{}
)

// planned are targets users ask for that are not built yet, with what to
// use meanwhile.
var planned = map[string]string{
	"aws": "deploy to EKS with --target kubernetes and a kubeconfig for the cluster (aws eks update-kubeconfig)",
	"gcp": "deploy to GKE with --target kubernetes and a kubeconfig for the cluster (gcloud container clusters get-credentials)",
}

// Register makes t available under name; a package implementing a target
// calls it from init. Registering a name twice panics.
func Register(name string, t Target) {
	targetsMu.Lock()
	defer targetsMu.Unlock()
	if _, dup := targets[name]; dup {
		panic("deploy: target " + name + " registered twice")
	}
	targets[name] = t
}

// Lookup returns the target registered under name.
func Lookup(name string) (Target, error) {
	targetsMu.RLock()
	defer targetsMu.RUnlock()
	if t, ok := targets[name]; ok {
		return t, nil
	}
	known := strings.Join(slices.Sorted(maps.Keys(targets)), ", ")
	if hint, ok := planned[name]; ok {
		return nil, fmt.Errorf("%w %q: not built into this jac yet; %s (available: %s)", ErrUnknownTarget, name, hint, known)
	}
	return nil, fmt.Errorf("%w %q (available: %s)", ErrUnknownTarget, name, known)
}
