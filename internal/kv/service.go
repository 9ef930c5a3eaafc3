// Package kv gives guests key-value stores (abi/ABI.md "Key-value stores"):
// Redis and MongoDB databases named by the guest and kept apart per app by
// the host, on servers the operator configured. docs/KVSTORE.md describes
// it.
package kv

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
	"github.com/walkerhost/walkerhost/abi"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Database is the MongoDB database holding every app's collections.
const Database = "jac_kv"

// Options configure a Service.
type Options struct {
	RedisURL    string   // the default Redis server (REDIS_URL)
	MongoURI    string   // the default MongoDB server (MONGODB_URI)
	AllowedURIs []string // further URIs a guest may name
}

// Service opens guests' stores. It keeps one client per server URI,
// shared by every app and request, until Close. It is safe for concurrent
// use.
type Service struct {
	o Options

	mu     sync.Mutex
	redis  map[string]*redis.Client
	mongo  map[string]*mongo.Client
	closed bool
}

// New returns a service for the configured servers. It connects to none
// until a store on it is used.
func New(o Options) *Service {
	quietRedis.Do(func() { redis.SetLogger(redisLog{}) })
	return &Service{o: o, redis: map[string]*redis.Client{}, mongo: map[string]*mongo.Client{}}
}

// quietRedis sends the Redis client's own messages (dial retries, which
// the caller also gets as errors) to the debug log instead of stderr.
var quietRedis sync.Once

type redisLog struct{}

func (redisLog) Printf(ctx context.Context, format string, v ...any) {
	slog.DebugContext(ctx, fmt.Sprintf(format, v...), "component", "redis")
}

// Store is a database of one app, of either kind. The methods of its kind
// are on *Redis and *Mongo.
type Store interface {
	// Kind is abi.KindRedis or abi.KindMongoDB.
	Kind() string
	Get(ctx context.Context, key string) (any, error)
	Set(ctx context.Context, key string, v any) error
	Delete(ctx context.Context, key string) (bool, error)
	Exists(ctx context.Context, key string) (bool, error)
}

// Open returns the store db of app, of the given kind, on the server at
// uri ("" for the configured one), refusing writes of values larger than
// maxValue bytes as stored (0: no limit) with ErrValueTooLarge. A uri that
// is neither configured nor allowed is ErrDenied.
func (s *Service) Open(app, kind, db, uri string, maxValue int) (Store, error) {
	if kind != abi.KindRedis && kind != abi.KindMongoDB {
		return nil, fmt.Errorf("%w: kind %.40q: want %q or %q", ErrInvalid, kind, abi.KindRedis, abi.KindMongoDB)
	}
	if err := checkApp(app); err != nil {
		return nil, err
	}
	if err := checkName("database", db); err != nil {
		return nil, err
	}
	uri, err := s.resolve(kind, uri)
	if err != nil {
		return nil, err
	}
	if kind == abi.KindRedis {
		c, err := s.redisClient(uri)
		if err != nil {
			return nil, err
		}
		return &Redis{c: c, prefix: "kv:" + app + ":" + db + ":", maxValue: maxValue}, nil
	}
	c, err := s.mongoClient(uri)
	if err != nil {
		return nil, err
	}
	return &Mongo{db: c.Database(Database), prefix: app + "." + db + ".", maxValue: maxValue}, nil
}

// fits refuses a value of n bytes over max (0: no limit).
func fits(n, max int) error {
	if max > 0 && n > max {
		return fmt.Errorf("%w: %d bytes, more than the %d allowed (kv_value_bytes)", ErrValueTooLarge, n, max)
	}
	return nil
}

// resolve picks the URI of a store: the configured one for "", else uri
// if it is configured or allowed.
func (s *Service) resolve(kind, uri string) (string, error) {
	def, setting := s.o.RedisURL, "REDIS_URL"
	schemes := []string{"redis", "rediss"}
	if kind == abi.KindMongoDB {
		def, setting = s.o.MongoURI, "MONGODB_URI"
		schemes = []string{"mongodb", "mongodb+srv"}
	}
	if uri == "" {
		if def == "" {
			return "", fmt.Errorf("%w: no %s server is configured (set %s)", ErrUnavailable, kindName(kind), setting)
		}
		return def, nil
	}
	if uri != def && !slices.Contains(s.o.AllowedURIs, uri) {
		return "", fmt.Errorf("%w: a guest may name only %s or a URI in kvstore.allowed_uris", ErrDenied, setting)
	}
	if scheme, _, _ := strings.Cut(uri, "://"); !slices.Contains(schemes, scheme) {
		return "", fmt.Errorf("%w: the URI is not a %s URI (%s://)", ErrInvalid, kindName(kind), schemes[0])
	}
	return uri, nil
}

func (s *Service) redisClient(uri string) (*redis.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, fmt.Errorf("%w: closed", ErrUnavailable)
	}
	if c := s.redis[uri]; c != nil {
		return c, nil
	}
	opt, err := redis.ParseURL(uri)
	if err != nil {
		return nil, fmt.Errorf("%w: the Redis URL does not parse: %v", ErrUnavailable, err)
	}
	c := redis.NewClient(opt)
	s.redis[uri] = c
	return c, nil
}

func (s *Service) mongoClient(uri string) (*mongo.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, fmt.Errorf("%w: closed", ErrUnavailable)
	}
	if c := s.mongo[uri]; c != nil {
		return c, nil
	}
	// No client-wide timeout: every operation carries the request's
	// deadline, and a client-wide one breaks some commands on FerretDB.
	c, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		return nil, fmt.Errorf("%w: the MongoDB URI does not parse: %v", ErrUnavailable, err)
	}
	s.mongo[uri] = c
	return c, nil
}

// Clients returns how many server clients are open, for tests of the pool.
func (s *Service) Clients() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.redis) + len(s.mongo)
}

// Close closes every client. Stores opened before must not be used after.
func (s *Service) Close(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	var errs []error
	for uri, c := range s.redis {
		errs = append(errs, c.Close())
		delete(s.redis, uri)
	}
	for uri, c := range s.mongo {
		errs = append(errs, c.Disconnect(ctx))
		delete(s.mongo, uri)
	}
	return errors.Join(errs...)
}

// UnsupportedError is a method called on a store of the other kind. It
// wraps ErrUnsupported.
type UnsupportedError struct {
	Method string // e.g. "find_one"
	Kind   string // the store's kind
}

func (e *UnsupportedError) Error() string {
	other := abi.KindMongoDB
	if e.Kind == abi.KindMongoDB {
		other = abi.KindRedis
	}
	return fmt.Sprintf("kv: %s is not supported for %s (it is a %s method)", e.Method, kindName(e.Kind), kindName(other))
}

// Unwrap lets errors.Is(err, ErrUnsupported) hold.
func (e *UnsupportedError) Unwrap() error { return ErrUnsupported }

func kindName(kind string) string {
	if kind == abi.KindMongoDB {
		return "MongoDB"
	}
	return "Redis"
}
