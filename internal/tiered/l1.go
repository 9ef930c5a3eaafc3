package tiered

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"
)

// l1Shards spreads the cache's locks; a power of two.
const l1Shards = 64

// l1 is the in-process cache: point values and prefix scans, each tagged
// with the commit that wrote it.
//
// A reader takes a token before it reads Redis or MongoDB and fills the
// cache only if no invalidation touched the key's shard (or, for a scan,
// the key's bucket) since: so a value read before a commit can never land
// in the cache after that commit's invalidation. Entries older than maxAge
// are not served, so even a lost invalidation cannot serve a stale value
// for longer than that.
type l1 struct {
	maxAge   time.Duration
	capShard int64 // bytes per shard
	seed     maphash.Seed
	shards   [l1Shards]l1Shard
	scans    scanCache
}

type l1Shard struct {
	gen   atomic.Uint64 // bumped by every invalidation and flush
	mu    sync.Mutex
	items map[string]l1Item
	bytes int64
}

// l1Item is a cached value; present false caches that the key is absent.
type l1Item struct {
	val     []byte
	seq     uint64 // commit that wrote it; 0 when unknown
	present bool
	at      time.Time
}

// itemOverhead approximates the map entry and item headers.
const itemOverhead = 96

func newL1(capBytes int64, maxAge time.Duration) *l1 {
	c := &l1{maxAge: maxAge, capShard: max(capBytes*3/4/l1Shards, 1), seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].items = map[string]l1Item{}
	}
	c.scans = scanCache{max: max(capBytes/4, 1), gens: map[string]uint64{}, lens: map[string]map[int]bool{},
		items: map[string]scanItem{}}
	return c
}

// cacheKey names a key of a bucket in the cache and in Redis.
func cacheKey(bucket string, key []byte) string { return bucket + "\x00" + string(key) }

func (c *l1) shard(k string) *l1Shard {
	return &c.shards[maphash.String(c.seed, k)&(l1Shards-1)]
}

// get returns the cached item of k unless it is missing or too old.
func (c *l1) get(k string) (l1Item, bool) {
	s := c.shard(k)
	s.mu.Lock()
	it, ok := s.items[k]
	s.mu.Unlock()
	if !ok || time.Since(it.at) > c.maxAge {
		return l1Item{}, false
	}
	return it, true
}

// token returns what fill needs to tell whether k was invalidated since.
func (c *l1) token(k string) uint64 { return c.shard(k).gen.Load() }

// fill caches it at k unless an invalidation touched k's shard since token.
func (c *l1) fill(k string, it l1Item, token uint64) {
	s := c.shard(k)
	s.mu.Lock()
	if s.gen.Load() == token {
		c.store(s, k, it)
	}
	s.mu.Unlock()
}

// set caches a value this host just committed, refusing fills that began
// before it.
func (c *l1) set(k string, it l1Item) {
	s := c.shard(k)
	s.mu.Lock()
	s.gen.Add(1)
	c.store(s, k, it)
	s.mu.Unlock()
}

// store puts it at k in s, locked, evicting arbitrary entries when the
// shard is over its share.
func (c *l1) store(s *l1Shard, k string, it l1Item) {
	if old, ok := s.items[k]; ok {
		s.bytes -= int64(len(k) + len(old.val) + itemOverhead)
	}
	s.items[k] = it
	s.bytes += int64(len(k) + len(it.val) + itemOverhead)
	for victim, v := range s.items {
		if s.bytes <= c.capShard {
			break
		}
		delete(s.items, victim)
		s.bytes -= int64(len(victim) + len(v.val) + itemOverhead)
	}
}

// invalidate drops the cached value of key, unless it is already from
// commit seq or later, and the cached scans that could hold key. It reports
// whether a value was dropped.
func (c *l1) invalidate(bucket string, key []byte, seq uint64) bool {
	k := cacheKey(bucket, key)
	s := c.shard(k)
	s.mu.Lock()
	s.gen.Add(1)
	it, ok := s.items[k]
	drop := ok && (it.seq < seq || seq == 0)
	if drop {
		delete(s.items, k)
		s.bytes -= int64(len(k) + len(it.val) + itemOverhead)
	}
	s.mu.Unlock()
	c.scans.invalidate(bucket, key)
	return drop
}

// flush empties the cache.
func (c *l1) flush() {
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		s.gen.Add(1)
		clear(s.items)
		s.bytes = 0
		s.mu.Unlock()
	}
	c.scans.flush()
}

// kv is one result of a scan.
type kv struct{ k, v []byte }

// scanCache caches prefix scans per bucket. An invalidation of a key drops
// every cached scan whose prefix the key starts with.
type scanCache struct {
	mu    sync.Mutex
	gens  map[string]uint64       // per bucket, bumped by invalidations
	lens  map[string]map[int]bool // per bucket, the prefix lengths cached
	items map[string]scanItem     // cacheKey(bucket, prefix) → result
	bytes int64
	max   int64
	epoch uint64 // bumped by flush
}

type scanItem struct {
	kvs  []kv
	size int64
	at   time.Time
}

// scanToken is what fill needs to tell whether bucket changed since.
type scanToken struct{ gen, epoch uint64 }

func (s *scanCache) token(bucket string) scanToken {
	s.mu.Lock()
	defer s.mu.Unlock()
	return scanToken{s.gens[bucket], s.epoch}
}

func (s *scanCache) get(bucket string, prefix []byte, maxAge time.Duration) ([]kv, bool) {
	s.mu.Lock()
	it, ok := s.items[cacheKey(bucket, prefix)]
	s.mu.Unlock()
	if !ok || time.Since(it.at) > maxAge {
		return nil, false
	}
	return it.kvs, true
}

func (s *scanCache) fill(bucket string, prefix []byte, kvs []kv, tok scanToken) {
	size := int64(itemOverhead + len(bucket) + len(prefix))
	for _, e := range kvs {
		size += int64(len(e.k) + len(e.v) + 48)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if size > s.max/4 || s.gens[bucket] != tok.gen || s.epoch != tok.epoch {
		return
	}
	k := cacheKey(bucket, prefix)
	if old, ok := s.items[k]; ok {
		s.bytes -= old.size
	}
	s.items[k] = scanItem{kvs: kvs, size: size, at: time.Now()}
	s.bytes += size
	if s.lens[bucket] == nil {
		s.lens[bucket] = map[int]bool{}
	}
	s.lens[bucket][len(prefix)] = true
	for victim, v := range s.items {
		if s.bytes <= s.max {
			break
		}
		delete(s.items, victim)
		s.bytes -= v.size
	}
}

func (s *scanCache) invalidate(bucket string, key []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gens[bucket]++
	for l := range s.lens[bucket] {
		if l > len(key) {
			continue
		}
		k := cacheKey(bucket, key[:l])
		if it, ok := s.items[k]; ok {
			delete(s.items, k)
			s.bytes -= it.size
		}
	}
}

func (s *scanCache) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.epoch++
	clear(s.items)
	clear(s.lens)
	s.bytes = 0
}
