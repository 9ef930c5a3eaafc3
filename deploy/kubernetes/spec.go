package kubernetes

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"

	"github.com/walkerhost/walkerhost/deploy"
)

// Labels on every object: app=<name> (as jac-scale) plus the recommended
// app.kubernetes.io ones; the component tells the app's pods from its
// databases'.
const (
	labelApp       = "app"
	labelName      = "app.kubernetes.io/name"
	labelComponent = "app.kubernetes.io/component"
	labelManagedBy = "app.kubernetes.io/managed-by"

	// annotationConfig carries a hash of the pods' secrets and settings, so
	// that changing them alone rolls the pods.
	annotationConfig = "jac/config-sha256"
)

// Components of an app.
const (
	componentApp = "app"
	secretKeyJWT = "JWT_SECRET"
)

// spec is one app as this target builds it.
type spec struct {
	deploy.App
	ns string
	// secrets is the data of <app>-secrets, the app's credentials.
	secrets map[string][]byte
	// creds is the data of <app>-database, the databases' credentials.
	creds map[string][]byte
}

func newSpec(app deploy.App) *spec {
	return &spec{App: app, ns: app.Config.K8sNamespace, secrets: map[string][]byte{}, creds: map[string][]byte{}}
}

// name returns the app's name with suffix, as jac-scale names objects:
// <app>, <app>-service, <app>-mongodb...
func (s *spec) name(suffix string) string {
	if suffix == "" {
		return s.Name
	}
	return s.Name + "-" + suffix
}

func (s *spec) labels(component string) map[string]string {
	return map[string]string{labelApp: s.Name, labelName: s.Name, labelComponent: component, labelManagedBy: fieldManager}
}

// selector picks the pods of one component; it never changes, since a
// workload's selector cannot.
func (s *spec) selector(component string) map[string]string {
	return map[string]string{labelApp: s.Name, labelComponent: component}
}

// appSelector picks every object of the app that jac made.
func (s *spec) appSelector() string {
	return labelApp + "=" + s.Name + "," + labelManagedBy + "=" + fieldManager
}

// hash digests data in key order.
func hash(data ...map[string][]byte) string {
	h := sha256.New()
	for _, m := range data {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			h.Write([]byte(k))
			h.Write([]byte{0})
			h.Write(m[k])
			h.Write([]byte{0})
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// randomSecret returns 32 random bytes, hex-encoded.
func randomSecret() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return []byte(hex.EncodeToString(b))
}

func ptr[T any](v T) *T { return &v }

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
