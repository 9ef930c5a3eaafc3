package config

// Setting is one setting in the form the environment gives it.
type Setting struct {
	Path   string // dotted jac.toml path
	Env    string // environment name
	Value  string
	Secret bool // a credential: keep it out of logs and plain manifests
}

// secretEnv names the settings that are credentials.
var secretEnv = map[string]bool{
	"JWT_SECRET":               true,
	"WEBHOOK_SECRET":           true,
	"SSO_GOOGLE_CLIENT_SECRET": true,
	"REDIS_URL":                true, // may carry a password
	"MONGODB_URI":              true,
}

// Changed returns the settings whose value in c differs from Default, in
// the order of the settings table. A deploy passes them on to the pods, so
// that the host there runs with the configuration it was deployed with.
func Changed(c Config) []Setting {
	def := Default()
	return Diff(settings(), &c, &def)
}

// Diff returns the keys whose value in c differs from their value in def,
// in the order of keys, in the environment's form.
func Diff[T any](keys []Key[T], c, def *T) []Setting {
	var out []Setting
	for _, s := range keys {
		if v := s.val.get(c); v != s.val.get(def) {
			out = append(out, Setting{Path: s.path, Env: s.env, Value: v, Secret: s.isSecret()})
		}
	}
	return out
}
