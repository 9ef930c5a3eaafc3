package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func loadTOML(t *testing.T, text string) (Config, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "jac.toml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, func(string) string { return "" })
	if err == nil {
		err = c.Validate()
	}
	return c, err
}

func TestLoad_Apps(t *testing.T) {
	c, err := loadTOML(t, `
[limits]
request_timeout = "5s"
pool_size = 8
[apps.shop]
module = "shop.wasm"
host = "Shop.Example.com"
[apps.shop.limits]
memory_mb = 64
pool_size = 2
[apps.blog]
`)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Apps) != 2 || c.Apps[0].Name != "blog" || c.Apps[1].Name != "shop" {
		t.Fatalf("apps %+v", c.Apps)
	}
	shop, blog := c.Apps[1], c.Apps[0]
	if shop.Host != "shop.example.com" || filepath.Base(shop.Module) != "shop.wasm" || !filepath.IsAbs(shop.Module) {
		t.Fatalf("shop %+v", shop)
	}
	if shop.Limits.MemoryLimitMB != 64 || shop.Limits.PoolSize != 2 || shop.Limits.RequestTimeout != 5*time.Second {
		t.Fatalf("shop limits: memory %d pool %d timeout %v", shop.Limits.MemoryLimitMB, shop.Limits.PoolSize, shop.Limits.RequestTimeout)
	}
	if blog.Limits.PoolSize != 8 || blog.Module != "" {
		t.Fatalf("blog inherits the global limits: %+v", blog)
	}
}

func TestLoad_Apps_Errors(t *testing.T) {
	tests := []struct{ name, toml, msg string }{
		{"unknown app key", "[apps.shop]\nport = 1\n", "apps.shop.port: unknown key"},
		{"unknown limit", "[apps.shop.limits]\nmemory = 1\n", "apps.shop.limits.memory: unknown limit"},
		{"limit of the wrong type", "[apps.shop.limits]\nmemory_mb = \"lots\"\n", "apps.shop.limits.memory_mb: want an integer"},
		{"limit out of range", "[apps.shop.limits]\nmemory_mb = 1\n", "apps.shop.limits.memory_mb: must be 4..4096"},
		{"bad app name", "[apps.Shop]\n", "apps.Shop: an app name is"},
		{"same host twice", "[apps.a]\nhost = \"x\"\n[apps.b]\nhost = \"x\"\n", "already the host of app a"},
		{"short admin token", "[admin]\ntoken = \"short\"\n", "admin.token (JAC_ADMIN_TOKEN): must be at least 16 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadTOML(t, tc.toml)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v, want %q", err, tc.msg)
			}
		})
	}
}
