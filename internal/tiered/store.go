package tiered

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/walkerhost/walkerhost/host/store"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/connstring"
)

// DefaultDatabase is the MongoDB database used when the URI names none.
const DefaultDatabase = "walkerhost"

// Options configure Open. Zero values take the defaults shown.
type Options struct {
	// MongoURI is the durable tier (L3), required. Its path names the
	// database (DefaultDatabase when empty).
	MongoURI string
	// RedisURL is the cache (L2) and what orders the writers of several
	// hosts. Without it only one host may use the database (docs/STORE.md).
	RedisURL string

	L1Bytes    int64         // in-process cache size; 64 MiB
	L1MaxAge   time.Duration // an L1 entry older than this is read again; 30s
	L2TTL      time.Duration // lifetime of a value cached in Redis; 1h
	L2MaxValue int           // larger values are not cached in Redis; 512 KiB
	LockTTL    time.Duration // the commit lock outlives a dead holder this long; 5s
	WriteWait  time.Duration // a write waits this long for the lock, or for Redis; 10s
	Timeout    time.Duration // one call to Redis or MongoDB; 10s
	Connect    time.Duration // Open waits this long for each server; 10s
	Logger     *slog.Logger  // warnings; none when nil
}

func (o *Options) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if o.L1Bytes <= 0 {
		o.L1Bytes = 64 << 20
	}
	if o.L2MaxValue <= 0 {
		o.L2MaxValue = 512 << 10
	}
	def(&o.L1MaxAge, 30*time.Second)
	def(&o.L2TTL, time.Hour)
	def(&o.LockTTL, 5*time.Second)
	def(&o.WriteWait, 10*time.Second)
	def(&o.Timeout, 10*time.Second)
	def(&o.Connect, 10*time.Second)
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
}

// Store is the tiered store, a store.Backend. It is safe for concurrent
// use; Close it once.
type Store struct {
	opt   Options
	log   *slog.Logger
	l1    *l1
	l2    *l2 // nil without Redis
	l3    *l3
	mongo *mongo.Client
	sync  *syncer // nil without Redis
	stats counters

	stream streamState // the syncer's

	writeMu      sync.Mutex // one writer per process; with it:
	head         uint64     // the last commit this host knows of
	needRecovery bool       // a commit of this host is stored but maybe not applied

	gcRunning atomic.Bool
	closed    atomic.Bool
}

// Open connects to MongoDB and, when configured, Redis, each within
// opt.Connect, and completes a commit left unfinished by a host that
// stopped mid-way.
func Open(ctx context.Context, opt Options) (*Store, error) {
	opt.defaults()
	s := &Store{opt: opt, log: opt.Logger, l1: newL1(opt.L1Bytes, opt.L1MaxAge)}
	if err := s.connectMongo(ctx); err != nil {
		return nil, err
	}
	if err := s.connectRedis(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.start(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) connectMongo(ctx context.Context) error {
	if s.opt.MongoURI == "" {
		return &configError{ErrMongo, "a URI is required"}
	}
	shown := redact(s.opt.MongoURI)
	cs, err := connstring.ParseAndValidate(s.opt.MongoURI)
	if err != nil {
		return &configError{ErrMongo, fmt.Sprintf("bad URI %s: %v", shown, err)}
	}
	db := cs.Database
	if db == "" {
		db = DefaultDatabase
	}
	if !validDatabase(db) {
		return &configError{ErrMongo, fmt.Sprintf("database name %q in %s: use 1-63 letters, digits, '_' or '-'", db, shown)}
	}
	c, err := mongo.Connect(options.Client().ApplyURI(s.opt.MongoURI).SetServerSelectionTimeout(s.opt.Connect))
	if err != nil {
		return &configError{ErrMongo, fmt.Sprintf("bad URI %s: %v", shown, err)}
	}
	s.mongo = c
	s.l3 = &l3{db: c.Database(db), timeout: s.opt.Timeout}
	pctx, cancel := context.WithTimeout(ctx, s.opt.Connect)
	defer cancel()
	if err := c.Ping(pctx, nil); err != nil {
		c.Disconnect(context.Background())
		return fmt.Errorf("%w: %s unreachable after %s: %w", ErrMongo, shown, s.opt.Connect, err)
	}
	return nil
}

// quietRedis drops the Redis client's own log lines: the store reports
// Redis failures itself.
type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

var quietOnce sync.Once

func (s *Store) connectRedis(ctx context.Context) error {
	if s.opt.RedisURL == "" {
		return nil
	}
	quietOnce.Do(func() { redis.SetLogger(quietRedis{}) })
	shown := redact(s.opt.RedisURL)
	ro, err := redis.ParseURL(s.opt.RedisURL)
	if err != nil {
		return &configError{ErrRedis, fmt.Sprintf("bad URL %s: %v", shown, err)}
	}
	ro.Protocol = 2
	ro.DisableIdentity = true
	ro.MaxRetries = -1 // the store decides what to retry
	ro.DialTimeout = min(s.opt.Timeout, 2*time.Second)
	ro.ReadTimeout, ro.WriteTimeout = s.opt.Timeout, s.opt.Timeout
	c := redis.NewClient(ro)
	pctx, cancel := context.WithTimeout(ctx, s.opt.Connect)
	defer cancel()
	for {
		err := c.Ping(pctx).Err()
		if err == nil {
			break
		}
		if pctx.Err() != nil {
			c.Close()
			return fmt.Errorf("%w: %s unreachable after %s: %w", ErrRedis, shown, s.opt.Connect, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.l2 = newL2(c, s.l3.db.Name(), s.opt.L2TTL, s.opt.L2MaxValue, s.opt.Timeout)
	s.sync = newSyncer(s.readStream)
	return nil
}

// start completes an unfinished commit and positions this host in the
// invalidation stream.
func (s *Store) start() error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	h, err := s.lock()
	if err != nil {
		return err
	}
	defer s.unlock(h)
	if err := s.finishLast(); err != nil {
		return err
	}
	if s.sync != nil {
		return s.sync.wait()
	}
	return nil
}

// validDatabase reports whether name is a database name every MongoDB
// server takes, and one that names Redis keys without escaping.
func validDatabase(name string) bool {
	if len(name) == 0 || len(name) > 63 {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// redact hides the password of a URL for messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// newToken returns a random id, for lock tokens and epochs.
func newToken() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// View runs fn in a read-only transaction. Each read sees the latest value
// committed before the transaction began, or a later one.
func (s *Store) View(fn func(store.BackendTx) error) error {
	if s.closed.Load() {
		return ErrClosed
	}
	t := newTx(s, false)
	err := fn(t)
	if t.err != nil {
		return t.err
	}
	return err
}

// maxAttempts bounds how often Update runs fn again after finding a commit
// it had not seen.
const maxAttempts = 8

// errRetry asks Update to run fn again.
var errRetry = errors.New("tiered: run again")

// Update runs fn under the commit lock, which orders the writers of every
// host, and commits its writes at the end: all or none, durable before it
// returns nil, and seen by every host's reads after that.
func (s *Store) Update(fn func(store.BackendTx) error) error {
	if s.closed.Load() {
		return ErrClosed
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	for attempt := 1; ; attempt++ {
		err := s.updateOnce(fn)
		if !errors.Is(err, errRetry) {
			return err
		}
		if attempt == maxAttempts {
			return fmt.Errorf("tiered: commit gave up after %d attempts: other hosts kept committing first", attempt)
		}
		s.stats.retries.Add(1)
	}
}

func (s *Store) updateOnce(fn func(store.BackendTx) error) error {
	h, err := s.lock()
	if err != nil {
		return err
	}
	defer s.unlock(h)
	if s.needRecovery {
		if err := s.finishLast(); err != nil {
			return err
		}
	}
	t := newTx(s, true)
	if err := fn(t); err != nil {
		return err
	}
	if t.err != nil {
		return t.err
	}
	ops := t.ops()
	if len(ops) == 0 {
		return nil
	}
	return s.commit(h, ops, t.known)
}

// Database returns the name of the MongoDB database the store keeps its
// data in: it names the deployment, for other state kept beside it.
func (s *Store) Database() string { return s.l3.db.Name() }

// Stats returns the store's counters.
func (s *Store) Stats() Stats { return s.stats.snapshot() }

// Ping checks that MongoDB and, when configured, Redis answer, for
// readiness checks.
func (s *Store) Ping(ctx context.Context) error {
	if s.closed.Load() {
		return ErrClosed
	}
	if err := s.l3.ping(ctx); err != nil {
		return err
	}
	if s.l2 != nil {
		return s.l2.ping(ctx)
	}
	return nil
}

// Close waits for a running write and disconnects; later calls fail with
// ErrClosed.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var errs []error
	if s.l2 != nil {
		errs = append(errs, s.l2.c.Close())
	}
	if s.mongo != nil {
		ctx, cancel := context.WithTimeout(context.Background(), s.opt.Timeout)
		defer cancel()
		errs = append(errs, s.mongo.Disconnect(ctx))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("tiered: close: %w", err)
	}
	return nil
}

var _ store.Backend = (*Store)(nil)
