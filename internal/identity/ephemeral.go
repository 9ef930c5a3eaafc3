package identity

import (
	"context"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Ephemeral keeps short-lived state that expires by itself: the failed
// login counters and the webhook replay cache. Hosts sharing a store keep
// it in their Redis (NewRedisEphemeral), so that every replica counts the
// same failures and refuses the same replays; a lone host keeps it in
// memory (NewMemoryEphemeral).
type Ephemeral interface {
	// Count returns key's count and the time until it resets; 0, 0 when
	// the key is absent.
	Count(ctx context.Context, key string) (n int64, left time.Duration, err error)
	// Add increments key, which expires window after its first increment,
	// and returns the new count and the time until it resets.
	Add(ctx context.Context, key string, window time.Duration) (n int64, left time.Duration, err error)
	// Reset forgets key.
	Reset(ctx context.Context, key string) error
	// Claim marks key for ttl and reports whether it was unmarked.
	Claim(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

// memEntry is one key of a memEphemeral.
type memEntry struct {
	n     int64
	until time.Time
}

// memEphemeral is Ephemeral in this process's memory.
type memEphemeral struct {
	mu        sync.Mutex
	m         map[string]memEntry
	sweepAt   int // sweep expired keys when the map grows to this size
	now       func() time.Time
	minSweeps int
}

// NewMemoryEphemeral returns an Ephemeral kept in memory. Expired keys are
// dropped whenever the map has doubled since the last sweep, so its size
// stays bounded by what arrives within the longest window.
func NewMemoryEphemeral() Ephemeral {
	return &memEphemeral{m: map[string]memEntry{}, sweepAt: 1024, minSweeps: 1024, now: time.Now}
}

// live returns key's entry when it has not expired; the caller holds mu.
func (e *memEphemeral) live(key string, now time.Time) (memEntry, bool) {
	v, ok := e.m[key]
	if !ok || !now.Before(v.until) {
		return memEntry{}, false
	}
	return v, true
}

// put stores an entry, sweeping first when the map is due; the caller
// holds mu.
func (e *memEphemeral) put(key string, v memEntry, now time.Time) {
	if len(e.m) >= e.sweepAt {
		for k, old := range e.m {
			if !now.Before(old.until) {
				delete(e.m, k)
			}
		}
		e.sweepAt = max(e.minSweeps, 2*len(e.m))
	}
	e.m[key] = v
}

func (e *memEphemeral) Count(_ context.Context, key string) (int64, time.Duration, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	v, ok := e.live(key, now)
	if !ok {
		return 0, 0, nil
	}
	return v.n, v.until.Sub(now), nil
}

func (e *memEphemeral) Add(_ context.Context, key string, window time.Duration) (int64, time.Duration, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	v, ok := e.live(key, now)
	if !ok {
		v = memEntry{until: now.Add(window)}
	}
	v.n++
	e.put(key, v, now)
	return v.n, v.until.Sub(now), nil
}

func (e *memEphemeral) Reset(_ context.Context, key string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.m, key)
	return nil
}

func (e *memEphemeral) Claim(_ context.Context, key string, ttl time.Duration) (bool, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	if _, ok := e.live(key, now); ok {
		return false, nil
	}
	e.put(key, memEntry{n: 1, until: now.Add(ttl)}, now)
	return true, nil
}

// redisEphemeral is Ephemeral in Redis, every key under prefix.
type redisEphemeral struct {
	c      *redis.Client
	prefix string
}

// NewRedisEphemeral returns an Ephemeral kept in Redis at url, its keys
// under prefix (which names the deployment, so that hosts of another
// one sharing the server count apart). Close the client with Close.
func NewRedisEphemeral(url, prefix string) (Ephemeral, func() error, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, nil, err
	}
	opt.Protocol = 2
	opt.DisableIdentity = true
	c := redis.NewClient(opt)
	return &redisEphemeral{c: c, prefix: prefix}, c.Close, nil
}

// addScript increments a counter and starts its window on the first
// increment, in one step, so a counter never lives without an expiry.
var addScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {n, left}`)

func (e *redisEphemeral) Count(ctx context.Context, key string) (int64, time.Duration, error) {
	k := e.prefix + key
	var get *redis.StringCmd
	var ttl *redis.DurationCmd
	_, err := e.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		get, ttl = p.Get(ctx, k), p.PTTL(ctx, k)
		return nil
	})
	if err == redis.Nil {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, err
	}
	n, err := get.Int64()
	if err != nil || ttl.Val() <= 0 {
		return 0, 0, err
	}
	return n, ttl.Val(), nil
}

func (e *redisEphemeral) Add(ctx context.Context, key string, window time.Duration) (int64, time.Duration, error) {
	r, err := addScript.Run(ctx, e.c, []string{e.prefix + key}, window.Milliseconds()).Int64Slice()
	if err != nil {
		return 0, 0, err
	}
	return r[0], time.Duration(r[1]) * time.Millisecond, nil
}

func (e *redisEphemeral) Reset(ctx context.Context, key string) error {
	return e.c.Del(ctx, e.prefix+key).Err()
}

func (e *redisEphemeral) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	return e.c.SetNX(ctx, e.prefix+key, 1, ttl).Result()
}
