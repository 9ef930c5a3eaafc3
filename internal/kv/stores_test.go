package kv_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/kv"
	"github.com/walkerhost/walkerhost/internal/testenv"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// startServers starts a real Redis and a real FerretDB for the test.
func startServers(tb testing.TB) (*testenv.Server, *testenv.Server) {
	tb.Helper()
	return testenv.StartRedis(tb), testenv.StartMongo(tb)
}

// servers starts the servers and a service on them.
func servers(t *testing.T) (*kv.Service, *testenv.Server, *testenv.Server) {
	t.Helper()
	r, m := startServers(t)
	s := kv.New(kv.Options{RedisURL: r.URL, MongoURI: m.URL})
	t.Cleanup(func() {
		c, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		s.Close(c)
	})
	return s, r, m
}

func open(t *testing.T, s *kv.Service, app, kind, db string) kv.Store {
	t.Helper()
	st, err := s.Open(app, kind, db, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// TestStores_Common runs the methods both kinds have on both, with values
// of every kind.
func TestStores_Common(t *testing.T) {
	s, _, _ := servers(t)
	values := []any{nil, true, int64(-3), 2.0, 0.5, "text", []any{int64(1), "x", nil},
		map[string]any{"a": map[string]any{"b": []any{false}}, "n": int64(7)}}
	for _, kind := range []string{abi.KindRedis, abi.KindMongoDB} {
		t.Run(kind, func(t *testing.T) {
			c, st := ctx(t), open(t, s, "app1", kind, "common")
			if v, err := st.Get(c, "missing"); v != nil || err != nil {
				t.Fatalf("Get(missing) = %v, %v", v, err)
			}
			for i, v := range values {
				key := "k" + string(rune('a'+i))
				if err := st.Set(c, key, v); err != nil {
					t.Fatalf("Set(%v): %v", v, err)
				}
				got, err := st.Get(c, key)
				if err != nil || !reflect.DeepEqual(got, v) {
					t.Fatalf("Get after Set(%#v) = %#v, %v", v, got, err)
				}
			}
			if err := st.Set(c, "ka", "replaced"); err != nil {
				t.Fatal(err)
			}
			if v, _ := st.Get(c, "ka"); v != "replaced" {
				t.Fatalf("Set did not replace: %v", v)
			}
			if ok, err := st.Exists(c, "kb"); !ok || err != nil {
				t.Fatalf("Exists = %v, %v", ok, err)
			}
			if ok, err := st.Delete(c, "kb"); !ok || err != nil {
				t.Fatalf("Delete = %v, %v", ok, err)
			}
			if ok, err := st.Delete(c, "kb"); ok || err != nil {
				t.Fatalf("Delete again = %v, %v", ok, err)
			}
			if ok, err := st.Exists(c, "kb"); ok || err != nil {
				t.Fatalf("Exists after Delete = %v, %v", ok, err)
			}
			for _, bad := range []string{"", string(make([]byte, kv.MaxKey+1))} {
				if err := st.Set(c, bad, 1); !errors.Is(err, kv.ErrInvalid) {
					t.Fatalf("Set(key of %d bytes) = %v", len(bad), err)
				}
			}
		})
	}
}

func TestRedis(t *testing.T) {
	s, r, _ := servers(t)
	c := ctx(t)
	st := open(t, s, "app1", abi.KindRedis, "cache").(*kv.Redis)
	if err := st.SetWithTTL(c, "t", "soon gone", 1); err != nil {
		t.Fatal(err)
	}
	if v, _ := st.Get(c, "t"); v != "soon gone" {
		t.Fatalf("Get before expiry = %v", v)
	}
	if n, err := st.Incr(c, "n", 1); n != 1 || err != nil {
		t.Fatalf("Incr of a missing key = %d, %v", n, err)
	}
	if n, err := st.Incr(c, "n", 41); n != 42 || err != nil {
		t.Fatalf("Incr = %d, %v", n, err)
	}
	if v, _ := st.Get(c, "n"); v != int64(42) {
		t.Fatalf("Get of a counter = %#v", v)
	}
	if err := st.Set(c, "set-int", int64(5)); err != nil {
		t.Fatal(err)
	}
	if n, err := st.Incr(c, "set-int", -6); n != -1 || err != nil {
		t.Fatalf("Incr of a value set as an int = %d, %v", n, err)
	}
	if err := st.Set(c, "s", "text"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Incr(c, "s", 1); !errors.Is(err, kv.ErrInvalid) {
		t.Fatalf("Incr of a string = %v", err)
	}
	if ok, err := st.Expire(c, "s", 1); !ok || err != nil {
		t.Fatalf("Expire = %v, %v", ok, err)
	}
	if ok, err := st.Expire(c, "none", 5); ok || err != nil {
		t.Fatalf("Expire of a missing key = %v, %v", ok, err)
	}
	for _, bad := range []func() error{
		func() error { return st.SetWithTTL(c, "x", 1, 0) },
		func() error { _, err := st.Expire(c, "x", 0); return err },
	} {
		if err := bad(); !errors.Is(err, kv.ErrInvalid) {
			t.Fatalf("ttl 0 = %v", err)
		}
	}
	for _, k := range []string{"user:1", "user:2", "order:1"} {
		if err := st.Set(c, k, k); err != nil {
			t.Fatal(err)
		}
	}
	if keys, err := st.ScanKeys(c, "user:*"); err != nil || !reflect.DeepEqual(keys, []string{"user:1", "user:2"}) {
		t.Fatalf("ScanKeys(user:*) = %q, %v", keys, err)
	}
	time.Sleep(1100 * time.Millisecond)
	for _, k := range []string{"t", "s"} {
		if ok, _ := st.Exists(c, k); ok {
			t.Fatalf("%s outlived its ttl", k)
		}
	}
	if keys, err := st.ScanKeys(c, ""); err != nil || !reflect.DeepEqual(keys, []string{"n", "order:1", "set-int", "user:1", "user:2"}) {
		t.Fatalf("ScanKeys() = %q, %v", keys, err)
	}
	r.Stop()
	if _, err := st.Get(c, "n"); !errors.Is(err, kv.ErrUnavailable) {
		t.Fatalf("Get with the server down = %v", err)
	}
}

func TestMongo(t *testing.T) {
	s, _, m := servers(t)
	c := ctx(t)
	st := open(t, s, "app1", abi.KindMongoDB, "shop").(*kv.Mongo)
	id, err := st.InsertOne(c, "orders", map[string]any{"item": "pen", "qty": int64(2), "price": 1.5, "tags": []any{"office"}})
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := id.(string); !ok || len(s) != 24 {
		t.Fatalf("InsertOne id = %#v", id)
	}
	ids, err := st.InsertMany(c, "orders", []any{
		map[string]any{"_id": "o2", "item": "ink", "qty": int64(10), "price": 9.0, "addr": map[string]any{"city": "Oslo"}},
		map[string]any{"_id": int64(3), "item": "pad", "qty": int64(5), "price": 3.0, "addr": map[string]any{"city": "Rome"}},
		map[string]any{"item": "cap", "qty": int64(0), "price": 0.5},
	})
	if err != nil || len(ids) != 3 || ids[0] != "o2" || ids[1] != int64(3) {
		t.Fatalf("InsertMany = %v, %v", ids, err)
	}
	if _, err := st.InsertOne(c, "orders", map[string]any{"_id": "o2"}); !errors.Is(err, kv.ErrInvalid) {
		t.Fatalf("duplicate _id = %v", err)
	}
	items := func(filter map[string]any, o kv.FindOptions) []any {
		t.Helper()
		docs, err := st.Find(c, "orders", filter, o, 1<<20)
		if err != nil {
			t.Fatalf("Find(%v): %v", filter, err)
		}
		out := []any{}
		for _, d := range docs {
			out = append(out, d.(map[string]any)["item"])
		}
		return out
	}
	byItem := kv.FindOptions{Sort: bson.D{{Key: "item", Value: 1}}}
	finds := []struct {
		name   string
		filter map[string]any
		want   []any
	}{
		{"all", map[string]any{}, []any{"cap", "ink", "pad", "pen"}},
		{"eq", map[string]any{"item": "pen"}, []any{"pen"}},
		{"$eq", map[string]any{"qty": map[string]any{"$eq": int64(5)}}, []any{"pad"}},
		{"$ne", map[string]any{"item": map[string]any{"$ne": "pen"}}, []any{"cap", "ink", "pad"}},
		{"$gt", map[string]any{"qty": map[string]any{"$gt": int64(2)}}, []any{"ink", "pad"}},
		{"$gte", map[string]any{"qty": map[string]any{"$gte": int64(2)}}, []any{"ink", "pad", "pen"}},
		{"$lt float", map[string]any{"price": map[string]any{"$lt": 1.5}}, []any{"cap"}},
		{"$lte", map[string]any{"price": map[string]any{"$lte": 1.5}}, []any{"cap", "pen"}},
		{"range", map[string]any{"qty": map[string]any{"$gt": int64(0), "$lt": int64(10)}}, []any{"pad", "pen"}},
		{"$in", map[string]any{"item": map[string]any{"$in": []any{"ink", "cap", "none"}}}, []any{"cap", "ink"}},
		{"$and", map[string]any{"$and": []any{map[string]any{"qty": map[string]any{"$gte": int64(2)}}, map[string]any{"price": map[string]any{"$lt": 5.0}}}}, []any{"pad", "pen"}},
		{"$or", map[string]any{"$or": []any{map[string]any{"item": "cap"}, map[string]any{"addr.city": "Rome"}}}, []any{"cap", "pad"}},
		{"dotted", map[string]any{"addr.city": "Oslo"}, []any{"ink"}},
		{"array element", map[string]any{"tags": "office"}, []any{"pen"}},
		{"no match", map[string]any{"item": "none"}, []any{}},
	}
	for _, tc := range finds {
		t.Run("find/"+tc.name, func(t *testing.T) {
			if got := items(tc.filter, byItem); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Find(%v) = %v, want %v", tc.filter, got, tc.want)
			}
		})
	}
	if got := items(nil, kv.FindOptions{Sort: bson.D{{Key: "qty", Value: -1}}, Skip: 1, Limit: 2}); !reflect.DeepEqual(got, []any{"pad", "pen"}) {
		t.Fatalf("sort, skip, limit = %v", got)
	}
	if _, err := st.Find(c, "orders", map[string]any{}, kv.FindOptions{}, 100); !errors.Is(err, kv.ErrTooLarge) {
		t.Fatalf("Find over the byte budget = %v", err)
	}
	doc, err := st.FindOne(c, "orders", map[string]any{"item": "ink"})
	if err != nil || doc["_id"] != "o2" || doc["qty"] != int64(10) || !reflect.DeepEqual(doc["addr"], map[string]any{"city": "Oslo"}) {
		t.Fatalf("FindOne = %v, %v", doc, err)
	}
	if doc, err := st.FindOne(c, "orders", map[string]any{"item": "none"}); doc != nil || err != nil {
		t.Fatalf("FindOne without a match = %v, %v", doc, err)
	}
	res, err := st.UpdateOne(c, "orders", map[string]any{"item": "pen"}, map[string]any{"$set": map[string]any{"qty": int64(3), "addr.city": "Bergen"}})
	if err != nil || res != (kv.UpdateResult{Matched: 1, Modified: 1}) {
		t.Fatalf("UpdateOne = %+v, %v", res, err)
	}
	res, err = st.UpdateMany(c, "orders", map[string]any{"qty": map[string]any{"$gte": int64(3)}}, map[string]any{"$set": map[string]any{"bulk": true}})
	if err != nil || res.Matched != 3 || res.Modified != 3 {
		t.Fatalf("UpdateMany = %+v, %v", res, err)
	}
	if got := items(map[string]any{"bulk": true, "addr.city": "Bergen"}, byItem); !reflect.DeepEqual(got, []any{"pen"}) {
		t.Fatalf("after updates: %v", got)
	}
	if doc, err := st.FindByID(c, "orders", id); err != nil || doc["item"] != "pen" {
		t.Fatalf("FindByID(string) = %v, %v", doc, err)
	}
	if doc, err := st.FindByID(c, "orders", int64(3)); err != nil || doc["item"] != "pad" {
		t.Fatalf("FindByID(int) = %v, %v", doc, err)
	}
	if res, err := st.UpdateByID(c, "orders", "o2", map[string]any{"$set": map[string]any{"qty": int64(11)}}); err != nil || res.Matched != 1 {
		t.Fatalf("UpdateByID = %+v, %v", res, err)
	}
	if ok, err := st.DeleteByID(c, "orders", "o2"); !ok || err != nil {
		t.Fatalf("DeleteByID = %v, %v", ok, err)
	}
	if ok, err := st.DeleteByID(c, "orders", "o2"); ok || err != nil {
		t.Fatalf("DeleteByID again = %v, %v", ok, err)
	}
	if n, err := st.DeleteOne(c, "orders", map[string]any{"bulk": true}); n != 1 || err != nil {
		t.Fatalf("DeleteOne = %d, %v", n, err)
	}
	if n, err := st.DeleteMany(c, "orders", map[string]any{}); n != 2 || err != nil {
		t.Fatalf("DeleteMany = %d, %v", n, err)
	}

	// A document another program stored with an ObjectId is found by the
	// id's hex string.
	client, err := mongo.Connect(options.Client().ApplyURI(m.URL))
	if err != nil {
		t.Fatal(err)
	}
	oid := bson.NewObjectID()
	if _, err := client.Database(kv.Database).Collection("app1.shop.orders").InsertOne(c, bson.D{{Key: "_id", Value: oid}, {Key: "item", Value: "legacy"}}); err != nil {
		t.Fatal(err)
	}
	if doc, err := st.FindByID(c, "orders", oid.Hex()); err != nil || doc["item"] != "legacy" || doc["_id"] != oid.Hex() {
		t.Fatalf("FindByID of an ObjectId = %v, %v", doc, err)
	}
	if err := client.Disconnect(c); err != nil {
		t.Fatal(err)
	}
	m.Stop()
	short, cancel := context.WithTimeout(c, 2*time.Second)
	defer cancel()
	if _, err := st.FindOne(short, "orders", map[string]any{}); !errors.Is(err, kv.ErrUnavailable) {
		t.Fatalf("FindOne with the server down = %v", err)
	}
}

// TestStores_Isolation writes the same names from two apps and two
// databases on the same servers: none sees another's data.
func TestStores_Isolation(t *testing.T) {
	s, _, _ := servers(t)
	c := ctx(t)
	for _, kind := range []string{abi.KindRedis, abi.KindMongoDB} {
		t.Run(kind, func(t *testing.T) {
			names := [][2]string{{"app1", "db"}, {"app2", "db"}, {"app1", "db2"}}
			stores := make([]kv.Store, len(names))
			for i, n := range names {
				stores[i] = open(t, s, n[0], kind, n[1])
				if err := stores[i].Set(c, "shared", n[0]+"/"+n[1]); err != nil {
					t.Fatal(err)
				}
			}
			for i, n := range names {
				if v, _ := stores[i].Get(c, "shared"); v != n[0]+"/"+n[1] {
					t.Fatalf("%v reads %v", n, v)
				}
			}
			if _, err := stores[1].Delete(c, "shared"); err != nil {
				t.Fatal(err)
			}
			if ok, _ := stores[0].Exists(c, "shared"); !ok {
				t.Fatal("a delete in app2 removed app1's key")
			}
			if kind == abi.KindRedis {
				if keys, _ := stores[1].(*kv.Redis).ScanKeys(c, "*"); len(keys) != 0 {
					t.Fatalf("app2 scans %q", keys)
				}
				return
			}
			m0, m1 := stores[0].(*kv.Mongo), stores[1].(*kv.Mongo)
			if _, err := m0.InsertOne(c, "docs", map[string]any{"_id": "x", "owner": "app1"}); err != nil {
				t.Fatal(err)
			}
			if docs, _ := m1.Find(c, "docs", map[string]any{}, kv.FindOptions{}, 1<<20); len(docs) != 0 {
				t.Fatalf("app2 finds %v", docs)
			}
			if n, _ := m1.DeleteMany(c, "docs", map[string]any{}); n != 0 {
				t.Fatalf("app2 deleted %d of app1's documents", n)
			}
		})
	}
}

// TestStores_ValueLimit opens stores that refuse values over 200 bytes as
// stored: every write path of both kinds takes a small value and refuses a
// large one with ErrValueTooLarge, leaving nothing behind.
func TestStores_ValueLimit(t *testing.T) {
	s, _, _ := servers(t)
	small, big := "short", string(make([]byte, 300))
	open := func(kind string) kv.Store {
		st, err := s.Open("limited", kind, "values", "", 200)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	r, m := open(abi.KindRedis).(*kv.Redis), open(abi.KindMongoDB).(*kv.Mongo)
	c := ctx(t)
	writes := []struct {
		name string
		do   func(v string) error
	}{
		{"redis set", func(v string) error { return r.Set(c, "k", v) }},
		{"redis set_with_ttl", func(v string) error { return r.SetWithTTL(c, "t", v, 60) }},
		{"mongo set", func(v string) error { return m.Set(c, "k", v) }},
		{"mongo insert_one", func(v string) error {
			_, err := m.InsertOne(c, "docs", map[string]any{"_id": "one", "v": v})
			return err
		}},
		{"mongo insert_many", func(v string) error {
			_, err := m.InsertMany(c, "docs", []any{map[string]any{"_id": "many", "v": v}})
			return err
		}},
		{"mongo update_one", func(v string) error {
			_, err := m.UpdateOne(c, "docs", map[string]any{"_id": "one"}, map[string]any{"$set": map[string]any{"v": v}})
			return err
		}},
	}
	for _, w := range writes {
		if err := w.do(small); err != nil {
			t.Errorf("%s of a small value: %v", w.name, err)
		}
		if err := w.do(big); !errors.Is(err, kv.ErrValueTooLarge) {
			t.Errorf("%s of a 300-byte value: got %v, want ErrValueTooLarge", w.name, err)
		}
	}
	for _, st := range []kv.Store{r, m} {
		if v, err := st.Get(c, "k"); err != nil || v != small {
			t.Errorf("%s: k = %v, %v after the refused write; want %q", st.Kind(), v, err, small)
		}
	}
	if d, err := m.FindByID(c, "docs", "one"); err != nil || d["v"] != small {
		t.Errorf("document one = %v, %v after the refused update; want v %q", d, err, small)
	}
	if d, err := m.FindByID(c, "docs", "many"); err != nil || d["v"] != small {
		t.Errorf("document many = %v, %v; want v %q", d, err, small)
	}
}
