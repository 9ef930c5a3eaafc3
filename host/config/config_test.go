package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeTOML(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "jac.toml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func envMap(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoad(t *testing.T) {
	file := writeTOML(t, `
[serve]
port = 9000
data_dir = "/tmp/x"
[plugins.scale.jwt]
algorithm = "HS512"
exp_delta_days = 3
[limits]
request_timeout = "250ms"
memory_mb = 64
`)
	tests := []struct {
		name  string
		file  string
		env   map[string]string
		check func(Config) bool
	}{
		{"defaults", "", nil, func(c Config) bool { return c.Port == 8000 && c.JWTAlgorithm == "HS256" }},
		{"missing file is defaults", filepath.Join(t.TempDir(), "none.toml"), nil, func(c Config) bool { return c.Port == 8000 }},
		{"file", file, nil, func(c Config) bool {
			return c.Port == 9000 && c.DataDir == "/tmp/x" && c.JWTAlgorithm == "HS512" && c.JWTExpDeltaDays == 3 &&
				c.RequestTimeout == 250*time.Millisecond && c.MemoryLimitMB == 64
		}},
		{"environment wins", file, map[string]string{"JAC_PORT": "9100", "JWT_ALGORITHM": "HS384"}, func(c Config) bool {
			return c.Port == 9100 && c.JWTAlgorithm == "HS384" && c.DataDir == "/tmp/x"
		}},
		{"webhook", writeTOML(t, "[plugins.scale.webhook]\nsecret = \"pepper\"\nsignature_header = \"X-Sig\"\nverify_signature = false\napi_key_expiry_days = 0\nreplay_window = \"1m\"\n"), nil, func(c Config) bool {
			return c.WebhookSecret == "pepper" && c.WebhookSignatureHeader == "X-Sig" && !c.WebhookVerifySignature &&
				c.APIKeyExpiryDays == 0 && c.WebhookReplayWindow == time.Minute
		}},
		{"load bounds", writeTOML(t, "[serve]\ncompile_concurrency = 3\n[limits]\nmax_nesting = 2000\nmax_table_entries = 4096\n"),
			map[string]string{"JAC_MAX_FUNCTIONS": "5000", "JAC_COMPILE_QUEUE": "2"}, func(c Config) bool {
				return c.CompileConcurrency == 3 && c.CompileQueue == 2 && c.MaxNesting == 2000 && c.MaxTableEntries == 4096 &&
					c.MaxFunctions == 5000 && c.MaxModuleBytes == 32<<20 && c.MaxManifestBytes == 256<<10 && c.MaxManifestEntries == 256
			}},
		{"webhook defaults", "", nil, func(c Config) bool {
			return c.WebhookSignatureHeader == "X-Webhook-Signature" && c.WebhookVerifySignature &&
				c.APIKeyExpiryDays == 365 && c.WebhookReplayWindow == 300*time.Second
		}},
		{"webhook environment", "", map[string]string{"WEBHOOK_VERIFY_SIGNATURE": "no", "API_KEY_EXPIRY_DAYS": "30", "WEBHOOK_SECRET": "s", "WEBHOOK_SIGNATURE_HEADER": "X-Hub"}, func(c Config) bool {
			return !c.WebhookVerifySignature && c.APIKeyExpiryDays == 30 && c.WebhookSecret == "s" && c.WebhookSignatureHeader == "X-Hub"
		}},
		{"seconds as number", "", map[string]string{"JAC_REQUEST_TIMEOUT": "1.5"}, func(c Config) bool { return c.RequestTimeout == 1500*time.Millisecond }},
		{"storage defaults", "", nil, func(c Config) bool {
			return c.StorageType == "local" && c.StoragePath == "" && c.StorageCreateDirs && c.KVAllowedURIs == nil
		}},
		{"storage and kvstore", writeTOML(t, "[storage]\nstorage_type = \"local\"\nbase_path = \"/srv/files\"\ncreate_dirs = false\n[kvstore]\nallowed_uris = [\"redis://cache:6379/1\", \"mongodb://a:1,b:2/\"]\n"), nil, func(c Config) bool {
			return c.StoragePath == "/srv/files" && !c.StorageCreateDirs && len(c.KVAllowedURIs) == 2 && c.KVAllowedURIs[1] == "mongodb://a:1,b:2/"
		}},
		{"response headers", writeTOML(t, "[environments.response.headers]\n\"Access-Control-Allow-Origin\" = \"*\"\nX-Frame-Options = \"DENY\"\n"), nil, func(c Config) bool {
			return len(c.ResponseHeaders) == 2 && c.ResponseHeaders["Access-Control-Allow-Origin"] == "*" && c.ResponseHeaders["X-Frame-Options"] == "DENY" && c.Validate() == nil
		}},
		{"response headers environment", "", map[string]string{"JAC_RESPONSE_HEADERS": `{"X-A": "1"}`}, func(c Config) bool {
			return len(c.ResponseHeaders) == 1 && c.ResponseHeaders["X-A"] == "1"
		}},
		{"storage environment", "", map[string]string{"JAC_STORAGE_PATH": "/x", "JAC_STORAGE_CREATE_DIRS": "0", "JAC_KVSTORE_ALLOWED_URIS": " redis://a/0  mongodb://b,c/ "}, func(c Config) bool {
			return c.StoragePath == "/x" && !c.StorageCreateDirs && len(c.KVAllowedURIs) == 2 && c.KVAllowedURIs[0] == "redis://a/0" && c.KVAllowedURIs[1] == "mongodb://b,c/"
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(tc.file, envMap(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			if !tc.check(c) {
				t.Fatalf("unexpected config %+v", c)
			}
		})
	}
}

func TestLoad_Errors(t *testing.T) {
	tests := []struct {
		name string
		file string
		env  map[string]string
		want string
	}{
		{"bad toml names line", writeTOML(t, "[serve]\nport = = 3\n"), nil, "jac.toml:2"},
		{"wrong type names key", writeTOML(t, "[serve]\nport = \"x\"\n"), nil, "serve.port"},
		{"bad env names variable", "", map[string]string{"JAC_PORT": "eighty"}, "JAC_PORT"},
		{"bad bool env", "", map[string]string{"WEBHOOK_VERIFY_SIGNATURE": "maybe"}, "WEBHOOK_VERIFY_SIGNATURE"},
		{"bool of wrong type", writeTOML(t, "[plugins.scale.webhook]\nverify_signature = 3\n"), nil, "plugins.scale.webhook.verify_signature"},
		{"bad duration", "", map[string]string{"JAC_REQUEST_TIMEOUT": "soon"}, "JAC_REQUEST_TIMEOUT"},
		{"allowed uris not a list", writeTOML(t, "[kvstore]\nallowed_uris = 3\n"), nil, "kvstore.allowed_uris"},
		{"allowed uris of numbers", writeTOML(t, "[kvstore]\nallowed_uris = [1]\n"), nil, "kvstore.allowed_uris"},
		{"response header not a string", writeTOML(t, "[environments.response.headers]\nX-A = 1\n"), nil, "environments.response.headers"},
		{"response headers not JSON", "", map[string]string{"JAC_RESPONSE_HEADERS": "X-A: 1"}, "JAC_RESPONSE_HEADERS"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.file, envMap(tc.env))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want ErrInvalid mentioning %q", err, tc.want)
			}
		})
	}
}

func TestValidate_Errors(t *testing.T) {
	tests := []invalidCase{
		{"port", func(c *Config) { c.Port = 70000 }, "serve.port (JAC_PORT)"},
		{"response header name", func(c *Config) { c.ResponseHeaders = map[string]string{"X Bad": "1"} }, "environments.response.headers"},
		{"response header empty name", func(c *Config) { c.ResponseHeaders = map[string]string{"": "1"} }, "environments.response.headers"},
		{"response header value CRLF", func(c *Config) { c.ResponseHeaders = map[string]string{"X-A": "1\r\nSet-Cookie: a=b"} }, "JAC_RESPONSE_HEADERS"},
		{"algorithm", func(c *Config) { c.JWTAlgorithm = "none" }, "plugins.scale.jwt.algorithm"},
		{"short secret", func(c *Config) { c.JWTSecret = "short" }, "JWT_SECRET"},
		{"memory", func(c *Config) { c.MemoryLimitMB = 1 }, "limits.memory_mb"},
		{"signature header", func(c *Config) { c.WebhookSignatureHeader = "X Sig" }, "WEBHOOK_SIGNATURE_HEADER"},
		{"negative key expiry", func(c *Config) { c.APIKeyExpiryDays = -1 }, "API_KEY_EXPIRY_DAYS"},
		{"log format", func(c *Config) { c.LogFormat = "xml" }, "logging.format"},
		{"storage type", func(c *Config) { c.StorageType = "s3" }, "storage.storage_type (JAC_STORAGE_TYPE)"},
		{"allowed uri scheme", func(c *Config) { c.KVAllowedURIs = []string{"http://evil:80/"} }, "JAC_KVSTORE_ALLOWED_URIS"},
		{"allowed uri without host", func(c *Config) { c.KVAllowedURIs = []string{"redis://"} }, "kvstore.allowed_uris"},
		{"redis url scheme", func(c *Config) { c.RedisURL = "http://cache:6379" }, "plugins.scale.database.redis_url (REDIS_URL)"},
		{"redis url host", func(c *Config) { c.RedisURL = "redis://"; c.MongoURI = "mongodb://db" }, "REDIS_URL"},
		{"mongodb uri scheme", func(c *Config) { c.MongoURI = "localhost:27017" }, "plugins.scale.database.mongodb_uri (MONGODB_URI)"},
		{"database connect timeout", func(c *Config) { c.DBConnectTimeout = 0 }, "plugins.scale.database.connect_timeout (JAC_DB_CONNECT_TIMEOUT)"},
		{"compile concurrency", func(c *Config) { c.CompileConcurrency = -1 }, "serve.compile_concurrency (JAC_COMPILE_CONCURRENCY)"},
		{"compile queue", func(c *Config) { c.CompileQueue = 0 }, "serve.compile_queue (JAC_COMPILE_QUEUE)"},
		{"module bytes", func(c *Config) { c.MaxModuleBytes = 100 }, "limits.max_module_bytes (JAC_MAX_MODULE_BYTES)"},
		{"functions", func(c *Config) { c.MaxFunctions = 1 << 28 }, "limits.max_functions (JAC_MAX_FUNCTIONS)"},
		{"nesting", func(c *Config) { c.MaxNesting = 0 }, "limits.max_nesting (JAC_MAX_NESTING)"},
		{"table entries", func(c *Config) { c.MaxTableEntries = 0 }, "limits.max_table_entries (JAC_MAX_TABLE_ENTRIES)"},
		{"manifest bytes", func(c *Config) { c.MaxManifestBytes = 2 << 20 }, "limits.max_manifest_bytes (JAC_MAX_MANIFEST_BYTES)"},
		{"manifest entries", func(c *Config) { c.MaxManifestEntries = 0 }, "limits.max_manifest_entries (JAC_MAX_MANIFEST_ENTRIES)"},
	}
	runInvalid(t, tests)
}

func TestValidate_Databases(t *testing.T) {
	tests := []struct{ name, redis, mongo string }{
		{"embedded", "", ""},
		{"redis alone: embedded store, redis for kvstore", "redis://cache:6379", ""},
		{"mongodb alone", "", "mongodb://db:27017/app"},
		{"redis and mongodb", "redis://:pw@cache:6379/0", "mongodb+srv://u:p@cluster.example/app"},
		{"tls and unix socket", "unix:///run/redis.sock", "mongodb://a:1,b:2/app?replicaSet=rs"},
		{"rediss", "rediss://cache:6380", "mongodb://db"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			c.RedisURL, c.MongoURI = tc.redis, tc.mongo
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// invalidCase is a change to the defaults that Validate must refuse with
// an error mentioning want.
type invalidCase struct {
	name   string
	mutate func(*Config)
	want   string
}

func runInvalid(t *testing.T, tests []invalidCase) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			tc.mutate(&c)
			err := c.Validate()
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want mention of %q", err, tc.want)
			}
		})
	}
}
