package tiered

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis keys, under a prefix naming the MongoDB database, in braces so that
// a Redis Cluster keeps them in one slot, as the scripts need:
//
//	{wh:DB}:lock      the commit lock: a random token, with a time to live
//	{wh:DB}:head      the last announced commit sequence
//	{wh:DB}:epoch     a random id set when the keys above are first made;
//	                  a new one means Redis lost its data
//	{wh:DB}:inv       the invalidation stream: entry SEQ-0 lists the keys
//	                  commit SEQ changed
//	{wh:DB}:v:BUCKET\x00KEY   a cached value (encodeL2)
const (
	streamMaxLen = 10000                  // entries kept in the invalidation stream (about)
	downFor      = 250 * time.Millisecond // how long a failed Redis is left alone
)

// l2 is the Redis tier: cached values, the commit lock and the
// invalidation stream.
type l2 struct {
	c                      *redis.Client
	prefix                 string
	lock, head, epoch, inv string
	ttl                    time.Duration // of cached values
	maxVal                 int           // larger values are not cached
	downUntil              atomic.Int64  // unix nanoseconds; Redis is skipped before
	timeout                time.Duration // of one call
}

func newL2(c *redis.Client, db string, ttl time.Duration, maxVal int, timeout time.Duration) *l2 {
	p := "{wh:" + db + "}:"
	return &l2{c: c, prefix: p, lock: p + "lock", head: p + "head", epoch: p + "epoch", inv: p + "inv",
		ttl: ttl, maxVal: maxVal, timeout: timeout}
}

func (r *l2) valueKey(bucket string, key []byte) string {
	return r.prefix + "v:" + cacheKey(bucket, key)
}

// up reports whether Redis is worth asking: not after a failure in the
// last downFor.
func (r *l2) up() bool { return time.Now().UnixNano() >= r.downUntil.Load() }

// result notes err: a failure other than a missing key makes Redis skipped
// for a while. It returns err wrapped in ErrRedis, or nil.
func (r *l2) result(err error) error {
	if err == nil || errors.Is(err, redis.Nil) {
		r.downUntil.Store(0)
		return nil
	}
	r.downUntil.Store(time.Now().Add(downFor).UnixNano())
	return fmt.Errorf("%w: %w", ErrRedis, err)
}

func (r *l2) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), r.timeout)
}

// get returns the cached value of key; ok false when none is cached.
func (r *l2) get(bucket string, key []byte) (seq uint64, state byte, val []byte, ok bool, err error) {
	ctx, cancel := r.ctx()
	defer cancel()
	b, err := r.c.Get(ctx, r.valueKey(bucket, key)).Bytes()
	if err = r.result(err); err != nil || b == nil {
		return 0, 0, nil, false, err
	}
	seq, state, val, err = decodeL2(b)
	return seq, state, val, err == nil, err
}

// casScript sets a cached value unless the one there is from a later
// commit.
var casScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if cur and tonumber(string.sub(cur, 1, 16), 16) > tonumber(string.sub(ARGV[1], 1, 16), 16) then
	return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`)

// fill caches a value read from MongoDB, unless a newer one is cached.
func (r *l2) fill(bucket string, key []byte, seq uint64, present bool, val []byte) error {
	if len(val) > r.maxVal {
		return nil
	}
	state := byte(l2Absent)
	if present {
		state = l2Present
	}
	ctx, cancel := r.ctx()
	defer cancel()
	err := casScript.Run(ctx, r.c, []string{r.valueKey(bucket, key)}, encodeL2(seq, state, val), int(r.ttl.Seconds())).Err()
	return r.result(err)
}

// acquireScript takes the commit lock, setting the epoch on first use, and
// returns {taken, epoch, head, lock's remaining ms}.
var acquireScript = redis.NewScript(`
local epoch = redis.call('GET', KEYS[2])
if not epoch then
	epoch = ARGV[3]
	redis.call('SET', KEYS[2], epoch)
end
local head = redis.call('GET', KEYS[3]) or '0'
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
	return {1, epoch, head, 0}
end
return {0, epoch, head, redis.call('PTTL', KEYS[1])}`)

// acquire tries once to take the commit lock with token. It returns whether
// it did, the announced head, and how long the current holder keeps it.
func (r *l2) acquire(token, newEpoch string, ttl time.Duration) (bool, uint64, time.Duration, error) {
	ctx, cancel := r.ctx()
	defer cancel()
	res, err := acquireScript.Run(ctx, r.c, []string{r.lock, r.epoch, r.head}, token, ttl.Milliseconds(), newEpoch).Slice()
	if err = r.result(err); err != nil {
		return false, 0, 0, err
	}
	if len(res) != 4 {
		return false, 0, 0, fmt.Errorf("%w: acquire answered %v", ErrRedis, res)
	}
	taken, _ := res[0].(int64)
	head, _ := strconv.ParseUint(fmt.Sprint(res[2]), 10, 64)
	left, _ := res[3].(int64)
	return taken == 1, head, time.Duration(left) * time.Millisecond, nil
}

// extendScript renews the lock when token still holds it.
var extendScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
	redis.call('PEXPIRE', KEYS[1], ARGV[2])
	return 1
end
return 0`)

// extend renews the lock for ttl; false when token no longer holds it.
func (r *l2) extend(token string, ttl time.Duration) (bool, error) {
	ctx, cancel := r.ctx()
	defer cancel()
	n, err := extendScript.Run(ctx, r.c, []string{r.lock}, token, ttl.Milliseconds()).Int()
	return n == 1, r.result(err)
}

// releaseScript drops the lock when token holds it.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
	redis.call('DEL', KEYS[1])
end
return 0`)

func (r *l2) release(token string) error {
	ctx, cancel := r.ctx()
	defer cancel()
	return r.result(releaseScript.Run(ctx, r.c, []string{r.lock}, token).Err())
}

// publishScript announces commit ARGV[1]: it caches each written value
// (KEYS[4..], ARGV[6..]) unless a later one is cached, appends the changed
// keys to the stream and moves the head, unless an announcement of this
// commit or a later one came first, and releases the lock held by ARGV[2].
var publishScript = redis.NewScript(`
local seq = tonumber(ARGV[1])
for i = 4, #KEYS do
	local v = ARGV[i + 2]
	local cur = redis.call('GET', KEYS[i])
	if not cur or tonumber(string.sub(cur, 1, 16), 16) <= seq then
		redis.call('SET', KEYS[i], v, 'EX', ARGV[3])
	end
end
local head = tonumber(redis.call('GET', KEYS[1]) or '0')
if seq > head then
	redis.call('SET', KEYS[1], ARGV[1])
	redis.pcall('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], ARGV[1] .. '-0', 'k', ARGV[5])
end
if ARGV[2] ~= '' and redis.call('GET', KEYS[3]) == ARGV[2] then
	redis.call('DEL', KEYS[3])
end
return 0`)

// publish announces commit seq of ops and releases the lock held by token
// (none when token is empty).
func (r *l2) publish(seq uint64, ops []op, token string) error {
	keys := make([]string, 3, 3+len(ops))
	keys[0], keys[1], keys[2] = r.head, r.inv, r.lock
	args := make([]any, 5, 5+len(ops))
	args[0], args[1], args[2], args[3] = seq, token, int(r.ttl.Seconds()), streamMaxLen
	args[4] = appendKeys(nil, ops)
	for _, o := range ops {
		keys = append(keys, r.valueKey(o.bucket, o.key))
		switch {
		case o.del:
			args = append(args, encodeL2(seq, l2Absent, nil))
		case len(o.val) > r.maxVal:
			args = append(args, encodeL2(seq, l2Stub, nil))
		default:
			args = append(args, encodeL2(seq, l2Present, o.val))
		}
	}
	ctx, cancel := r.ctx()
	defer cancel()
	return r.result(publishScript.Run(ctx, r.c, keys, args...).Err())
}

// entry is one message of the invalidation stream.
type entry struct {
	seq  uint64
	keys []byte // appendKeys encoding
}

// read returns the epoch (empty when unset), up to count entries after
// commit after, and the sequence of the stream's last entry.
func (r *l2) read(after uint64, count int64) (string, []entry, uint64, error) {
	ctx, cancel := r.ctx()
	defer cancel()
	var epoch *redis.StringCmd
	var xr, last *redis.XMessageSliceCmd
	_, err := r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		epoch = p.Get(ctx, r.epoch)
		xr = p.XRangeN(ctx, r.inv, strconv.FormatUint(after+1, 10)+"-0", "+", count)
		last = p.XRevRangeN(ctx, r.inv, "+", "-", 1)
		return nil
	})
	if err = r.result(err); err != nil {
		return "", nil, 0, err
	}
	var out []entry
	for _, m := range xr.Val() {
		seq, err := streamSeq(m.ID)
		if err != nil {
			return "", nil, 0, err
		}
		k, _ := m.Values["k"].(string)
		out = append(out, entry{seq: seq, keys: []byte(k)})
	}
	var lastSeq uint64
	if l := last.Val(); len(l) == 1 {
		if lastSeq, err = streamSeq(l[0].ID); err != nil {
			return "", nil, 0, err
		}
	}
	return epoch.Val(), out, lastSeq, nil
}

// streamSeq is the commit sequence of stream entry id "SEQ-0".
func streamSeq(id string) (uint64, error) {
	for i := 0; i < len(id); i++ {
		if id[i] == '-' {
			if n, err := strconv.ParseUint(id[:i], 10, 64); err == nil {
				return n, nil
			}
			break
		}
	}
	return 0, fmt.Errorf("%w: stream entry id %q", ErrCorrupt, id)
}

func (r *l2) ping(ctx context.Context) error { return r.result(r.c.Ping(ctx).Err()) }
