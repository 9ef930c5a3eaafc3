package kv

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/walkerhost/walkerhost/abi"
)

// MaxScan bounds the keys one scan_keys returns.
const MaxScan = 100_000

// Redis is a Redis store: its keys live under the prefix kv:<app>:<db>:.
type Redis struct {
	c        *redis.Client
	prefix   string
	maxValue int // bytes of a value as stored (JSON); 0: no limit
}

// Kind returns abi.KindRedis.
func (r *Redis) Kind() string { return abi.KindRedis }

func (r *Redis) key(k string) (string, error) {
	if err := checkKey(k); err != nil {
		return "", err
	}
	return r.prefix + k, nil
}

// Get returns the value of key, or nil when there is none.
func (r *Redis) Get(ctx context.Context, key string) (any, error) {
	k, err := r.key(key)
	if err != nil {
		return nil, err
	}
	s, err := r.c.Get(ctx, k).Result()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, redisErr(err)
	}
	return decodeJSON(s), nil
}

// Set stores v under key, without an expiry.
func (r *Redis) Set(ctx context.Context, key string, v any) error { return r.set(ctx, key, v, 0) }

// SetWithTTL stores v under key for ttl seconds (at least 1).
func (r *Redis) SetWithTTL(ctx context.Context, key string, v any, ttl int64) error {
	if ttl < 1 {
		return fmt.Errorf("%w: ttl must be at least 1 second", ErrInvalid)
	}
	return r.set(ctx, key, v, time.Duration(ttl)*time.Second)
}

func (r *Redis) set(ctx context.Context, key string, v any, ttl time.Duration) error {
	k, err := r.key(key)
	if err != nil {
		return err
	}
	b, err := encodeJSON(nil, v)
	if err != nil {
		return err
	}
	if err := fits(len(b), r.maxValue); err != nil {
		return err
	}
	return redisErr(r.c.Set(ctx, k, b, ttl).Err())
}

// Delete removes key and reports whether it existed.
func (r *Redis) Delete(ctx context.Context, key string) (bool, error) {
	k, err := r.key(key)
	if err != nil {
		return false, err
	}
	n, err := r.c.Del(ctx, k).Result()
	return n > 0, redisErr(err)
}

// Exists reports whether key exists.
func (r *Redis) Exists(ctx context.Context, key string) (bool, error) {
	k, err := r.key(key)
	if err != nil {
		return false, err
	}
	n, err := r.c.Exists(ctx, k).Result()
	return n > 0, redisErr(err)
}

// Expire sets key to expire in seconds (at least 1) and reports whether
// the key exists.
func (r *Redis) Expire(ctx context.Context, key string, seconds int64) (bool, error) {
	if seconds < 1 {
		return false, fmt.Errorf("%w: seconds must be at least 1 (use delete to remove a key now)", ErrInvalid)
	}
	k, err := r.key(key)
	if err != nil {
		return false, err
	}
	ok, err := r.c.Expire(ctx, k, time.Duration(seconds)*time.Second).Result()
	return ok, redisErr(err)
}

// Incr adds amount to the integer under key (a missing key counts as 0)
// and returns the new value.
func (r *Redis) Incr(ctx context.Context, key string, amount int64) (int64, error) {
	k, err := r.key(key)
	if err != nil {
		return 0, err
	}
	n, err := r.c.IncrBy(ctx, k, amount).Result()
	return n, redisErr(err)
}

// ScanKeys returns the keys of this store matching the Redis glob pattern
// ("" is "*"), without the store's prefix, sorted.
func (r *Redis) ScanKeys(ctx context.Context, pattern string) ([]string, error) {
	if pattern == "" {
		pattern = "*"
	}
	if len(pattern) > MaxKey {
		return nil, fmt.Errorf("%w: a pattern must be at most %d bytes", ErrInvalid, MaxKey)
	}
	seen := map[string]bool{}
	var cursor uint64
	for {
		keys, next, err := r.c.Scan(ctx, cursor, r.prefix+pattern, 1000).Result()
		if err != nil {
			return nil, redisErr(err)
		}
		for _, k := range keys {
			seen[strings.TrimPrefix(k, r.prefix)] = true
		}
		if len(seen) > MaxScan {
			return nil, fmt.Errorf("%w: more than %d keys match", ErrTooLarge, MaxScan)
		}
		if cursor = next; cursor == 0 {
			break
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys, nil
}

// redisErr sorts a client error: a reply of the server refuses the
// argument (a value that is not an integer); anything else means the
// server could not be used.
func redisErr(err error) error {
	var re redis.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &re):
		return fmt.Errorf("%w: redis: %s", ErrInvalid, re.Error())
	}
	return fmt.Errorf("%w: redis: %v", ErrUnavailable, err)
}
