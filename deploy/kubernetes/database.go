package kubernetes

import "github.com/walkerhost/walkerhost/deploy"

// Database is a database provider: what runs a database next to the app
// and how the app finds it. Providers are listed in databases; adding one
// is a new file and an entry there (docs/DEPLOY.md).
type Database interface {
	// Name is the component label of its objects: mongodb, redis.
	Name() string
	// Enabled reports whether the settings ask for it (K8s_MONGODB...).
	Enabled(c deploy.Config) bool
	// Credentials are the keys it keeps in <app>-database with their
	// values; an empty value is made random. They are set on the first
	// deploy and kept after, as long as the database's data.
	Credentials() map[string]string
	// Objects are its workload, services and the like; the first is the
	// workload a deploy waits for.
	Objects(s *spec) []object
	// URLEnv is the host setting that points the app at it: MONGODB_URI.
	URLEnv() string
	// URL is the value of URLEnv, with the credentials.
	URL(s *spec) string
}

// databases are the providers, in the order they are applied.
var databases = []Database{mongoDB{}, redis{}}

// enabled returns the providers the settings ask for.
func enabled(c deploy.Config) []Database {
	var on []Database
	for _, db := range databases {
		if db.Enabled(c) {
			on = append(on, db)
		}
	}
	return on
}
