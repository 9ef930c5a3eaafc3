package kubernetes

import (
	corev1 "k8s.io/api/core/v1"
)

// componentDatabase labels the databases' shared credentials.
const componentDatabase = "database"

// plan returns every object of the app, in the order a deploy applies
// them: the databases' credentials, the databases, then the app. Objects of
// parts that are off (a database, the autoscaler) are in the plan as
// absent, so a deploy removes them and a destroy finds them. The spec's
// secrets and credentials must be loaded first (see loadSecrets); a plan
// made without them is good for its names only.
func plan(s *spec) []object {
	on := enabled(s.Config)
	creds := absent(kindSecret, s.name("database"), "no database is on")
	if len(on) > 0 {
		m := s.meta(s.name("database"), componentDatabase)
		creds = present(kindSecret, m, &corev1.Secret{ObjectMeta: m, Type: corev1.SecretTypeOpaque, Data: s.creds})
	}
	creds.state = true
	objs := []object{creds}
	for _, db := range databases {
		for _, o := range db.Objects(s) {
			if !db.Enabled(s.Config) {
				o = absent(o.kind, o.name, db.Name()+" is off")
			}
			objs = append(objs, o)
		}
	}
	return append(objs, s.appObjects(s.appEnv(on))...)
}

// workloads returns the plan's Deployments and StatefulSets that exist,
// the ones a deploy waits for.
func workloads(objs []object) []object {
	var w []object
	for _, o := range objs {
		if o.obj != nil && (o.kind == kindDeployment || o.kind == kindStatefulSet) {
			w = append(w, o)
		}
	}
	return w
}
