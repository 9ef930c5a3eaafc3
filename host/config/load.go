package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// Key binds one setting, known by its jac.toml path and its environment
// name, to a field of T: of Config here, of the deploy settings in package
// deploy, which decodes its own table with the same rules (StringKey...).
type Key[T any] struct {
	path string // dotted jac.toml path
	env  string
	val  value[T]
}

// Path is the key's dotted jac.toml path; Env its environment name.
func (k Key[T]) Path() string { return k.path }
func (k Key[T]) Env() string  { return k.env }

// Get returns the key's value in c, in the environment's form.
func (k Key[T]) Get(c *T) string { return k.val.get(c) }

// Secret marks the key as a credential, kept out of logs and manifests.
func (k Key[T]) Secret() Key[T] { k.val = secret[T]{k.val}; return k }

// secret is the value of a key marked Secret.
type secret[T any] struct{ value[T] }

func (k Key[T]) isSecret() bool {
	_, ok := k.val.(secret[T])
	return ok || secretEnv[k.env]
}

// StringKey, IntKey, BoolKey and DurationKey bind a key of another
// package's settings to a field of T, read like the host's own keys.
func StringKey[T any](path, env string, ptr func(*T) *string) Key[T] {
	return Key[T]{path: path, env: env, val: str(ptr)}
}
func IntKey[T any](path, env string, ptr func(*T) *int) Key[T] {
	return Key[T]{path: path, env: env, val: num(ptr)}
}
func BoolKey[T any](path, env string, ptr func(*T) *bool) Key[T] {
	return Key[T]{path: path, env: env, val: boolean(ptr)}
}
func DurationKey[T any](path, env string, ptr func(*T) *time.Duration) Key[T] {
	return Key[T]{path: path, env: env, val: dur(ptr)}
}

// value reads a decoded jac.toml or environment value into its field, and
// formats the field back in the environment's form.
type value[T any] interface {
	set(c *T, v any) error
	get(c *T) string
}

// field is a value made of a setter and a getter.
type field[T any] struct {
	setFn func(c *T, v any) error
	getFn func(c *T) string
}

func (f field[T]) set(c *T, v any) error { return f.setFn(c, v) }
func (f field[T]) get(c *T) string       { return f.getFn(c) }

// set reads v into the key's field of c.
func (k Key[T]) set(c *T, v any) error { return k.val.set(c, v) }

func settings() []Key[Config] {
	return []Key[Config]{
		{"serve.host", "JAC_HOST", str(func(c *Config) *string { return &c.Host })},
		{"serve.port", "JAC_PORT", num(func(c *Config) *int { return &c.Port })},
		{"serve.data_dir", "JAC_DATA_DIR", str(func(c *Config) *string { return &c.DataDir })},
		{"serve.cache_dir", "JAC_CACHE_DIR", str(func(c *Config) *string { return &c.CacheDir })},
		{"serve.long_call_cores", "JAC_LONG_CALL_CORES", num(func(c *Config) *int { return &c.LongCallCores })},
		{"serve.compile_concurrency", "JAC_COMPILE_CONCURRENCY", num(func(c *Config) *int { return &c.CompileConcurrency })},
		{"serve.compile_queue", "JAC_COMPILE_QUEUE", num(func(c *Config) *int { return &c.CompileQueue })},

		{"serve.max_connections", "JAC_MAX_CONNECTIONS", num(func(c *Config) *int { return &c.MaxConnections })},
		{"serve.max_connections_per_ip", "JAC_MAX_CONNECTIONS_PER_IP", num(func(c *Config) *int { return &c.MaxConnectionsPerIP })},
		{"serve.header_timeout", "JAC_HEADER_TIMEOUT", dur(func(c *Config) *time.Duration { return &c.HeaderTimeout })},
		{"serve.body_timeout", "JAC_BODY_TIMEOUT", dur(func(c *Config) *time.Duration { return &c.BodyTimeout })},
		{"serve.idle_timeout", "JAC_IDLE_TIMEOUT", dur(func(c *Config) *time.Duration { return &c.IdleTimeout })},
		{"serve.write_timeout", "JAC_WRITE_TIMEOUT", dur(func(c *Config) *time.Duration { return &c.WriteTimeout })},
		{"plugins.scale.jwt.secret", "JWT_SECRET", str(func(c *Config) *string { return &c.JWTSecret })},
		{"plugins.scale.jwt.algorithm", "JWT_ALGORITHM", str(func(c *Config) *string { return &c.JWTAlgorithm })},
		{"plugins.scale.jwt.exp_delta_days", "JWT_EXP_DELTA_DAYS", num(func(c *Config) *int { return &c.JWTExpDeltaDays })},
		{"plugins.scale.webhook.secret", "WEBHOOK_SECRET", str(func(c *Config) *string { return &c.WebhookSecret })},
		{"plugins.scale.webhook.signature_header", "WEBHOOK_SIGNATURE_HEADER", str(func(c *Config) *string { return &c.WebhookSignatureHeader })},
		{"plugins.scale.webhook.verify_signature", "WEBHOOK_VERIFY_SIGNATURE", boolean(func(c *Config) *bool { return &c.WebhookVerifySignature })},
		{"plugins.scale.webhook.replay_window", "WEBHOOK_REPLAY_WINDOW", dur(func(c *Config) *time.Duration { return &c.WebhookReplayWindow })},
		{"plugins.scale.webhook.api_key_expiry_days", "API_KEY_EXPIRY_DAYS", num(func(c *Config) *int { return &c.APIKeyExpiryDays })},
		{"plugins.scale.webhook.require_timestamp", "WEBHOOK_REQUIRE_TIMESTAMP", boolean(func(c *Config) *bool { return &c.WebhookRequireTimestamp })},
		{"plugins.scale.webhook.max_keys_per_user", "API_KEY_MAX_PER_USER", num(func(c *Config) *int { return &c.APIKeyMaxPerUser })},
		{"login.user_failures", "JAC_LOGIN_USER_FAILURES", num(func(c *Config) *int { return &c.LoginUserFailures })},
		{"login.user_window", "JAC_LOGIN_USER_WINDOW", dur(func(c *Config) *time.Duration { return &c.LoginUserWindow })},
		{"login.ip_failures", "JAC_LOGIN_IP_FAILURES", num(func(c *Config) *int { return &c.LoginIPFailures })},
		{"login.ip_window", "JAC_LOGIN_IP_WINDOW", dur(func(c *Config) *time.Duration { return &c.LoginIPWindow })},
		{"login.hashers", "JAC_LOGIN_HASHERS", num(func(c *Config) *int { return &c.LoginHashers })},
		{"login.hash_queue", "JAC_LOGIN_HASH_QUEUE", num(func(c *Config) *int { return &c.LoginHashQueue })},
		{"limits.max_body_bytes", "JAC_MAX_BODY_BYTES", num(func(c *Config) *int { return &c.MaxBodyBytes })},
		{"limits.request_timeout", "JAC_REQUEST_TIMEOUT", dur(func(c *Config) *time.Duration { return &c.RequestTimeout })},
		{"limits.memory_mb", "JAC_MEMORY_MB", num(func(c *Config) *int { return &c.MemoryLimitMB })},
		{"limits.max_report_bytes", "JAC_MAX_REPORT_BYTES", num(func(c *Config) *int { return &c.MaxReportBytes })},
		{"limits.max_host_calls", "JAC_MAX_HOST_CALLS", num(func(c *Config) *int { return &c.MaxHostCalls })},
		{"limits.max_handles", "JAC_MAX_HANDLES", num(func(c *Config) *int { return &c.MaxHandles })},
		{"limits.max_log_bytes", "JAC_MAX_LOG_BYTES", num(func(c *Config) *int { return &c.MaxLogBytes })},
		{"limits.pool_size", "JAC_POOL_SIZE", num(func(c *Config) *int { return &c.PoolSize })},
		{"limits.fresh_state", "JAC_FRESH_STATE", boolean(func(c *Config) *bool { return &c.FreshState })},
		{"limits.storage_mb", "JAC_STORAGE_MB", num(func(c *Config) *int { return &c.StorageMB })},
		{"limits.kv_value_bytes", "JAC_KV_VALUE_BYTES", num(func(c *Config) *int { return &c.KVValueBytes })},
		{"limits.max_module_bytes", "JAC_MAX_MODULE_BYTES", num(func(c *Config) *int { return &c.MaxModuleBytes })},
		{"limits.max_functions", "JAC_MAX_FUNCTIONS", num(func(c *Config) *int { return &c.MaxFunctions })},
		{"limits.max_nesting", "JAC_MAX_NESTING", num(func(c *Config) *int { return &c.MaxNesting })},
		{"limits.max_table_entries", "JAC_MAX_TABLE_ENTRIES", num(func(c *Config) *int { return &c.MaxTableEntries })},
		{"limits.max_manifest_bytes", "JAC_MAX_MANIFEST_BYTES", num(func(c *Config) *int { return &c.MaxManifestBytes })},
		{"limits.max_manifest_entries", "JAC_MAX_MANIFEST_ENTRIES", num(func(c *Config) *int { return &c.MaxManifestEntries })},

		{"limits.stream_buffer_bytes", "JAC_STREAM_BUFFER_BYTES", num(func(c *Config) *int { return &c.StreamBufferBytes })},
		{"plugins.scale.sso.host", "SSO_HOST", str(func(c *Config) *string { return &c.SSOHost })},
		{"plugins.scale.sso.google.client_id", "SSO_GOOGLE_CLIENT_ID", str(func(c *Config) *string { return &c.SSOGoogleClientID })},
		{"plugins.scale.sso.google.client_secret", "SSO_GOOGLE_CLIENT_SECRET", str(func(c *Config) *string { return &c.SSOGoogleClientSecret })},
		{"plugins.scale.sso.google.auth_url", "SSO_GOOGLE_AUTH_URL", str(func(c *Config) *string { return &c.SSOGoogleAuthURL })},
		{"plugins.scale.sso.google.token_url", "SSO_GOOGLE_TOKEN_URL", str(func(c *Config) *string { return &c.SSOGoogleTokenURL })},
		{"plugins.scale.sso.google.userinfo_url", "SSO_GOOGLE_USERINFO_URL", str(func(c *Config) *string { return &c.SSOGoogleUserInfoURL })},
		{"limits.traverse_max_depth", "JAC_TRAVERSE_MAX_DEPTH", num(func(c *Config) *int { return &c.TraverseMaxDepth })},
		{"limits.traverse_max_nodes", "JAC_TRAVERSE_MAX_NODES", num(func(c *Config) *int { return &c.TraverseMaxNodes })},
		{"logging.format", "JAC_LOG_FORMAT", str(func(c *Config) *string { return &c.LogFormat })},
		{"logging.requests", "JAC_LOG_REQUESTS", boolean(func(c *Config) *bool { return &c.LogRequests })},
		{"plugins.scale.database.redis_url", "REDIS_URL", str(func(c *Config) *string { return &c.RedisURL })},
		{"plugins.scale.database.mongodb_uri", "MONGODB_URI", str(func(c *Config) *string { return &c.MongoURI })},
		{"storage.storage_type", "JAC_STORAGE_TYPE", str(func(c *Config) *string { return &c.StorageType })},
		{"storage.base_path", "JAC_STORAGE_PATH", str(func(c *Config) *string { return &c.StoragePath })},
		{"storage.create_dirs", "JAC_STORAGE_CREATE_DIRS", boolean(func(c *Config) *bool { return &c.StorageCreateDirs })},
		{"kvstore.allowed_uris", "JAC_KVSTORE_ALLOWED_URIS", list(func(c *Config) *[]string { return &c.KVAllowedURIs })},
		{"environments.response.headers", "JAC_RESPONSE_HEADERS", headers(func(c *Config) *map[string]string { return &c.ResponseHeaders })},
		{"admin.token", "JAC_ADMIN_TOKEN", str(func(c *Config) *string { return &c.AdminToken })},
		{"plugins.scale.database.connect_timeout", "JAC_DB_CONNECT_TIMEOUT", dur(func(c *Config) *time.Duration { return &c.DBConnectTimeout })},
	}
}

func envOf(path string) string {
	for _, s := range settings() {
		if s.path == path {
			return s.env
		}
	}
	return ""
}

// Load returns Default overlaid with the jac.toml at tomlPath (skipped when
// tomlPath is empty or the file does not exist) and then with the
// environment, looked up through getenv. It does not validate.
func Load(tomlPath string, getenv func(string) string) (Config, error) {
	src, err := Read(tomlPath, getenv)
	if err != nil {
		return Default(), err
	}
	c := Default()
	if err := Decode(src, settings(), &c); err != nil {
		return c, err
	}
	return c, loadApps(&c, src.tree, tomlPath)
}

// Source is where settings come from: a jac.toml, parsed, and the
// environment.
type Source struct {
	path   string
	tree   map[string]any
	getenv func(string) string
}

// Read parses the jac.toml at tomlPath (none when empty or missing) for
// Decode.
func Read(tomlPath string, getenv func(string) string) (Source, error) {
	tree, err := readTOML(tomlPath)
	return Source{path: tomlPath, tree: tree, getenv: getenv}, err
}

// Decode overlays *dst with the keys set in src, the environment winning
// over the file; an empty variable leaves the value as it was.
func Decode[T any](src Source, keys []Key[T], dst *T) error {
	for _, s := range keys {
		if v, ok := lookup(src.tree, s.path); ok {
			if err := s.set(dst, v); err != nil {
				return fmt.Errorf("%w: %s: %s: %v", ErrInvalid, src.path, s.path, err)
			}
		}
		if v := src.getenv(s.env); v != "" {
			if err := s.set(dst, v); err != nil {
				return fmt.Errorf("%w: environment %s=%q: %v", ErrInvalid, s.env, v, err)
			}
		}
	}
	return nil
}

func readTOML(path string) (map[string]any, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	var tree map[string]any
	if err := toml.Unmarshal(b, &tree); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return nil, fmt.Errorf("%w: %s:%d:%d: %s", ErrInvalid, path, row, col, de.Error())
		}
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, path, err)
	}
	return tree, nil
}

func lookup(tree map[string]any, path string) (any, bool) {
	var cur any = tree
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func str[T any](ptr func(*T) *string) value[T] {
	return field[T]{func(c *T, v any) error {
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("want a string, got %T", v)
		}
		*ptr(c) = s
		return nil
	}, func(c *T) string { return *ptr(c) }}
}

func num[T any](ptr func(*T) *int) value[T] {
	return field[T]{func(c *T, v any) error {
		switch x := v.(type) {
		case int64:
			*ptr(c) = int(x)
		case string:
			n, err := strconv.Atoi(strings.TrimSpace(x))
			if err != nil {
				return fmt.Errorf("want an integer")
			}
			*ptr(c) = n
		default:
			return fmt.Errorf("want an integer, got %T", v)
		}
		return nil
	}, func(c *T) string { return strconv.Itoa(*ptr(c)) }}
}

// list accepts a TOML array of strings or, from the environment, strings
// separated by white space (URIs may contain commas, never spaces).
func list[T any](ptr func(*T) *[]string) value[T] {
	return field[T]{func(c *T, v any) error {
		switch x := v.(type) {
		case string:
			*ptr(c) = strings.Fields(x)
		case []any:
			l := make([]string, len(x))
			for i, e := range x {
				s, ok := e.(string)
				if !ok {
					return fmt.Errorf("want an array of strings, got a %T in it", e)
				}
				l[i] = s
			}
			*ptr(c) = l
		default:
			return fmt.Errorf("want an array of strings, got %T", v)
		}
		return nil
	}, func(c *T) string { return strings.Join(*ptr(c), " ") }}
}

// boolean accepts a TOML boolean or, from the environment, the usual
// spellings: true/false, 1/0, yes/no, on/off (any case).
func boolean[T any](ptr func(*T) *bool) value[T] {
	return field[T]{func(c *T, v any) error {
		switch x := v.(type) {
		case bool:
			*ptr(c) = x
		case string:
			switch strings.ToLower(strings.TrimSpace(x)) {
			case "true", "1", "yes", "on":
				*ptr(c) = true
			case "false", "0", "no", "off":
				*ptr(c) = false
			default:
				return fmt.Errorf("want a boolean (true/false, 1/0, yes/no, on/off)")
			}
		default:
			return fmt.Errorf("want a boolean, got %T", v)
		}
		return nil
	}, func(c *T) string { return strconv.FormatBool(*ptr(c)) }}
}

// dur accepts Go duration strings ("10s", "250ms") or a number of seconds.
func dur[T any](ptr func(*T) *time.Duration) value[T] {
	return field[T]{func(c *T, v any) error {
		switch x := v.(type) {
		case int64:
			*ptr(c) = time.Duration(x) * time.Second
		case float64:
			*ptr(c) = time.Duration(x * float64(time.Second))
		case string:
			if n, err := strconv.ParseFloat(x, 64); err == nil {
				*ptr(c) = time.Duration(n * float64(time.Second))
				return nil
			}
			d, err := time.ParseDuration(x)
			if err != nil {
				return fmt.Errorf("want a duration such as \"10s\" or a number of seconds")
			}
			*ptr(c) = d
		default:
			return fmt.Errorf("want a duration, got %T", v)
		}
		return nil
	}, func(c *T) string { return ptr(c).String() }}
}

// headers accepts a TOML table of strings or, from the environment, a JSON
// object of strings.
func headers[T any](ptr func(*T) *map[string]string) value[T] {
	return field[T]{func(c *T, v any) error {
		if x, ok := v.(string); ok {
			var m map[string]any
			if err := json.Unmarshal([]byte(x), &m); err != nil {
				return fmt.Errorf("want a JSON object of strings")
			}
			v = m
		}
		t, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("want a table of strings, got %T", v)
		}
		h := make(map[string]string, len(t))
		for k, e := range t {
			s, ok := e.(string)
			if !ok {
				return fmt.Errorf("%s: want a string, got %T", k, e)
			}
			h[k] = s
		}
		*ptr(c) = h
		return nil
	}, func(c *T) string {
		if len(*ptr(c)) == 0 {
			return ""
		}
		b, _ := json.Marshal(*ptr(c))
		return string(b)
	}}
}
