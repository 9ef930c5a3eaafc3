package sandbox

import (
	"context"
	"errors"
	"fmt"

	"github.com/tetratelabs/wazero/api"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/kv"
)

// kv_call (abi/ABI.md "Key-value stores"): one operation on a store of the
// app, named by the first three arguments.

// kvOp is one operation: its name, the kind of store it needs ("" for
// both) and what it does with the arguments after the store.
type kvOp struct {
	name string
	kind string
	run  func(c *kvCall) (any, error)
}

type kvCall struct {
	ctx context.Context
	st  kv.Store
	a   *opArgs
	max int64 // bytes a result may take
}

func (c *kvCall) redis() *kv.Redis { return c.st.(*kv.Redis) }
func (c *kvCall) mongo() *kv.Mongo { return c.st.(*kv.Mongo) }

// done checks that every argument was read, then runs do.
func done[T any](c *kvCall, do func() (T, error)) (any, error) {
	if err := c.a.done(); err != nil {
		return nil, err
	}
	return do()
}

var kvOps = map[int32]kvOp{
	abi.KVGet: {"get", "", func(c *kvCall) (any, error) {
		k := c.a.str()
		return done(c, func() (any, error) { return c.st.Get(c.ctx, k) })
	}},
	abi.KVSet: {"set", "", func(c *kvCall) (any, error) {
		k, v := c.a.str(), c.a.value()
		return done(c, func() (any, error) { return nil, c.st.Set(c.ctx, k, v) })
	}},
	abi.KVDelete: {"delete", "", func(c *kvCall) (any, error) {
		k := c.a.str()
		return done(c, func() (bool, error) { return c.st.Delete(c.ctx, k) })
	}},
	abi.KVExists: {"exists", "", func(c *kvCall) (any, error) {
		k := c.a.str()
		return done(c, func() (bool, error) { return c.st.Exists(c.ctx, k) })
	}},

	abi.KVFindOne: {"find_one", abi.KindMongoDB, func(c *kvCall) (any, error) {
		coll, f := c.a.str(), c.a.value()
		return done(c, func() (any, error) { return doc(c.mongo().FindOne(c.ctx, coll, f)) })
	}},
	abi.KVFind: {"find", abi.KindMongoDB, func(c *kvCall) (any, error) {
		coll, f, o := c.a.str(), c.a.value(), c.a.value()
		return done(c, func() ([]any, error) {
			opts, err := kv.ParseFindOptions(o)
			if err != nil {
				return nil, err
			}
			return c.mongo().Find(c.ctx, coll, f, opts, int(c.max))
		})
	}},
	abi.KVInsertOne: {"insert_one", abi.KindMongoDB, func(c *kvCall) (any, error) {
		coll, doc := c.a.str(), c.a.value()
		return done(c, func() (any, error) { return c.mongo().InsertOne(c.ctx, coll, doc) })
	}},
	abi.KVInsertMany: {"insert_many", abi.KindMongoDB, func(c *kvCall) (any, error) {
		coll, docs := c.a.str(), c.a.list()
		return done(c, func() ([]any, error) { return c.mongo().InsertMany(c.ctx, coll, docs) })
	}},
	abi.KVUpdateOne:  {"update_one", abi.KindMongoDB, kvUpdate((*kv.Mongo).UpdateOne)},
	abi.KVUpdateMany: {"update_many", abi.KindMongoDB, kvUpdate((*kv.Mongo).UpdateMany)},
	abi.KVDeleteOne:  {"delete_one", abi.KindMongoDB, kvDelete((*kv.Mongo).DeleteOne)},
	abi.KVDeleteMany: {"delete_many", abi.KindMongoDB, kvDelete((*kv.Mongo).DeleteMany)},
	abi.KVFindByID: {"find_by_id", abi.KindMongoDB, func(c *kvCall) (any, error) {
		coll, id := c.a.str(), c.a.value()
		return done(c, func() (any, error) { return doc(c.mongo().FindByID(c.ctx, coll, id)) })
	}},
	abi.KVUpdateByID: {"update_by_id", abi.KindMongoDB, kvUpdate((*kv.Mongo).UpdateByID)},
	abi.KVDeleteByID: {"delete_by_id", abi.KindMongoDB, func(c *kvCall) (any, error) {
		coll, id := c.a.str(), c.a.value()
		return done(c, func() (bool, error) { return c.mongo().DeleteByID(c.ctx, coll, id) })
	}},

	abi.KVSetWithTTL: {"set_with_ttl", abi.KindRedis, func(c *kvCall) (any, error) {
		k, v, ttl := c.a.str(), c.a.value(), c.a.int()
		return done(c, func() (any, error) { return nil, c.redis().SetWithTTL(c.ctx, k, v, ttl) })
	}},
	abi.KVExpire: {"expire", abi.KindRedis, func(c *kvCall) (any, error) {
		k, sec := c.a.str(), c.a.int()
		return done(c, func() (bool, error) { return c.redis().Expire(c.ctx, k, sec) })
	}},
	abi.KVIncr: {"incr", abi.KindRedis, func(c *kvCall) (any, error) {
		k, n := c.a.str(), c.a.int()
		return done(c, func() (int64, error) { return c.redis().Incr(c.ctx, k, n) })
	}},
	abi.KVScanKeys: {"scan_keys", abi.KindRedis, func(c *kvCall) (any, error) {
		pattern := c.a.str()
		return done(c, func() ([]string, error) { return c.redis().ScanKeys(c.ctx, pattern) })
	}},
}

// doc is a document result: null for none, where a nil map would encode as
// an empty one.
func doc(d map[string]any, err error) (any, error) {
	if d == nil {
		return nil, err
	}
	return d, err
}

// kvUpdate is the operation of an update by filter or by id: collection,
// filter or id, update.
func kvUpdate(fn func(*kv.Mongo, context.Context, string, any, any) (kv.UpdateResult, error)) func(*kvCall) (any, error) {
	return func(c *kvCall) (any, error) {
		coll, f, u := c.a.str(), c.a.value(), c.a.value()
		return done(c, func() (any, error) {
			r, err := fn(c.mongo(), c.ctx, coll, f, u)
			return map[string]any{"matched": r.Matched, "modified": r.Modified}, err
		})
	}
}

// kvDelete is the operation of a delete by filter: collection, filter.
func kvDelete(fn func(*kv.Mongo, context.Context, string, any) (int64, error)) func(*kvCall) (any, error) {
	return func(c *kvCall) (any, error) {
		coll, f := c.a.str(), c.a.value()
		return done(c, func() (int64, error) { return fn(c.mongo(), c.ctx, coll, f) })
	}
}

func kvCallFn(ctx context.Context, _ api.Module, stack []uint64) {
	s := enter(ctx)
	op, ok := kvOps[s32(stack[0])]
	if !ok {
		stack[0] = s.fail(abi.ErrBadArgument, fmt.Errorf("sandbox: kv_call: unknown operation %d", s32(stack[0])))
		return
	}
	a := newOpArgs(s.read(abi.FuncKVCall, u32(stack[1]), u32(stack[2])), "kv_call "+op.name)
	kind, db, uri := a.str(), a.str(), a.optStr()
	if a.err != nil {
		stack[0] = s.fail(abi.ErrBadArgument, a.err)
		return
	}
	svc := s.inst.m.engine.kv
	if svc == nil || s.app == "" {
		stack[0] = s.fail(abi.ErrUnavailable, errors.New("sandbox: kv_call: this host has no key-value stores"))
		return
	}
	st, err := svc.Open(s.app, kind, db, uri, s.limits().KVValueBytes)
	if err != nil {
		stack[0] = s.failKV(err)
		return
	}
	if op.kind != "" && op.kind != st.Kind() {
		stack[0] = s.failKV(&kv.UnsupportedError{Method: op.name, Kind: st.Kind()})
		return
	}
	cctx, cancel := context.WithDeadline(context.Background(), s.deadline)
	defer cancel()
	v, err := op.run(&kvCall{ctx: cctx, st: st, a: a, max: s.maxResult()})
	if err != nil {
		stack[0] = s.failKV(err)
		return
	}
	out, err := abi.AppendValue(s.scratch[:0], v)
	s.scratch = out
	switch {
	case err != nil:
		stack[0] = s.fail(abi.ErrBadArgument, fmt.Errorf("sandbox: kv_call %s: result: %w", op.name, err))
	case int64(len(out)) > s.maxResult():
		stack[0] = s.fail(abi.ErrTooLarge, fmt.Errorf("%w: %d bytes, more than the guest's memory limit", kv.ErrTooLarge, len(out)))
	default:
		stack[0] = s.give(abi.FuncKVCall, u32(stack[3]), u32(stack[4]), out)
	}
}

// failKV maps a key-value store error to its errno.
func (s *session) failKV(err error) uint64 {
	switch {
	case errors.Is(err, kv.ErrValueTooLarge):
		s.stop(&LimitError{Limit: "kv_value", Value: fmt.Sprintf("%d bytes", s.limits().KVValueBytes)})
	case errors.Is(err, kv.ErrDenied):
		return s.fail(abi.ErrDenied, err)
	case errors.Is(err, kv.ErrUnsupported):
		return s.fail(abi.ErrUnsupported, err)
	case errors.Is(err, kv.ErrUnavailable):
		return s.fail(abi.ErrUnavailable, err)
	case errors.Is(err, kv.ErrTooLarge):
		return s.fail(abi.ErrTooLarge, err)
	}
	return s.fail(abi.ErrBadArgument, err) // kv.ErrInvalid and malformed arguments
}
