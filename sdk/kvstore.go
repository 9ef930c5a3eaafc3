package sdk

import "github.com/walkerhost/walkerhost/abi"

// KVKind is the kind of a key-value store.
type KVKind string

// The kinds of key-value store.
const (
	Redis   KVKind = abi.KindRedis
	MongoDB KVKind = abi.KindMongoDB
)

// KV is a key-value store of the app (kv_call, ABI.md "Key-value stores"),
// named by its database name. The host keeps every app's stores apart, so
// the same name in another app is another store. A KV holds no
// connection: it may be kept in a package variable and used in any
// request.
//
// Get, Set, Delete and Exists work on both kinds. The MongoDB methods on a
// Redis store, and the Redis methods on a MongoDB store, fail with
// ErrUnsupported ("find_one is not supported for Redis").
type KV struct {
	db   string
	kind KVKind
	uri  string
}

// KVStore returns the store named db (1-64 of A-Z a-z 0-9 _ -) of the given
// kind, on the server the host is configured with, or on the server at
// uri when given: the host accepts only URIs its operator configured or
// allowed, and refuses others with ErrDenied.
func KVStore(db string, kind KVKind, uri ...string) KV {
	kv := KV{db: db, kind: kind}
	if len(uri) > 0 {
		kv.uri = uri[0]
	}
	return kv
}

// Name returns the store's database name; Kind its kind.
func (kv KV) Name() string { return kv.db }
func (kv KV) Kind() KVKind { return kv.kind }

// args starts the arguments of a call: the store, then n more.
func (kv KV) args(n int) *args {
	a := newArgs(3 + n).str(string(kv.kind)).str(kv.db)
	if kv.uri == "" {
		return a.val(nil)
	}
	return a.str(kv.uri)
}

func (kv KV) call(code int32, name string, a *args) (any, error) {
	return a.decoded(hostKVCall, code, "kv "+name)
}

// Get returns the value under key, or nil when there is none.
func (kv KV) Get(key string) (any, error) {
	return kv.call(abi.KVGet, "get", kv.args(1).str(key))
}

// Set stores value under key: nil, bool, int, int64, float64, string,
// []any, []string or map[string]any, nested freely (not nodes or edges).
// On Redis it replaces any expiry the key had.
func (kv KV) Set(key string, value any) error {
	_, err := kv.call(abi.KVSet, "set", kv.args(2).str(key).val(value))
	return err
}

// Delete removes key and reports whether it existed.
func (kv KV) Delete(key string) (bool, error) {
	v, err := kv.call(abi.KVDelete, "delete", kv.args(1).str(key))
	return asBool("kv delete", v, err)
}

// Exists reports whether key exists.
func (kv KV) Exists(key string) (bool, error) {
	v, err := kv.call(abi.KVExists, "exists", kv.args(1).str(key))
	return asBool("kv exists", v, err)
}

// SetWithTTL stores value under key for ttl seconds (Redis).
func (kv KV) SetWithTTL(key string, value any, ttl int) error {
	_, err := kv.call(abi.KVSetWithTTL, "set_with_ttl", kv.args(3).str(key).val(value).val(ttl))
	return err
}

// Expire makes key expire in seconds and reports whether the key exists
// (Redis).
func (kv KV) Expire(key string, seconds int) (bool, error) {
	v, err := kv.call(abi.KVExpire, "expire", kv.args(2).str(key).val(seconds))
	return asBool("kv expire", v, err)
}

// Incr adds 1 to the integer under key (a missing key counts as 0) and
// returns the new value (Redis).
func (kv KV) Incr(key string) (int64, error) { return kv.IncrBy(key, 1) }

// IncrBy adds n, which may be negative, like Incr (Redis).
func (kv KV) IncrBy(key string, n int64) (int64, error) {
	v, err := kv.call(abi.KVIncr, "incr", kv.args(2).str(key).val(n))
	return asInt("kv incr", v, err)
}

// ScanKeys returns the keys matching a Redis glob pattern ("" or "*" for
// all), sorted (Redis).
func (kv KV) ScanKeys(pattern string) ([]string, error) {
	v, err := kv.call(abi.KVScanKeys, "scan_keys", kv.args(1).str(pattern))
	return asStrings("kv scan_keys", v, err)
}

// A filter (MongoDB) is a map: field: value for equality, field: {op:
// value} with op one of $eq $ne $gt $gte $lt $lte $in, and "$and" / "$or"
// with a list of filters. Fields may be dotted ("address.city"). Any other
// operator fails with ErrBadArgument. A nil filter matches everything. An
// update is {"$set": {field: value, ...}}.

// FindOne returns the first document matching filter, or nil (MongoDB).
func (kv KV) FindOne(collection string, filter map[string]any) (map[string]any, error) {
	v, err := kv.call(abi.KVFindOne, "find_one", kv.args(2).str(collection).val(filter))
	return asDoc("kv find_one", v, err)
}

// FindOptions narrow Find: Limit 0 means no limit; Sort lists fields,
// "-field" for descending order.
type FindOptions struct {
	Limit, Skip int
	Sort        []string
}

// Find returns the documents matching filter (MongoDB).
func (kv KV) Find(collection string, filter map[string]any, opts ...FindOptions) ([]map[string]any, error) {
	o := map[string]any{}
	if len(opts) > 0 {
		if opts[0].Limit != 0 {
			o["limit"] = opts[0].Limit
		}
		if opts[0].Skip != 0 {
			o["skip"] = opts[0].Skip
		}
		if len(opts[0].Sort) > 0 {
			o["sort"] = opts[0].Sort
		}
	}
	v, err := kv.call(abi.KVFind, "find", kv.args(3).str(collection).val(filter).val(o))
	if err != nil {
		return nil, err
	}
	l, ok := v.([]any)
	if !ok {
		return nil, errMalformed("kv find")
	}
	docs := make([]map[string]any, len(l))
	for i, e := range l {
		if docs[i], ok = e.(map[string]any); !ok {
			return nil, errMalformed("kv find")
		}
	}
	return docs, nil
}

// InsertOne inserts doc and returns its _id: the one it has (a string or
// an int), or a new one the host gives it (MongoDB).
func (kv KV) InsertOne(collection string, doc map[string]any) (any, error) {
	return kv.call(abi.KVInsertOne, "insert_one", kv.args(2).str(collection).val(doc))
}

// InsertMany inserts docs in order and returns their _ids (MongoDB).
func (kv KV) InsertMany(collection string, docs []map[string]any) ([]any, error) {
	l := make([]any, len(docs))
	for i, d := range docs {
		l[i] = d
	}
	v, err := kv.call(abi.KVInsertMany, "insert_many", kv.args(2).str(collection).val(l))
	if err != nil {
		return nil, err
	}
	ids, ok := v.([]any)
	if !ok {
		return nil, errMalformed("kv insert_many")
	}
	return ids, nil
}

// UpdateResult says how many documents an update matched and changed.
type UpdateResult struct{ Matched, Modified int64 }

func asUpdate(op string, v any, err error) (UpdateResult, error) {
	m, err := asDoc(op, v, err)
	if err != nil {
		return UpdateResult{}, err
	}
	matched, ok1 := m["matched"].(int64)
	modified, ok2 := m["modified"].(int64)
	if !ok1 || !ok2 {
		return UpdateResult{}, errMalformed(op)
	}
	return UpdateResult{matched, modified}, nil
}

// UpdateOne applies update to the first document matching filter
// (MongoDB).
func (kv KV) UpdateOne(collection string, filter, update map[string]any) (UpdateResult, error) {
	v, err := kv.call(abi.KVUpdateOne, "update_one", kv.args(3).str(collection).val(filter).val(update))
	return asUpdate("kv update_one", v, err)
}

// UpdateMany applies update to every document matching filter (MongoDB).
func (kv KV) UpdateMany(collection string, filter, update map[string]any) (UpdateResult, error) {
	v, err := kv.call(abi.KVUpdateMany, "update_many", kv.args(3).str(collection).val(filter).val(update))
	return asUpdate("kv update_many", v, err)
}

// DeleteOne deletes the first document matching filter and returns how
// many it deleted (MongoDB).
func (kv KV) DeleteOne(collection string, filter map[string]any) (int64, error) {
	v, err := kv.call(abi.KVDeleteOne, "delete_one", kv.args(2).str(collection).val(filter))
	return asInt("kv delete_one", v, err)
}

// DeleteMany deletes every document matching filter (MongoDB).
func (kv KV) DeleteMany(collection string, filter map[string]any) (int64, error) {
	v, err := kv.call(abi.KVDeleteMany, "delete_many", kv.args(2).str(collection).val(filter))
	return asInt("kv delete_many", v, err)
}

// FindByID returns the document whose _id is id (a string or an int), or
// nil (MongoDB).
func (kv KV) FindByID(collection string, id any) (map[string]any, error) {
	v, err := kv.call(abi.KVFindByID, "find_by_id", kv.args(2).str(collection).val(id))
	return asDoc("kv find_by_id", v, err)
}

// UpdateByID applies update to the document whose _id is id (MongoDB).
func (kv KV) UpdateByID(collection string, id any, update map[string]any) (UpdateResult, error) {
	v, err := kv.call(abi.KVUpdateByID, "update_by_id", kv.args(3).str(collection).val(id).val(update))
	return asUpdate("kv update_by_id", v, err)
}

// DeleteByID deletes the document whose _id is id and reports whether
// there was one (MongoDB).
func (kv KV) DeleteByID(collection string, id any) (bool, error) {
	v, err := kv.call(abi.KVDeleteByID, "delete_by_id", kv.args(2).str(collection).val(id))
	return asBool("kv delete_by_id", v, err)
}
