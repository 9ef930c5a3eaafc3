// Package kvstore is the key-value store capability: kv_call, the app's
// Redis and MongoDB stores (abi/ABI.md "Key-value stores").
package kvstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/capability"
	"github.com/walkerhost/walkerhost/internal/kv"
)

// KVStore is the capability. New(nil) is a host without key-value stores:
// kv_call answers ErrUnavailable.
type KVStore struct{ svc *kv.Service }

// New returns the capability serving svc; nil serves no stores.
func New(svc *kv.Service) *KVStore { return &KVStore{svc: svc} }

// Name is "kvstore".
func (*KVStore) Name() string { return "kvstore" }

// Funcs is kv_call.
func (k *KVStore) Funcs() []capability.Func {
	return []capability.Func{{Name: abi.FuncKVCall, Params: capability.I32(5), Results: capability.I32(1), Fn: k.call}}
}

// Errnos map the errors of package kv (abi/ABI.md "Key-value stores",
// errors); kv.ErrInvalid and malformed arguments are ErrBadArgument.
func (*KVStore) Errnos() []capability.Errno {
	return []capability.Errno{
		{Err: kv.ErrValueTooLarge, Limit: "kv_value", Value: func(l capability.Limits) string { return fmt.Sprintf("%d bytes", l.KVValueBytes) }},
		{Err: kv.ErrDenied, Errno: abi.ErrDenied},
		{Err: kv.ErrUnsupported, Errno: abi.ErrUnsupported},
		{Err: kv.ErrUnavailable, Errno: abi.ErrUnavailable},
		{Err: kv.ErrTooLarge, Errno: abi.ErrTooLarge},
	}
}

// op is one operation: its name, the kind of store it needs ("" for
// both) and what it does with the arguments after the store.
type op struct {
	name string
	kind string
	run  func(c *opCall) (any, error)
}

// opCall is one kv_call being served.
type opCall struct {
	ctx context.Context
	st  kv.Store
	a   *capability.Args
	max int64 // bytes a result may take
}

func (c *opCall) redis() *kv.Redis { return c.st.(*kv.Redis) }
func (c *opCall) mongo() *kv.Mongo { return c.st.(*kv.Mongo) }

// done checks that every argument was read, then runs do.
func done[T any](c *opCall, do func() (T, error)) (any, error) {
	if err := c.a.Done(); err != nil {
		return nil, err
	}
	return do()
}

var ops = map[int32]op{
	abi.KVGet: {"get", "", func(c *opCall) (any, error) {
		k := c.a.Str()
		return done(c, func() (any, error) { return c.st.Get(c.ctx, k) })
	}},
	abi.KVSet: {"set", "", func(c *opCall) (any, error) {
		k, v := c.a.Str(), c.a.Value()
		return done(c, func() (any, error) { return nil, c.st.Set(c.ctx, k, v) })
	}},
	abi.KVDelete: {"delete", "", func(c *opCall) (any, error) {
		k := c.a.Str()
		return done(c, func() (bool, error) { return c.st.Delete(c.ctx, k) })
	}},
	abi.KVExists: {"exists", "", func(c *opCall) (any, error) {
		k := c.a.Str()
		return done(c, func() (bool, error) { return c.st.Exists(c.ctx, k) })
	}},

	abi.KVFindOne: {"find_one", abi.KindMongoDB, func(c *opCall) (any, error) {
		coll, f := c.a.Str(), c.a.Value()
		return done(c, func() (any, error) { return doc(c.mongo().FindOne(c.ctx, coll, f)) })
	}},
	abi.KVFind: {"find", abi.KindMongoDB, func(c *opCall) (any, error) {
		coll, f, o := c.a.Str(), c.a.Value(), c.a.Value()
		return done(c, func() ([]any, error) {
			opts, err := kv.ParseFindOptions(o)
			if err != nil {
				return nil, err
			}
			return c.mongo().Find(c.ctx, coll, f, opts, int(c.max))
		})
	}},
	abi.KVInsertOne: {"insert_one", abi.KindMongoDB, func(c *opCall) (any, error) {
		coll, doc := c.a.Str(), c.a.Value()
		return done(c, func() (any, error) { return c.mongo().InsertOne(c.ctx, coll, doc) })
	}},
	abi.KVInsertMany: {"insert_many", abi.KindMongoDB, func(c *opCall) (any, error) {
		coll, docs := c.a.Str(), c.a.List()
		return done(c, func() ([]any, error) { return c.mongo().InsertMany(c.ctx, coll, docs) })
	}},
	abi.KVUpdateOne:  {"update_one", abi.KindMongoDB, update((*kv.Mongo).UpdateOne)},
	abi.KVUpdateMany: {"update_many", abi.KindMongoDB, update((*kv.Mongo).UpdateMany)},
	abi.KVDeleteOne:  {"delete_one", abi.KindMongoDB, deleteBy((*kv.Mongo).DeleteOne)},
	abi.KVDeleteMany: {"delete_many", abi.KindMongoDB, deleteBy((*kv.Mongo).DeleteMany)},
	abi.KVFindByID: {"find_by_id", abi.KindMongoDB, func(c *opCall) (any, error) {
		coll, id := c.a.Str(), c.a.Value()
		return done(c, func() (any, error) { return doc(c.mongo().FindByID(c.ctx, coll, id)) })
	}},
	abi.KVUpdateByID: {"update_by_id", abi.KindMongoDB, update((*kv.Mongo).UpdateByID)},
	abi.KVDeleteByID: {"delete_by_id", abi.KindMongoDB, func(c *opCall) (any, error) {
		coll, id := c.a.Str(), c.a.Value()
		return done(c, func() (bool, error) { return c.mongo().DeleteByID(c.ctx, coll, id) })
	}},

	abi.KVSetWithTTL: {"set_with_ttl", abi.KindRedis, func(c *opCall) (any, error) {
		k, v, ttl := c.a.Str(), c.a.Value(), c.a.Int()
		return done(c, func() (any, error) { return nil, c.redis().SetWithTTL(c.ctx, k, v, ttl) })
	}},
	abi.KVExpire: {"expire", abi.KindRedis, func(c *opCall) (any, error) {
		k, sec := c.a.Str(), c.a.Int()
		return done(c, func() (bool, error) { return c.redis().Expire(c.ctx, k, sec) })
	}},
	abi.KVIncr: {"incr", abi.KindRedis, func(c *opCall) (any, error) {
		k, n := c.a.Str(), c.a.Int()
		return done(c, func() (int64, error) { return c.redis().Incr(c.ctx, k, n) })
	}},
	abi.KVScanKeys: {"scan_keys", abi.KindRedis, func(c *opCall) (any, error) {
		pattern := c.a.Str()
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

// update is the operation of an update by filter or by id: collection,
// filter or id, update.
func update(fn func(*kv.Mongo, context.Context, string, any, any) (kv.UpdateResult, error)) func(*opCall) (any, error) {
	return func(c *opCall) (any, error) {
		coll, f, u := c.a.Str(), c.a.Value(), c.a.Value()
		return done(c, func() (any, error) {
			r, err := fn(c.mongo(), c.ctx, coll, f, u)
			return map[string]any{"matched": r.Matched, "modified": r.Modified}, err
		})
	}
}

// deleteBy is the operation of a delete by filter: collection, filter.
func deleteBy(fn func(*kv.Mongo, context.Context, string, any) (int64, error)) func(*opCall) (any, error) {
	return func(c *opCall) (any, error) {
		coll, f := c.a.Str(), c.a.Value()
		return done(c, func() (int64, error) { return fn(c.mongo(), c.ctx, coll, f) })
	}
}

// call is kv_call (abi/ABI.md "Key-value stores"): one operation on a
// store of the app, named by the first three arguments, (op, args_ptr,
// args_len, buf, cap) -> len.
func (k *KVStore) call(c capability.Call, stack []uint64) {
	o, ok := ops[int32(uint32(stack[0]))]
	if !ok {
		stack[0] = c.FailWith(abi.ErrBadArgument, fmt.Errorf("sandbox: kv_call: unknown operation %d", int32(uint32(stack[0]))))
		return
	}
	a := capability.NewArgs(c.Read(abi.FuncKVCall, uint32(stack[1]), uint32(stack[2])), "kv_call "+o.name)
	kind, db, uri := a.Str(), a.Str(), a.OptStr()
	if err := a.Err(); err != nil {
		stack[0] = c.FailWith(abi.ErrBadArgument, err)
		return
	}
	if k.svc == nil || c.App() == "" {
		stack[0] = c.FailWith(abi.ErrUnavailable, errors.New("sandbox: kv_call: this host has no key-value stores"))
		return
	}
	lim := c.Limits()
	st, err := k.svc.Open(c.App(), kind, db, uri, lim.KVValueBytes)
	if err != nil {
		stack[0] = c.Fail(err)
		return
	}
	if o.kind != "" && o.kind != st.Kind() {
		stack[0] = c.Fail(&kv.UnsupportedError{Method: o.name, Kind: st.Kind()})
		return
	}
	cctx, cancel := context.WithDeadline(context.Background(), c.Deadline())
	defer cancel()
	v, err := o.run(&opCall{ctx: cctx, st: st, a: a, max: lim.MaxResult})
	if err != nil {
		stack[0] = c.Fail(err)
		return
	}
	out, err := abi.AppendValue(c.Scratch()[:0], v)
	c.SetScratch(out)
	switch {
	case err != nil:
		stack[0] = c.FailWith(abi.ErrBadArgument, fmt.Errorf("sandbox: kv_call %s: result: %w", o.name, err))
	case int64(len(out)) > lim.MaxResult:
		stack[0] = c.FailWith(abi.ErrTooLarge, fmt.Errorf("%w: %d bytes, more than the guest's memory limit", kv.ErrTooLarge, len(out)))
	default:
		stack[0] = c.Give(abi.FuncKVCall, uint32(stack[3]), uint32(stack[4]), out)
	}
}

var _ capability.Capability = (*KVStore)(nil)
