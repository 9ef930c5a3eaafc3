// Package config holds the host's one flat configuration, decoded from
// jac.toml and the environment (the environment wins) and validated in one
// place. docs/CONFIG.md lists every key.
package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Config is the host configuration. The zero value is not valid; start from
// Default and apply a file and the environment with Load.
type Config struct {
	Host    string // address to listen on
	Port    int    // port to listen on
	DataDir string // the embedded store and generated secrets live here
	// CacheDir keeps compiled machine code of modules; empty means
	// DataDir/wazero-cache.
	CacheDir string
	// LongCallCores is how many cores walker calls running past their
	// first millisecond share, in turns; 0 means one fewer than GOMAXPROCS.
	LongCallCores int
	// CompileConcurrency is how many modules compile at once, host-wide
	// (0: one fewer than GOMAXPROCS, at least 1); CompileQueue how many
	// more loads may wait for a turn before one is refused.
	CompileConcurrency int
	CompileQueue       int

	// MaxConnections caps the open client connections; 0 derives the cap
	// from the open-file limit, leaving room for the store and files.
	MaxConnections int
	// MaxConnectionsPerIP caps the connections of one client address, so
	// one client cannot take the whole cap; 0 means no per-address cap.
	MaxConnectionsPerIP int
	HeaderTimeout       time.Duration // from a connection's (or request's) first byte to the end of its header
	BodyTimeout         time.Duration // to read a request body once its header is in
	IdleTimeout         time.Duration // a keep-alive connection waits this long for its next request
	WriteTimeout        time.Duration // to write a response; a stream gets it on top of its run's time limit

	JWTSecret       string // HMAC key for tokens; generated and kept in DataDir when empty
	JWTAlgorithm    string // HS256, HS384 or HS512
	JWTExpDeltaDays int    // token lifetime in days

	WebhookSecret          string        // keys the stored API key hashes; optional
	WebhookSignatureHeader string        // header carrying the body's HMAC
	WebhookVerifySignature bool          // false: webhooks check only the API key
	WebhookReplayWindow    time.Duration // how old (or ahead) X-Webhook-Timestamp may be
	APIKeyExpiryDays       int           // lifetime of a new API key when not given; 0 = never
	// WebhookRequireTimestamp refuses signed webhooks without
	// X-Webhook-Timestamp; false is for senders that cannot send one.
	WebhookRequireTimestamp bool
	APIKeyMaxPerUser        int // API keys one user may hold; 0 = no cap

	// Login throttling and password hashing (docs/ISOLATION.md).
	LoginUserFailures int           // failed logins per username per LoginUserWindow; 0 = no limit
	LoginUserWindow   time.Duration // the window of LoginUserFailures, from the first failure
	LoginIPFailures   int           // failed logins per client address per LoginIPWindow; 0 = no limit
	LoginIPWindow     time.Duration // the window of LoginIPFailures, from the first failure
	LoginHashers      int           // bcrypt runs at once; 0 = half the cores, at least 1
	LoginHashQueue    int           // requests waiting for a bcrypt run; more get 503

	MaxBodyBytes   int           // largest request body accepted
	RequestTimeout time.Duration // wall-clock budget of one walker run
	MemoryLimitMB  int           // linear memory cap of one instance
	MaxReportBytes int           // total bytes of reports and output per request
	MaxHostCalls   int           // host function calls per request
	MaxHandles     int           // node and edge handles per request
	MaxLogBytes    int           // guest log output kept per request
	PoolSize       int           // warm instances kept per module; also its concurrency cap
	FreshState     bool          // no instance state survives between requests
	StorageMB      int           // bytes an app's files may take, in MiB; 0: no quota
	KVValueBytes   int           // largest value or document one key-value write may store
	// Load-time bounds of a module, checked before it is compiled
	// (docs/ISOLATION.md "Compile and load bounds").
	MaxModuleBytes     int // size of a module
	MaxFunctions       int // its imported and defined functions
	MaxNesting         int // block nesting depth in one function
	MaxTableEntries    int // entries of its tables together (8 bytes each, out of MemoryLimitMB)
	MaxManifestBytes   int // size of its manifest JSON
	MaxManifestEntries int // walkers, functions, node and edge types its manifest declares

	// StreamBufferBytes bounds the events of a Server-Sent Events stream
	// waiting for a slow client; past it the run ends (limit stream_buffer).
	StreamBufferBytes int

	SSOHost               string // this host's public base URL, for SSO callbacks
	SSOGoogleClientID     string
	SSOGoogleClientSecret string
	SSOGoogleAuthURL      string // provider endpoints; Google's by default
	SSOGoogleTokenURL     string
	SSOGoogleUserInfoURL  string

	TraverseMaxDepth int // deepest /traverse walk
	TraverseMaxNodes int // most nodes in one /traverse answer

	LogFormat   string // text or json
	LogRequests bool   // one log line per request (at debug level when false)

	// RedisURL and MongoURI select the shared tiers (docs/STORE.md); both
	// empty means the embedded store. They are also the kvstore defaults.
	RedisURL string
	MongoURI string

	// StorageType, StoragePath and StorageCreateDirs configure the files
	// guests reach with store() (docs/STORAGE.md); an empty StoragePath
	// means DataDir/storage.
	StorageType       string
	StoragePath       string
	StorageCreateDirs bool
	// KVAllowedURIs lists the database URIs a guest may name in kvstore()
	// besides RedisURL and MongoURI (docs/KVSTORE.md).
	KVAllowedURIs []string

	// ResponseHeaders are added to every response of the host (jac-scale's
	// [environments.response.headers]: CORS and security headers), errors,
	// docs and 404s included; they replace a header of the same name.
	ResponseHeaders map[string]string

	// AdminToken enables the admin API (/admin/..., docs/APPS.md) for
	// Bearer requests carrying it; empty disables the API (404).
	AdminToken string
	// Apps are the apps of [apps.NAME] besides the default one.
	Apps []App
	// DBConnectTimeout bounds how long start waits for Redis and MongoDB.
	DBConnectTimeout time.Duration
}

// Default returns the configuration used when nothing is set.
func Default() Config {
	return Config{
		Host: "127.0.0.1",
		Port: 8000,

		MaxConnectionsPerIP: 1000,
		HeaderTimeout:       10 * time.Second,
		BodyTimeout:         60 * time.Second,
		IdleTimeout:         60 * time.Second,
		WriteTimeout:        30 * time.Second,
		DataDir:             ".jac/data",
		JWTAlgorithm:        "HS256",
		JWTExpDeltaDays:     7,

		WebhookSignatureHeader:  "X-Webhook-Signature",
		WebhookVerifySignature:  true,
		WebhookReplayWindow:     300 * time.Second,
		APIKeyExpiryDays:        365,
		WebhookRequireTimestamp: true,
		APIKeyMaxPerUser:        100,

		LoginUserFailures: 10,
		LoginUserWindow:   15 * time.Minute,
		LoginIPFailures:   30,
		LoginIPWindow:     time.Minute,
		LoginHashQueue:    32,

		MaxBodyBytes:       10 << 20,
		RequestTimeout:     10 * time.Second,
		MemoryLimitMB:      128,
		MaxReportBytes:     8 << 20,
		MaxHostCalls:       1_000_000,
		MaxHandles:         100_000,
		MaxLogBytes:        64 << 10,
		PoolSize:           16,
		KVValueBytes:       1 << 20,
		MaxModuleBytes:     32 << 20,
		MaxFunctions:       100_000,
		MaxNesting:         1_000,
		MaxTableEntries:    1 << 20,
		MaxManifestBytes:   256 << 10,
		MaxManifestEntries: 256,
		CompileQueue:       8,

		StreamBufferBytes:    1 << 20,
		SSOGoogleAuthURL:     "https://accounts.google.com/o/oauth2/auth",
		SSOGoogleTokenURL:    "https://oauth2.googleapis.com/token",
		SSOGoogleUserInfoURL: "https://openidconnect.googleapis.com/v1/userinfo",
		TraverseMaxDepth:     10,
		TraverseMaxNodes:     1000,
		LogFormat:            "text",
		LogRequests:          true,
		StorageType:          "local",
		StorageCreateDirs:    true,
		DBConnectTimeout:     10 * time.Second,
	}
}

// ErrInvalid is wrapped by every validation error.
var ErrInvalid = errors.New("config: invalid")

// Validate reports the first setting that is out of range, naming its key.
func (c *Config) Validate() error {
	for _, r := range c.rules() {
		if !r.ok {
			return fmt.Errorf("%w: %s (%s): %s", ErrInvalid, r.key, envOf(r.key), r.msg)
		}
	}
	return c.validApps()
}

// rule is one check of Validate: whether the setting at key is valid, and
// the rule it must follow.
type rule struct {
	ok  bool
	key string
	msg string
}

func (c *Config) rules() []rule {
	return []rule{
		{c.Port >= 0 && c.Port < 65536, "serve.port", "must be 0..65535 (0 picks a free port)"},
		{c.LongCallCores >= 0, "serve.long_call_cores", "must not be negative (0: one fewer than the cores)"},
		{c.CompileConcurrency >= 0, "serve.compile_concurrency", "must not be negative (0: one fewer than the cores)"},
		{c.CompileQueue >= 1, "serve.compile_queue", "must be at least 1"},
		{c.Host != "", "serve.host", "must not be empty"},
		{c.MaxConnections >= 0, "serve.max_connections", "must not be negative (0: derived from the open-file limit)"},
		{c.MaxConnectionsPerIP >= 0, "serve.max_connections_per_ip", "must not be negative (0: no per-address cap)"},
		{c.HeaderTimeout >= 100*time.Millisecond, "serve.header_timeout", "must be at least 100ms"},
		{c.BodyTimeout >= 100*time.Millisecond, "serve.body_timeout", "must be at least 100ms"},
		{c.IdleTimeout >= 100*time.Millisecond, "serve.idle_timeout", "must be at least 100ms"},
		{c.WriteTimeout >= 100*time.Millisecond, "serve.write_timeout", "must be at least 100ms"},
		{c.DataDir != "", "serve.data_dir", "must not be empty"},
		{c.JWTAlgorithm == "HS256" || c.JWTAlgorithm == "HS384" || c.JWTAlgorithm == "HS512", "plugins.scale.jwt.algorithm", "must be HS256, HS384 or HS512"},
		{c.JWTExpDeltaDays > 0, "plugins.scale.jwt.exp_delta_days", "must be at least 1"},
		{c.JWTSecret == "" || len(c.JWTSecret) >= 16, "plugins.scale.jwt.secret", "must be at least 16 bytes (or unset to generate one)"},
		{validHeaderName(c.WebhookSignatureHeader), "plugins.scale.webhook.signature_header", "must be an HTTP header name (letters, digits, '-')"},
		{c.WebhookReplayWindow >= time.Second, "plugins.scale.webhook.replay_window", "must be at least 1s"},
		{c.APIKeyExpiryDays >= 0 && c.APIKeyExpiryDays <= 36500, "plugins.scale.webhook.api_key_expiry_days", "must be 0 (never) to 36500"},
		{c.APIKeyMaxPerUser >= 0, "plugins.scale.webhook.max_keys_per_user", "must not be negative (0: no cap)"},
		{c.LoginUserFailures >= 0, "login.user_failures", "must not be negative (0: no limit)"},
		{c.LoginUserWindow >= time.Second, "login.user_window", "must be at least 1s"},
		{c.LoginIPFailures >= 0, "login.ip_failures", "must not be negative (0: no limit)"},
		{c.LoginIPWindow >= time.Second, "login.ip_window", "must be at least 1s"},
		{c.LoginHashers >= 0, "login.hashers", "must not be negative (0: half the cores)"},
		{c.LoginHashQueue >= 0, "login.hash_queue", "must not be negative"},
		{c.MaxBodyBytes >= 1024, "limits.max_body_bytes", "must be at least 1024"},
		{c.RequestTimeout >= time.Millisecond, "limits.request_timeout", "must be at least 1ms"},
		{c.MemoryLimitMB >= 4 && c.MemoryLimitMB <= 4096, "limits.memory_mb", "must be 4..4096 (a Go guest needs about 3 MiB to start)"},
		{c.MaxReportBytes >= 1024, "limits.max_report_bytes", "must be at least 1024"},
		{c.MaxHostCalls >= 1, "limits.max_host_calls", "must be at least 1"},
		{c.MaxHandles >= 16, "limits.max_handles", "must be at least 16"},
		{c.MaxLogBytes >= 0, "limits.max_log_bytes", "must not be negative"},
		{c.PoolSize >= 1, "limits.pool_size", "must be at least 1"},
		{c.StorageMB >= 0, "limits.storage_mb", "must not be negative (0: no quota)"},
		{c.KVValueBytes >= 64, "limits.kv_value_bytes", "must be at least 64"},
		{c.MaxModuleBytes >= 1024 && c.MaxModuleBytes <= 1<<30, "limits.max_module_bytes", "must be 1024..1073741824"},
		{c.MaxFunctions >= 16 && c.MaxFunctions <= 1<<27, "limits.max_functions", "must be 16..134217728"},
		{c.MaxNesting >= 16 && c.MaxNesting <= 1<<20, "limits.max_nesting", "must be 16..1048576 (Go's runtime nests blocks about 550 deep)"},
		{c.MaxTableEntries >= 1 && c.MaxTableEntries <= 1<<27, "limits.max_table_entries", "must be 1..134217728"},
		{c.MaxManifestBytes >= 1024 && c.MaxManifestBytes <= 1<<20, "limits.max_manifest_bytes", "must be 1024..1048576"},
		{c.MaxManifestEntries >= 1, "limits.max_manifest_entries", "must be at least 1"},

		{c.StreamBufferBytes >= 1024, "limits.stream_buffer_bytes", "must be at least 1024"},
		{c.TraverseMaxDepth >= 1, "limits.traverse_max_depth", "must be at least 1"},
		{c.TraverseMaxNodes >= 1, "limits.traverse_max_nodes", "must be at least 1"},
		{c.LogFormat == "text" || c.LogFormat == "json", "logging.format", "must be text or json"},
		{c.StorageType == "local", "storage.storage_type", "must be local (the only storage type so far)"},
		{validHeaders(c.ResponseHeaders), "environments.response.headers", "each name must be an HTTP token (letters, digits, !#$%&'*+-.^_`|~) and each value printable, without CR, LF or NUL"},
		{validURIs(c.KVAllowedURIs), "kvstore.allowed_uris", "each must be a redis://, rediss://, mongodb:// or mongodb+srv:// URI"},
		{c.AdminToken == "" || len(c.AdminToken) >= 16, "admin.token", "must be at least 16 bytes (or unset to disable the admin API)"},
		{c.RedisURL == "" || hasScheme(c.RedisURL, "redis", "rediss", "unix"), "plugins.scale.database.redis_url", "must be a redis://, rediss:// or unix:// URL"},
		{c.MongoURI == "" || hasScheme(c.MongoURI, "mongodb", "mongodb+srv"), "plugins.scale.database.mongodb_uri", "must be a mongodb:// or mongodb+srv:// URI"},
		{c.DBConnectTimeout >= 100*time.Millisecond, "plugins.scale.database.connect_timeout", "must be at least 100ms"},
	}
}

// validURIs reports whether every URI names a Redis or MongoDB server.
func validURIs(uris []string) bool {
	for _, u := range uris {
		scheme, rest, ok := strings.Cut(u, "://")
		if !ok || rest == "" || (scheme != "redis" && scheme != "rediss" && scheme != "mongodb" && scheme != "mongodb+srv") {
			return false
		}
	}
	return true
}

// hasScheme reports whether s is a URL with one of schemes and something
// after "://"; the drivers check the rest when the store opens.
func hasScheme(s string, schemes ...string) bool {
	scheme, rest, ok := strings.Cut(s, "://")
	return ok && rest != "" && slices.Contains(schemes, strings.ToLower(scheme))
}

// validHeaderName reports whether s is a plausible HTTP header name, so a
// typo in signature_header fails at start rather than refusing every call.
func validHeaderName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validHeaders reports whether every name is an HTTP token (RFC 9110) and
// no value could split the response (CR, LF) or is cut short (NUL).
func validHeaders(h map[string]string) bool {
	for k, v := range h {
		if k == "" || strings.ContainsFunc(k, func(r rune) bool { return !isTokenChar(r) }) ||
			strings.ContainsAny(v, "\r\n\x00") {
			return false
		}
	}
	return true
}

func isTokenChar(r rune) bool {
	return r < 0x7f && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r))
}
