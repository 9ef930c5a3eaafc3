package fakehost

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/walkerhost/walkerhost/abi"
)

// kvStore is one fake database: Redis keys, or MongoDB collections (whose
// "kv" collection holds the keys of the methods both kinds have).
type kvStore struct {
	kind  string
	keys  map[string]kvEntry
	colls map[string][]map[string]any
}

type kvEntry struct {
	val     any
	expires int64 // Unix nanoseconds; 0: never
}

// kvMethods maps each operation to its name and the kind it needs.
var kvMethods = map[int32][2]string{
	abi.KVGet: {"get", ""}, abi.KVSet: {"set", ""}, abi.KVDelete: {"delete", ""}, abi.KVExists: {"exists", ""},
	abi.KVFindOne: {"find_one", abi.KindMongoDB}, abi.KVFind: {"find", abi.KindMongoDB},
	abi.KVInsertOne: {"insert_one", abi.KindMongoDB}, abi.KVInsertMany: {"insert_many", abi.KindMongoDB},
	abi.KVUpdateOne: {"update_one", abi.KindMongoDB}, abi.KVUpdateMany: {"update_many", abi.KindMongoDB},
	abi.KVDeleteOne: {"delete_one", abi.KindMongoDB}, abi.KVDeleteMany: {"delete_many", abi.KindMongoDB},
	abi.KVFindByID: {"find_by_id", abi.KindMongoDB}, abi.KVUpdateByID: {"update_by_id", abi.KindMongoDB},
	abi.KVDeleteByID: {"delete_by_id", abi.KindMongoDB},
	abi.KVSetWithTTL: {"set_with_ttl", abi.KindRedis}, abi.KVExpire: {"expire", abi.KindRedis},
	abi.KVIncr: {"incr", abi.KindRedis}, abi.KVScanKeys: {"scan_keys", abi.KindRedis},
}

// kvErr is a refusal: the errno and the message.
type kvErr struct {
	e   abi.Errno
	msg string
}

func badArg(format string, args ...any) *kvErr {
	return &kvErr{abi.ErrBadArgument, "kv: " + fmt.Sprintf(format, args...)}
}

// KVCall is kv_call on in-memory stores. A URI is accepted when it is
// empty or listed in KVURIs.
func (h *Host) KVCall(op int32, args, buf []byte) int32 {
	l, err := callArgs(args)
	if err != nil || len(l) < 3 {
		return h.fail(abi.ErrBadArgument, "kv_call: malformed arguments")
	}
	method, ok := kvMethods[op]
	if !ok {
		return h.fail(abi.ErrBadArgument, "kv_call: unknown operation "+strconv.Itoa(int(op)))
	}
	st, ke := h.kvOpen(l)
	if ke == nil && method[1] != "" && method[1] != st.kind {
		ke = &kvErr{abi.ErrUnsupported, "kv: " + method[0] + " is not supported for " + kindName(st.kind) +
			" (it is a " + kindName(method[1]) + " method)"}
	}
	var v any
	if ke == nil {
		v, ke = h.kvRun(st, op, l[3:])
	}
	if ke != nil {
		return h.fail(ke.e, ke.msg)
	}
	return h.reply(v, buf)
}

func kindName(kind string) string {
	if kind == abi.KindMongoDB {
		return "MongoDB"
	}
	return "Redis"
}

func (h *Host) kvOpen(l []any) (*kvStore, *kvErr) {
	kind, _ := l[0].(string)
	db, _ := l[1].(string)
	uri, _ := l[2].(string)
	if kind != abi.KindRedis && kind != abi.KindMongoDB {
		return nil, badArg("kind %q: want redis or mongodb", kind)
	}
	if db == "" || len(db) > 64 || strings.Trim(db, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != "" {
		return nil, badArg("database name %q", db)
	}
	if uri != "" && !slices.Contains(h.KVURIs, uri) {
		return nil, &kvErr{abi.ErrDenied, "kv: uri not allowed"}
	}
	if h.kv == nil {
		h.kv = map[string]*kvStore{}
	}
	key := kind + "\x00" + db
	if h.kv[key] == nil {
		h.kv[key] = &kvStore{kind: kind, keys: map[string]kvEntry{}, colls: map[string][]map[string]any{}}
	}
	return h.kv[key], nil
}

func (h *Host) kvRun(st *kvStore, op int32, l []any) (any, *kvErr) {
	if st.kind == abi.KindMongoDB && op <= abi.KVExists {
		return h.mongoCommon(st, op, l)
	}
	switch op {
	case abi.KVGet, abi.KVSet, abi.KVDelete, abi.KVExists, abi.KVSetWithTTL, abi.KVExpire, abi.KVIncr, abi.KVScanKeys:
		return h.redis(st, op, l)
	}
	return h.mongo(st, op, l)
}

// redis serves the Redis methods. Values are kept decoded.
func (h *Host) redis(st *kvStore, op int32, l []any) (any, *kvErr) {
	now := h.now()
	for k, e := range st.keys {
		if e.expires != 0 && e.expires <= now {
			delete(st.keys, k)
		}
	}
	if op == abi.KVScanKeys {
		pattern, _ := str(l, 0)
		if pattern == "" {
			pattern = "*"
		}
		keys := []string{}
		for k := range st.keys {
			if glob(pattern, k) {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		return keys, nil
	}
	key, ok := str(l, 0)
	if !ok || key == "" {
		return nil, badArg("a key must be a non-empty string")
	}
	e, has := st.keys[key]
	switch op {
	case abi.KVGet:
		return e.val, nil
	case abi.KVSet, abi.KVSetWithTTL:
		if len(l) < 2 || abi.HasRef(l[1]) {
			return nil, badArg("a value without nodes or edges is needed")
		}
		e = kvEntry{val: l[1]}
		if op == abi.KVSetWithTTL {
			ttl, ok := integer(l, 2)
			if !ok || ttl < 1 {
				return nil, badArg("ttl must be at least 1 second")
			}
			e.expires = now + ttl*1e9
		}
		st.keys[key] = e
		return nil, nil
	case abi.KVDelete:
		delete(st.keys, key)
		return has, nil
	case abi.KVExists:
		return has, nil
	case abi.KVExpire:
		sec, ok := integer(l, 1)
		if !ok || sec < 1 {
			return nil, badArg("seconds must be at least 1")
		}
		if has {
			e.expires = now + sec*1e9
			st.keys[key] = e
		}
		return has, nil
	}
	n, ok := integer(l, 1)
	cur, isInt := e.val.(int64)
	if !ok || (has && !isInt) {
		return nil, badArg("redis: ERR value is not an integer or out of range")
	}
	st.keys[key] = kvEntry{val: cur + n, expires: e.expires}
	return cur + n, nil
}

// glob matches a Redis pattern with * and ?.
func glob(pattern, s string) bool {
	if pattern == "" {
		return s == ""
	}
	switch pattern[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if glob(pattern[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && glob(pattern[1:], s[1:])
	}
	return s != "" && s[0] == pattern[0] && glob(pattern[1:], s[1:])
}

// mongoCommon serves get, set, delete and exists on the "kv" collection.
func (h *Host) mongoCommon(st *kvStore, op int32, l []any) (any, *kvErr) {
	key, ok := str(l, 0)
	if !ok || key == "" {
		return nil, badArg("a key must be a non-empty string")
	}
	docs := st.colls["kv"]
	i := slices.IndexFunc(docs, func(d map[string]any) bool { return d["_id"] == key })
	switch op {
	case abi.KVGet:
		if i < 0 {
			return nil, nil
		}
		return docs[i]["value"], nil
	case abi.KVSet:
		if len(l) < 2 || abi.HasRef(l[1]) {
			return nil, badArg("a value without nodes or edges is needed")
		}
		if i < 0 {
			st.colls["kv"] = append(docs, map[string]any{"_id": key, "value": l[1]})
		} else {
			docs[i]["value"] = l[1]
		}
		return nil, nil
	case abi.KVDelete:
		if i >= 0 {
			st.colls["kv"] = slices.Delete(docs, i, i+1)
		}
		return i >= 0, nil
	}
	return i >= 0, nil
}

// compareValues orders two values of the same kind for $gt and sort:
// numbers numerically, strings bytewise. ok is false across kinds.
func compareValues(a, b any) (int, bool) {
	fa, aNum := number(a)
	fb, bNum := number(b)
	if aNum && bNum {
		switch {
		case fa < fb:
			return -1, true
		case fa > fb:
			return 1, true
		}
		return 0, true
	}
	sa, aStr := a.(string)
	sb, bStr := b.(string)
	if aStr && bStr {
		return strings.Compare(sa, sb), true
	}
	return 0, false
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, !math.IsNaN(x)
	}
	return 0, false
}
