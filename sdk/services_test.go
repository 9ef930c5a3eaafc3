package sdk_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/sdk"
	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

func TestStorage_RoundTrip(t *testing.T) {
	h := sdktest.New()
	st := sdk.Store()
	if p, err := st.Upload("./docs//a.txt", []byte("hello")); err != nil || p != "docs/a.txt" {
		t.Fatalf("Upload = %q, %v", p, err)
	}
	if b, err := st.Download("docs/a.txt"); err != nil || string(b) != "hello" {
		t.Fatalf("Download = %q, %v", b, err)
	}
	if b, ok := h.StoredFile("docs/a.txt"); !ok || string(b) != "hello" {
		t.Fatalf("stored %q, %v", b, ok)
	}
	for _, p := range []string{"docs/b.txt", "docs/sub/c.txt", "top.txt"} {
		if _, err := st.Upload(p, []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	lists := []struct {
		prefix    string
		recursive bool
		want      []string
	}{
		{"", false, []string{"top.txt"}},
		{"", true, []string{"docs/a.txt", "docs/b.txt", "docs/sub/c.txt", "top.txt"}},
		{"docs/", false, []string{"docs/a.txt", "docs/b.txt"}},
		{"docs/a", true, []string{"docs/a.txt"}},
	}
	for _, tc := range lists {
		if got, err := st.ListFiles(tc.prefix, tc.recursive); err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Fatalf("ListFiles(%q, %v) = %q, %v; want %q", tc.prefix, tc.recursive, got, err, tc.want)
		}
	}
	fi, err := st.GetMetadata("docs/a.txt")
	if err != nil || fi.Name != "a.txt" || fi.Path != "docs/a.txt" || fi.Size != 5 || fi.IsDir {
		t.Fatalf("GetMetadata = %+v, %v", fi, err)
	}
	if _, err := time.Parse(time.RFC3339Nano, fi.Modified); err != nil {
		t.Fatalf("Modified %q: %v", fi.Modified, err)
	}
	if fi, err := st.GetMetadata("docs"); err != nil || !fi.IsDir {
		t.Fatalf("folder metadata = %+v, %v", fi, err)
	}
	if p, err := st.Copy("docs/a.txt", "copy.txt"); err != nil || p != "copy.txt" {
		t.Fatalf("Copy = %q, %v", p, err)
	}
	if p, err := st.Move("copy.txt", "moved/x.txt"); err != nil || p != "moved/x.txt" {
		t.Fatalf("Move = %q, %v", p, err)
	}
	if ok, _ := st.Exists("copy.txt"); ok {
		t.Fatal("moved file still exists")
	}
	if ok, err := st.Delete("docs"); !ok || err != nil {
		t.Fatalf("Delete = %v, %v", ok, err)
	}
	if ok, err := st.Exists("docs/a.txt"); ok || err != nil {
		t.Fatalf("Exists after Delete = %v, %v", ok, err)
	}
}

func TestStorage_Errors(t *testing.T) {
	sdktest.New()
	st := sdk.Store()
	tests := []struct {
		name string
		do   func() error
		want error
		op   string
	}{
		{"dotdot", func() error { _, err := st.Download("../x"); return err }, sdk.ErrDenied, "store download"},
		{"absolute", func() error { _, err := st.Upload("/etc/x", nil); return err }, sdk.ErrDenied, "store upload"},
		{"nul", func() error { _, err := st.Exists("a\x00b"); return err }, sdk.ErrBadArgument, "store exists"},
		{"missing", func() error { _, err := st.Download("none"); return err }, sdk.ErrNotFound, "store download"},
		{"copy missing", func() error { _, err := st.Copy("none", "x"); return err }, sdk.ErrNotFound, "store copy"},
		{"bad upload id", func() error { _, err := st.UploadFile("x", sdk.File{}); return err }, sdk.ErrNotFound, "store upload"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.do()
			if !errors.Is(err, tc.want) || !strings.HasPrefix(err.Error(), tc.op+": ") {
				t.Fatalf("got %v, want %v from %s", err, tc.want, tc.op)
			}
		})
	}
}

func TestFile_Field(t *testing.T) {
	h := sdktest.New()
	res := h.Call("attach", map[string]any{"doc": sdktest.Upload{Name: "n.txt", ContentType: "text/plain", Data: []byte("abcdefgh")}})
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"name": "n.txt", "type": "text/plain", "size": int64(8), "all": "abcdefgh",
		"chunks": []any{"abc", "def", "gh"}, "tail": "gh", "stored": "up/doc.bin", "extra": false}
	if !reflect.DeepEqual(res.Reports[0], want) {
		t.Fatalf("report %#v\nwant %#v", res.Reports[0], want)
	}
	if b, ok := h.StoredFile("up/doc.bin"); !ok || string(b) != "abcdefgh" {
		t.Fatalf("stored %q", b)
	}
	wantResult := map[string]any{"doc": map[string]any{"name": "n.txt", "content_type": "text/plain", "size": int64(8)}, "extra": nil, "path": "up/doc.bin"}
	if !reflect.DeepEqual(res.Output, wantResult) {
		t.Fatalf("result %#v", res.Output)
	}
	if res := h.Call("attach", map[string]any{}); res.Err() == nil || !strings.Contains(res.Err().Error(), `missing required field "doc"`) {
		t.Fatalf("without the file: %v", res.Err())
	}
	if res := h.Call("attach", map[string]any{"doc": "text"}); res.Err() == nil || !strings.Contains(res.Err().Error(), `"doc" is not of type file`) {
		t.Fatalf("text for a file: %v", res.Err())
	}
}

func TestKV_Redis(t *testing.T) {
	h := sdktest.New()
	now := int64(1_000_000_000_000)
	h.SetClock(func() int64 { return now })
	kv := sdk.KVStore("cache", sdk.Redis)
	if v, err := kv.Get("none"); v != nil || err != nil {
		t.Fatalf("Get = %v, %v", v, err)
	}
	if err := kv.Set("k", map[string]any{"n": 1, "l": []any{"x", 2.5}}); err != nil {
		t.Fatal(err)
	}
	if v, _ := kv.Get("k"); !reflect.DeepEqual(v, map[string]any{"n": int64(1), "l": []any{"x", 2.5}}) {
		t.Fatalf("Get = %#v", v)
	}
	if n, err := kv.Incr("c"); n != 1 || err != nil {
		t.Fatalf("Incr = %d, %v", n, err)
	}
	if n, err := kv.IncrBy("c", -5); n != -4 || err != nil {
		t.Fatalf("IncrBy = %d, %v", n, err)
	}
	if _, err := kv.Incr("k"); !errors.Is(err, sdk.ErrBadArgument) {
		t.Fatalf("Incr of a map = %v", err)
	}
	if err := kv.SetWithTTL("t", "v", 10); err != nil {
		t.Fatal(err)
	}
	if ok, err := kv.Expire("k", 5); !ok || err != nil {
		t.Fatalf("Expire = %v, %v", ok, err)
	}
	if keys, err := kv.ScanKeys(""); err != nil || !reflect.DeepEqual(keys, []string{"c", "k", "t"}) {
		t.Fatalf("ScanKeys = %q, %v", keys, err)
	}
	now += 6e9
	if keys, _ := kv.ScanKeys("*"); !reflect.DeepEqual(keys, []string{"c", "t"}) {
		t.Fatalf("after 6s: %q", keys)
	}
	now += 5e9
	if ok, _ := kv.Exists("t"); ok {
		t.Fatal("t outlived its ttl")
	}
	if ok, err := kv.Delete("c"); !ok || err != nil {
		t.Fatalf("Delete = %v, %v", ok, err)
	}
	if _, err := sdk.KVStore("cache", sdk.Redis).FindOne("c", nil); !errors.Is(err, sdk.ErrUnsupported) ||
		err.Error() != "kv find_one: not supported: kv: find_one is not supported for Redis (it is a MongoDB method)" {
		t.Fatalf("FindOne on Redis = %v", err)
	}
}

func TestKV_MongoDB(t *testing.T) {
	sdktest.New()
	kv := sdk.KVStore("shop", sdk.MongoDB)
	if err := kv.Set("k", "v"); err != nil {
		t.Fatal(err)
	}
	if v, _ := kv.Get("k"); v != "v" {
		t.Fatalf("Get = %v", v)
	}
	id, err := kv.InsertOne("orders", map[string]any{"item": "pen", "qty": 2})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := kv.InsertMany("orders", []map[string]any{{"_id": "o2", "item": "ink", "qty": 10}, {"item": "cap", "qty": 0}})
	if err != nil || len(ids) != 2 || ids[0] != "o2" {
		t.Fatalf("InsertMany = %v, %v", ids, err)
	}
	docs, err := kv.Find("orders", map[string]any{"qty": map[string]any{"$gte": 1}}, sdk.FindOptions{Sort: []string{"-qty"}})
	if err != nil || len(docs) != 2 || docs[0]["item"] != "ink" || docs[1]["item"] != "pen" {
		t.Fatalf("Find = %v, %v", docs, err)
	}
	if docs, _ := kv.Find("orders", nil, sdk.FindOptions{Limit: 1, Skip: 1, Sort: []string{"item"}}); len(docs) != 1 || docs[0]["item"] != "ink" {
		t.Fatalf("Find with options = %v", docs)
	}
	if doc, err := kv.FindOne("orders", map[string]any{"$or": []any{map[string]any{"item": "cap"}}}); err != nil || doc["qty"] != int64(0) {
		t.Fatalf("FindOne = %v, %v", doc, err)
	}
	if r, err := kv.UpdateOne("orders", map[string]any{"item": "pen"}, map[string]any{"$set": map[string]any{"qty": 3}}); err != nil || r != (sdk.UpdateResult{Matched: 1, Modified: 1}) {
		t.Fatalf("UpdateOne = %+v, %v", r, err)
	}
	if r, err := kv.UpdateMany("orders", nil, map[string]any{"$set": map[string]any{"seen": true}}); err != nil || r.Matched != 3 {
		t.Fatalf("UpdateMany = %+v, %v", r, err)
	}
	if doc, err := kv.FindByID("orders", id); err != nil || doc["qty"] != int64(3) {
		t.Fatalf("FindByID = %v, %v", doc, err)
	}
	if r, err := kv.UpdateByID("orders", "o2", map[string]any{"$set": map[string]any{"qty": 11}}); err != nil || r.Matched != 1 {
		t.Fatalf("UpdateByID = %+v, %v", r, err)
	}
	if ok, err := kv.DeleteByID("orders", "o2"); !ok || err != nil {
		t.Fatalf("DeleteByID = %v, %v", ok, err)
	}
	if n, err := kv.DeleteOne("orders", map[string]any{"seen": true}); n != 1 || err != nil {
		t.Fatalf("DeleteOne = %d, %v", n, err)
	}
	if n, err := kv.DeleteMany("orders", map[string]any{}); n != 1 || err != nil {
		t.Fatalf("DeleteMany = %d, %v", n, err)
	}
	bad := []struct {
		name string
		do   func() error
		want error
	}{
		{"where", func() error { _, err := kv.Find("o", map[string]any{"$where": "1"}); return err }, sdk.ErrBadArgument},
		{"inc", func() error {
			_, err := kv.UpdateOne("o", nil, map[string]any{"$inc": map[string]any{"n": 1}})
			return err
		}, sdk.ErrBadArgument},
		{"scan on mongodb", func() error { _, err := kv.ScanKeys("*"); return err }, sdk.ErrUnsupported},
		{"ttl on mongodb", func() error { return kv.SetWithTTL("k", 1, 5) }, sdk.ErrUnsupported},
		{"a node value", func() error { return kv.Set("k", sdk.Node{}) }, sdk.ErrBadArgument},
		{"unencodable", func() error { return kv.Set("k", struct{}{}) }, nil},
		{"unlisted uri", func() error { return sdk.KVStore("shop", sdk.MongoDB, "mongodb://elsewhere/").Set("k", 1) }, sdk.ErrDenied},
		{"bad kind", func() error { return sdk.KVStore("shop", "memcached").Set("k", 1) }, sdk.ErrBadArgument},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.do()
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestKV_AllowedURI(t *testing.T) {
	h := sdktest.New()
	h.AllowKVURI("redis://other:6379/0")
	if err := sdk.KVStore("c", sdk.Redis, "redis://other:6379/0").Set("k", 1); err != nil {
		t.Fatal(err)
	}
}
