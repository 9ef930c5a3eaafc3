package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/kv"
	"github.com/walkerhost/walkerhost/internal/testenv"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Key-value stores (docs/KVSTORE.md, abi/ABI.md "Key-value stores") black-box
// over HTTP against guests/kvdemo, on a real Redis and a real FerretDB.

// kvEnv is a kvdemo host and a user of it.
type kvEnv struct {
	t     *testing.T
	h     *testenv.Host
	token string
}

// kvConfig is a test configuration on the given servers (nil: none).
func kvConfig(t *testing.T, r, m *testenv.Server) config.Config {
	cfg := testenv.Config(t)
	if r != nil {
		cfg.RedisURL = r.URL
	}
	if m != nil {
		cfg.MongoURI = m.URL
	}
	return cfg
}

func startKVDemo(t *testing.T, cfg config.Config, app string) *kvEnv {
	t.Helper()
	h := testenv.StartApp(t, cfg, app, "kvdemo", testenv.Guest(t, "kvdemo"))
	return &kvEnv{t: t, h: h, token: testenv.Register(t, h.URL, "ada", "pw-ada")}
}

// outcome is what the kv and store walkers report.
type outcome struct {
	OK    bool   `json:"ok"`
	Value any    `json:"value"`
	Errno string `json:"errno"`
	Error string `json:"error"`
}

// run calls walker with fields and returns its one report.
func (e *kvEnv) run(walker string, fields map[string]any) outcome {
	e.t.Helper()
	p := testenv.Do(e.t, "POST", e.h.URL+"/walker/"+walker, fields, e.token).Walker(e.t)
	if len(p.Reports) != 1 {
		e.t.Fatalf("%s %v reported %v", walker, fields, p.Reports)
	}
	b, _ := json.Marshal(p.Reports[0])
	var o outcome
	if err := json.Unmarshal(b, &o); err != nil {
		e.t.Fatal(err)
	}
	return o
}

func (e *kvEnv) kv(kind, op string, args ...any) outcome {
	e.t.Helper()
	return e.run("kv", map[string]any{"kind": kind, "op": op, "args": args})
}

func (e *kvEnv) store(op string, args ...any) outcome {
	e.t.Helper()
	return e.run("store", map[string]any{"op": op, "args": args})
}

// step is one call of a table: it must succeed with want (JSON), or fail
// with errno and a message containing msg.
type step struct {
	name, op   string
	args       string // a JSON list
	want       string
	errno, msg string
}

func (e *kvEnv) steps(kind string, steps []step) {
	e.t.Helper()
	for _, s := range steps {
		var args []any
		if err := json.Unmarshal([]byte(s.args), &args); err != nil {
			e.t.Fatalf("%s: args: %v", s.name, err)
		}
		var o outcome
		if kind == "store" {
			o = e.store(s.op, args...)
		} else {
			o = e.kv(kind, s.op, args...)
		}
		e.check(kind+" "+s.name, o, s)
	}
}

func (e *kvEnv) check(what string, o outcome, s step) {
	e.t.Helper()
	if s.errno != "" {
		if o.OK || o.Errno != s.errno || !strings.Contains(o.Error, s.msg) {
			e.t.Fatalf("%s: got %+v, want errno %s with %q", what, o, s.errno, s.msg)
		}
		return
	}
	if !o.OK {
		e.t.Fatalf("%s: failed: %+v", what, o)
	}
	assertJSON(e.t, what, o.Value, s.want)
}

func TestKVDemo_Redis(t *testing.T) {
	e := startKVDemo(t, kvConfig(t, testenv.StartRedis(t), nil), "alpha")
	e.steps("redis", []step{
		{name: "get missing", op: "get", args: `["k"]`, want: `null`},
		{name: "set", op: "set", args: `["k", {"a": [1, "x", 2.5, null, true]}]`, want: `null`},
		{name: "get", op: "get", args: `["k"]`, want: `{"a": [1, "x", 2.5, null, true]}`},
		{name: "set replaces", op: "set", args: `["s", "text"]`, want: `null`},
		{name: "exists", op: "exists", args: `["k"]`, want: `true`},
		{name: "exists missing", op: "exists", args: `["none"]`, want: `false`},
		{name: "set_with_ttl", op: "set_with_ttl", args: `["t", "brief", 1]`, want: `null`},
		{name: "get before expiry", op: "get", args: `["t"]`, want: `"brief"`},
		{name: "expire", op: "expire", args: `["s", 1]`, want: `true`},
		{name: "expire missing", op: "expire", args: `["none", 5]`, want: `false`},
		{name: "incr new", op: "incr", args: `["n"]`, want: `1`},
		{name: "incr by", op: "incr", args: `["n", 41]`, want: `42`},
		{name: "incr down", op: "incr", args: `["n", -2]`, want: `40`},
		{name: "get counter", op: "get", args: `["n"]`, want: `40`},
		{name: "scan all", op: "scan_keys", args: `["*"]`, want: `["k", "n", "s", "t"]`},
		{name: "scan pattern", op: "scan_keys", args: `["?"]`, want: `["k", "n", "s", "t"]`},
		{name: "scan none", op: "scan_keys", args: `["x*"]`, want: `[]`},
		{name: "delete", op: "delete", args: `["k"]`, want: `true`},
		{name: "delete again", op: "delete", args: `["k"]`, want: `false`},
		{name: "incr a map", op: "incr", args: `["k2"]`, want: `1`},
		{name: "incr text", op: "incr", args: `["s"]`, errno: "bad_argument", msg: "not an integer"},
		{name: "empty key", op: "set", args: `["", 1]`, errno: "bad_argument", msg: "a key must be 1-1024 bytes"},
		{name: "ttl zero", op: "set_with_ttl", args: `["x", 1, 0]`, errno: "bad_argument", msg: "ttl must be at least 1 second"},
		{name: "expire zero", op: "expire", args: `["n", 0]`, errno: "bad_argument", msg: "seconds must be at least 1"},
	})
	time.Sleep(1200 * time.Millisecond)
	e.steps("redis", []step{
		{name: "ttl expired", op: "exists", args: `["t"]`, want: `false`},
		{name: "expire expired", op: "get", args: `["s"]`, want: `null`},
		{name: "scan after expiry", op: "scan_keys", args: `[""]`, want: `["k2", "n"]`},
	})
}

func TestKVDemo_MongoDB(t *testing.T) {
	e := startKVDemo(t, kvConfig(t, nil, testenv.StartMongo(t)), "alpha")
	id := e.kv("mongodb", "insert_one", "orders", map[string]any{"item": "pen", "qty": 2, "price": 1.5, "tags": []any{"office"}})
	if s, _ := id.Value.(string); !id.OK || len(s) != 24 {
		t.Fatalf("insert_one = %+v", id)
	}
	byItem := `{"sort": ["item"]}`
	e.steps("mongodb", []step{
		{name: "insert_many", op: "insert_many", args: `["orders", [{"_id": "o2", "item": "ink", "qty": 10, "price": 9.0, "addr": {"city": "Oslo"}},
			{"_id": 3, "item": "pad", "qty": 5, "price": 3.0, "addr": {"city": "Rome"}}, {"_id": "o4", "item": "cap", "qty": 0, "price": 0.5}]]`,
			want: `["o2", 3, "o4"]`},
		{name: "duplicate _id", op: "insert_one", args: `["orders", {"_id": "o2"}]`, errno: "bad_argument", msg: "a document with this _id exists"},
		{name: "find_one", op: "find_one", args: `["orders", {"addr.city": "Oslo"}]`,
			want: `{"_id": "o2", "item": "ink", "qty": 10, "price": 9.0, "addr": {"city": "Oslo"}}`},
		{name: "find_one none", op: "find_one", args: `["orders", {"item": "none"}]`, want: `null`},
		{name: "find_by_id string", op: "find_by_id", args: `["orders", "o4"]`, want: `{"_id": "o4", "item": "cap", "qty": 0, "price": 0.5}`},
		{name: "find_by_id int", op: "find_by_id", args: `["orders", 3]`, want: `{"_id": 3, "item": "pad", "qty": 5, "price": 3.0, "addr": {"city": "Rome"}}`},
		{name: "find_by_id none", op: "find_by_id", args: `["orders", "zz"]`, want: `null`},
		{name: "update_one", op: "update_one", args: `["orders", {"item": "pen"}, {"$set": {"qty": 3, "addr.city": "Bergen"}}]`, want: `{"matched": 1, "modified": 1}`},
		{name: "update_one no match", op: "update_one", args: `["orders", {"item": "none"}, {"$set": {"qty": 1}}]`, want: `{"matched": 0, "modified": 0}`},
		{name: "update_many", op: "update_many", args: `["orders", {"qty": {"$gte": 3}}, {"$set": {"bulk": true}}]`, want: `{"matched": 3, "modified": 3}`},
		{name: "update_by_id", op: "update_by_id", args: `["orders", "o2", {"$set": {"qty": 11}}]`, want: `{"matched": 1, "modified": 1}`},
		{name: "common set", op: "set", args: `["cfg", {"theme": "dark"}]`, want: `null`},
		{name: "common get", op: "get", args: `["cfg"]`, want: `{"theme": "dark"}`},
		{name: "common exists", op: "exists", args: `["cfg"]`, want: `true`},
		{name: "common delete", op: "delete", args: `["cfg"]`, want: `true`},
		{name: "common get deleted", op: "get", args: `["cfg"]`, want: `null`},
		{name: "$where", op: "find", args: `["orders", {"$where": "sleep(100)"}]`, errno: "bad_argument", msg: `operator "$where" is not allowed`},
		{name: "$function", op: "find_one", args: `["orders", {"qty": {"$function": {}}}]`, errno: "bad_argument", msg: `operator "$function" is not allowed`},
		{name: "$expr", op: "delete_many", args: `["orders", {"$expr": {"$gt": ["$qty", 1]}}]`, errno: "bad_argument", msg: `operator "$expr" is not allowed`},
		{name: "unknown operator", op: "update_many", args: `["orders", {"qty": {"$bogus": 1}}, {"$set": {"x": 1}}]`, errno: "bad_argument", msg: `operator "$bogus" is not allowed`},
		{name: "$inc update", op: "update_one", args: `["orders", {}, {"$inc": {"qty": 1}}]`, errno: "bad_argument", msg: `operator "$inc" is not allowed (only $set)`},
		{name: "replacement update", op: "update_by_id", args: `["orders", "o2", {"qty": 1}]`, errno: "bad_argument", msg: `want {"$set": {...}}`},
		{name: "bad collection", op: "find_one", args: `["a.b", {}]`, errno: "bad_argument", msg: "collection name"},
		{name: "negative limit", op: "find", args: `["orders", {}, {"limit": -1}]`, errno: "bad_argument", msg: "limit must be an int of at least 0"},
	})
	finds := []struct{ filter, opts, want string }{
		{`{}`, byItem, `["cap", "ink", "pad", "pen"]`},
		{`{"qty": {"$eq": 5}}`, byItem, `["pad"]`},
		{`{"item": {"$ne": "pen"}}`, byItem, `["cap", "ink", "pad"]`},
		{`{"qty": {"$gt": 3}}`, byItem, `["ink", "pad"]`},
		{`{"qty": {"$gte": 3}}`, byItem, `["ink", "pad", "pen"]`},
		{`{"price": {"$lt": 1.5}}`, byItem, `["cap"]`},
		{`{"price": {"$lte": 1.5}}`, byItem, `["cap", "pen"]`},
		{`{"item": {"$in": ["ink", "cap", "none"]}}`, byItem, `["cap", "ink"]`},
		{`{"$and": [{"qty": {"$gte": 3}}, {"price": {"$lt": 5}}]}`, byItem, `["pad", "pen"]`},
		{`{"$or": [{"item": "cap"}, {"addr.city": "Rome"}]}`, byItem, `["cap", "pad"]`},
		{`{"tags": "office"}`, byItem, `["pen"]`},
		{`{}`, `{"sort": ["-qty"], "skip": 1, "limit": 2}`, `["pad", "pen"]`},
	}
	for _, f := range finds {
		var filter, opts any
		_ = json.Unmarshal([]byte(f.filter), &filter)
		_ = json.Unmarshal([]byte(f.opts), &opts)
		o := e.kv("mongodb", "find", "orders", filter, opts)
		if !o.OK {
			t.Fatalf("find %s: %+v", f.filter, o)
		}
		var items []any
		for _, d := range o.Value.([]any) {
			items = append(items, d.(map[string]any)["item"])
		}
		assertJSON(t, "find "+f.filter+" "+f.opts, items, f.want)
	}
	e.steps("mongodb", []step{
		{name: "delete_by_id", op: "delete_by_id", args: `["orders", "o2"]`, want: `true`},
		{name: "delete_by_id again", op: "delete_by_id", args: `["orders", "o2"]`, want: `false`},
		{name: "delete_one", op: "delete_one", args: `["orders", {"bulk": true}]`, want: `1`},
		{name: "delete_many", op: "delete_many", args: `["orders", {}]`, want: `2`},
		{name: "empty", op: "find", args: `["orders", {}]`, want: `[]`},
	})
}

// TestKVDemo_CrossKind calls every method on the kind it does not belong
// to: each answers ErrUnsupported naming the method and the kind.
func TestKVDemo_CrossKind(t *testing.T) {
	e := startKVDemo(t, kvConfig(t, testenv.StartRedis(t), testenv.StartMongo(t)), "alpha")
	mongoOnly := []string{"find_one", "find", "insert_one", "insert_many", "update_one", "update_many",
		"delete_one", "delete_many", "find_by_id", "update_by_id", "delete_by_id"}
	redisOnly := []string{"set_with_ttl", "expire", "incr", "scan_keys"}
	for _, tc := range []struct {
		kind, name string
		ops        []string
	}{{"redis", "Redis", mongoOnly}, {"mongodb", "MongoDB", redisOnly}} {
		for _, op := range tc.ops {
			o := e.kv(tc.kind, op, "c", map[string]any{}, map[string]any{})
			want := fmt.Sprintf("kv: %s is not supported for %s", op, tc.name)
			if o.OK || o.Errno != "unsupported" || !strings.Contains(o.Error, want) {
				t.Fatalf("%s on %s: %+v, want %q", op, tc.kind, o, want)
			}
		}
	}
}

// TestKVDemo_Isolation runs two apps on the same Redis, MongoDB and
// storage path, writing the same names: neither sees the other's keys,
// documents or files.
func TestKVDemo_Isolation(t *testing.T) {
	r, m := testenv.StartRedis(t), testenv.StartMongo(t)
	shared := t.TempDir()
	env := func(app string) *kvEnv {
		cfg := kvConfig(t, r, m)
		cfg.StoragePath = shared
		return startKVDemo(t, cfg, app)
	}
	alpha, beta := env("alpha"), env("beta")
	for _, kind := range []string{"redis", "mongodb"} {
		mustOK(t, alpha.kv(kind, "set", "shared", "alpha's"))
		if o := beta.kv(kind, "get", "shared"); !o.OK || o.Value != nil {
			t.Fatalf("%s: beta reads alpha's key: %+v", kind, o)
		}
		if o := beta.kv(kind, "exists", "shared"); o.Value != false {
			t.Fatalf("%s: beta sees alpha's key: %+v", kind, o)
		}
		mustOK(t, beta.kv(kind, "set", "shared", "beta's"))
		if o := alpha.kv(kind, "get", "shared"); o.Value != "alpha's" {
			t.Fatalf("%s: beta's set reached alpha: %+v", kind, o)
		}
		if o := beta.kv(kind, "delete", "shared"); o.Value != true {
			t.Fatalf("%s: beta's delete: %+v", kind, o)
		}
		if o := alpha.kv(kind, "exists", "shared"); o.Value != true {
			t.Fatalf("%s: beta's delete removed alpha's key", kind)
		}
	}
	mustOK(t, alpha.kv("redis", "incr", "hits"))
	assertJSON(t, "beta's scan", beta.kv("redis", "scan_keys", "*").Value, `[]`)
	mustOK(t, alpha.kv("mongodb", "insert_one", "docs", map[string]any{"_id": "d1", "owner": "alpha"}))
	assertJSON(t, "beta's find", beta.kv("mongodb", "find", "docs", map[string]any{}).Value, `[]`)
	assertJSON(t, "beta's find_by_id", beta.kv("mongodb", "find_by_id", "docs", "d1").Value, `null`)
	assertJSON(t, "beta's delete_many", beta.kv("mongodb", "delete_many", "docs", map[string]any{}).Value, `0`)
	assertJSON(t, "beta's update_many", beta.kv("mongodb", "update_many", "docs", map[string]any{}, map[string]any{"$set": map[string]any{"owner": "beta"}}).Value,
		`{"matched": 0, "modified": 0}`)
	assertJSON(t, "alpha's document", alpha.kv("mongodb", "find_by_id", "docs", "d1").Value, `{"_id": "d1", "owner": "alpha"}`)

	mustOK(t, alpha.store("upload", "notes/a.txt", "alpha's file"))
	assertJSON(t, "beta's list", beta.store("list_files", "", true).Value, `[]`)
	assertJSON(t, "beta's exists", beta.store("exists", "notes/a.txt").Value, `false`)
	if o := beta.store("download", "notes/a.txt"); o.Errno != "not_found" {
		t.Fatalf("beta downloads alpha's file: %+v", o)
	}
	if o := beta.store("download", "../alpha/notes/a.txt"); o.Errno != "denied" {
		t.Fatalf("beta reaches alpha's folder: %+v", o)
	}

	// The data sits where docs/KVSTORE.md says (the other keys are the
	// tiered store's, docs/STORE.md, since both hosts run on it).
	c := context.Background()
	rc := redis.NewClient(&redis.Options{Addr: r.Addr})
	defer rc.Close()
	keys, err := rc.Keys(c, "kv:*").Result()
	slices.Sort(keys)
	if err != nil || !slices.Equal(keys, []string{"kv:alpha:demo:hits", "kv:alpha:demo:shared"}) {
		t.Fatalf("redis keys %q, %v", keys, err)
	}
	mc, err := mongo.Connect(options.Client().ApplyURI(m.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Disconnect(c)
	db := mc.Database(kv.Database)
	colls, err := db.ListCollectionNames(c, map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range colls {
		if !strings.HasPrefix(name, "alpha.demo.") && !strings.HasPrefix(name, "beta.demo.") {
			t.Fatalf("collection %q outside the apps' namespaces", name)
		}
	}
	for name, want := range map[string]int64{"alpha.demo.docs": 1, "beta.demo.docs": 0, "alpha.demo.kv": 1, "beta.demo.kv": 0} {
		if n, err := db.Collection(name).CountDocuments(c, map[string]any{}); n != want || err != nil {
			t.Fatalf("%s holds %d documents (%v), want %d", name, n, err, want)
		}
	}
}

func mustOK(t *testing.T, o outcome) {
	t.Helper()
	if !o.OK {
		t.Fatalf("failed: %+v", o)
	}
}

// TestKVDemo_URIs checks which servers a guest may name.
func TestKVDemo_URIs(t *testing.T) {
	r := testenv.StartRedis(t)
	cfg := kvConfig(t, r, nil)
	other := "redis://" + r.Addr + "/1"
	cfg.KVAllowedURIs = []string{other}
	e := startKVDemo(t, cfg, "alpha")
	named := func(uri string) outcome {
		return e.run("kv", map[string]any{"kind": "redis", "uri": uri, "op": "set", "args": []any{"k", uri}})
	}
	mustOK(t, named(""))
	mustOK(t, named(r.URL))
	mustOK(t, named(other))
	if o := e.run("kv", map[string]any{"kind": "redis", "op": "get", "args": []any{"k"}}); o.Value != r.URL {
		t.Fatalf("the default and the configured URI are one server: %+v", o)
	}
	for _, uri := range []string{"redis://" + r.Addr + "/2", "redis://10.255.255.1:6379/0", "mongodb://" + r.Addr + "/"} {
		if o := named(uri); o.Errno != "denied" || !strings.Contains(o.Error, "kvstore.allowed_uris") || strings.Contains(o.Error, uri) {
			t.Fatalf("uri %s: %+v", uri, o)
		}
	}
	if o := e.kv("mongodb", "get", "k"); o.Errno != "unavailable" || !strings.Contains(o.Error, "no MongoDB server is configured (set MONGODB_URI)") {
		t.Fatalf("without MONGODB_URI: %+v", o)
	}
	down := kvConfig(t, nil, nil)
	down.RedisURL = "redis://127.0.0.1:1/0"
	if o := startKVDemo(t, down, "alpha").kv("redis", "get", "k"); o.Errno != "unavailable" {
		t.Fatalf("server down: %+v", o)
	}
}

// TestKVDemo_Limits: each kv call counts against the host-call limit. A
// store's writes take effect at once: they are not part of the request's
// graph transaction, so the calls made before the limit stopped the walker
// stay done.
func TestKVDemo_Limits(t *testing.T) {
	cfg := kvConfig(t, testenv.StartRedis(t), nil)
	cfg.MaxHostCalls = 50
	e := startKVDemo(t, cfg, "alpha")
	mustOK(t, e.run("kv", map[string]any{"kind": "redis", "op": "incr", "args": []any{"n"}, "repeat": 10}))
	r := testenv.Do(t, "POST", e.h.URL+"/walker/kv", map[string]any{"kind": "redis", "op": "incr", "args": []any{"n"}, "repeat": 100}, e.token)
	if r.Status != 507 || r.Error == nil || r.Error.Code != "LIMIT_EXCEEDED" || !strings.Contains(r.Error.Message, "host_calls limit exceeded (50)") {
		t.Fatalf("100 calls: %d %s", r.Status, r.Body)
	}
	assertJSON(t, "counter after the refused request", e.kv("redis", "get", "n").Value, `60`)
}

// TestKVDemo_Hammer increments one counter from many concurrent requests,
// each on its own instance, through the one shared client per server:
// no increment is lost and no request fails.
func TestKVDemo_Hammer(t *testing.T) {
	e := startKVDemo(t, kvConfig(t, testenv.StartRedis(t), testenv.StartMongo(t)), "alpha")
	const workers, each = 8, 10
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				r := testenv.Do(t, "POST", e.h.URL+"/walker/kv", map[string]any{"kind": "redis", "op": "incr", "args": []any{"hits"}}, e.token)
				if r.Status != 200 {
					t.Errorf("incr: %d %s", r.Status, r.Body)
				}
				doc := map[string]any{"_id": fmt.Sprintf("%d-%d", w, i)}
				r = testenv.Do(t, "POST", e.h.URL+"/walker/kv", map[string]any{"kind": "mongodb", "op": "insert_one", "args": []any{"c", doc}}, e.token)
				if r.Status != 200 {
					t.Errorf("insert: %d %s", r.Status, r.Body)
				}
			}
		})
	}
	wg.Wait()
	assertJSON(t, "hits", e.kv("redis", "get", "hits").Value, strconv.Itoa(workers*each))
	if docs := e.kv("mongodb", "find", "c", map[string]any{}).Value.([]any); len(docs) != workers*each {
		t.Fatalf("%d documents, want %d", len(docs), workers*each)
	}
}
