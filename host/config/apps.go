package config

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// App is one app of [apps.NAME] in jac.toml: the module it serves, the
// Host header that also selects it, and its limits, which are the global
// [limits] overlaid with [apps.NAME.limits] (docs/APPS.md).
type App struct {
	Name   string
	Module string // path of a .wasm module, relative paths from jac.toml's folder; may be empty (uploads only)
	Host   string // optional Host header (without port) served as this app
	// Limits holds the app's limits in the limits fields of a Config; the
	// other fields are the global configuration's.
	Limits Config
}

// appKeys are the keys of an [apps.NAME] table besides its limits.
var appKeys = []string{"module", "host", "limits"}

// loadApps decodes the [apps] table of tree over c's limits.
func loadApps(c *Config, tree map[string]any, tomlPath string) error {
	raw, ok := tree["apps"]
	if !ok {
		return nil
	}
	table, ok := raw.(map[string]any)
	if !ok {
		return fmt.Errorf("%w: %s: apps: want a table of apps", ErrInvalid, tomlPath)
	}
	names := make([]string, 0, len(table))
	for name := range table {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		app, err := loadApp(c, name, table[name], tomlPath)
		if err != nil {
			return err
		}
		c.Apps = append(c.Apps, app)
	}
	return nil
}

func loadApp(c *Config, name string, raw any, tomlPath string) (App, error) {
	key := "apps." + name
	t, ok := raw.(map[string]any)
	if !ok {
		return App{}, fmt.Errorf("%w: %s: %s: want a table with module, host and limits", ErrInvalid, tomlPath, key)
	}
	a := App{Name: name, Limits: *c}
	a.Limits.Apps = nil
	for k, v := range t {
		if !slices.Contains(appKeys, k) {
			return App{}, fmt.Errorf("%w: %s: %s.%s: unknown key; an app has module, host and limits", ErrInvalid, tomlPath, key, k)
		}
		if k == "limits" {
			continue
		}
		s, ok := v.(string)
		if !ok {
			return App{}, fmt.Errorf("%w: %s: %s.%s: want a string, got %T", ErrInvalid, tomlPath, key, k, v)
		}
		if k == "module" {
			a.Module = s
			if s != "" && !filepath.IsAbs(s) && tomlPath != "" {
				a.Module = filepath.Join(filepath.Dir(tomlPath), s)
			}
		} else {
			a.Host = strings.ToLower(s)
		}
	}
	lim, _ := t["limits"].(map[string]any)
	for k, v := range lim {
		s, ok := limitSetting(k)
		if !ok {
			return App{}, fmt.Errorf("%w: %s: %s.limits.%s: unknown limit", ErrInvalid, tomlPath, key, k)
		}
		if err := s.set(&a.Limits, v); err != nil {
			return App{}, fmt.Errorf("%w: %s: %s.limits.%s: %v", ErrInvalid, tomlPath, key, k, err)
		}
	}
	return a, nil
}

// limitSetting is the setting of limits.NAME.
func limitSetting(name string) (Key[Config], bool) {
	for _, s := range settings() {
		if s.path == "limits."+name {
			return s, true
		}
	}
	return Key[Config]{}, false
}

// validApps checks the apps' names, hosts and limits.
func (c *Config) validApps() error {
	hosts := map[string]string{}
	for _, a := range c.Apps {
		if !ValidAppName(a.Name) {
			return fmt.Errorf("%w: apps.%s: an app name is 1 to 64 lower-case letters, digits, '-' and '_', starting with a letter or digit", ErrInvalid, a.Name)
		}
		if other, dup := hosts[a.Host]; dup && a.Host != "" {
			return fmt.Errorf("%w: apps.%s.host: %q is already the host of app %s", ErrInvalid, a.Name, a.Host, other)
		}
		hosts[a.Host] = a.Name
		for _, r := range a.Limits.rules() {
			if !r.ok && strings.HasPrefix(r.key, "limits.") {
				return fmt.Errorf("%w: apps.%s.%s: %s", ErrInvalid, a.Name, r.key, r.msg)
			}
		}
	}
	return nil
}

// ValidAppName reports whether name may name an app: 1 to 64 lower-case
// ASCII letters, digits, '-' and '_', starting with a letter or digit.
// (Dots are left out, so no app collides with the host's own store
// namespaces.)
func ValidAppName(name string) bool {
	if name == "" || len(name) > 64 || name[0] == '-' || name[0] == '_' {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
