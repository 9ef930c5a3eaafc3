package main

import (
	"encoding/base64"
	"hash/crc32"
	"reflect"
	"testing"

	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

// The in-memory host stands in for the servers here; the walkers run
// against real Redis, FerretDB and a filesystem in internal/e2e.
func report(t *testing.T, h *sdktest.Host, walker string, fields map[string]any) map[string]any {
	t.Helper()
	res := h.Call(walker, fields)
	if err := res.Err(); err != nil {
		t.Fatalf("%s %v: %v", walker, fields, err)
	}
	return res.Reports[0].(map[string]any)
}

func TestKV(t *testing.T) {
	h := sdktest.New()
	tests := []struct {
		name   string
		fields map[string]any
		want   map[string]any
	}{
		{"redis set", map[string]any{"kind": "redis", "op": "set", "args": []any{"k", 5}}, map[string]any{"ok": true, "value": nil}},
		{"redis incr", map[string]any{"kind": "redis", "op": "incr", "args": []any{"k", 2}}, map[string]any{"ok": true, "value": int64(7)}},
		{"mongodb insert", map[string]any{"kind": "mongodb", "op": "insert_one", "args": []any{"c", map[string]any{"_id": "a", "n": 1}}},
			map[string]any{"ok": true, "value": "a"}},
		{"mongodb find", map[string]any{"kind": "mongodb", "op": "find", "args": []any{"c", map[string]any{"n": map[string]any{"$gte": 1}}}},
			map[string]any{"ok": true, "value": []any{map[string]any{"_id": "a", "n": int64(1)}}}},
		{"cross kind", map[string]any{"kind": "redis", "op": "find_one", "args": []any{"c", nil}},
			map[string]any{"ok": false, "errno": "unsupported", "error": "kv find_one: not supported: kv: find_one is not supported for Redis (it is a MongoDB method)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := report(t, h, "kv", tc.fields); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

func TestFiles(t *testing.T) {
	h := sdktest.New()
	data := []byte("\x00\xffbinary")
	got := report(t, h, "save_file", map[string]any{"path": "a/b.bin", "file": sdktest.Upload{Name: "b.bin", ContentType: "application/octet-stream", Data: data}})
	if got["path"] != "a/b.bin" || got["crc32"] != int64(crc32.ChecksumIEEE(data)) || got["size"] != int64(len(data)) {
		t.Fatalf("save_file reported %v", got)
	}
	loaded := report(t, h, "load_file", map[string]any{"path": "a/b.bin"})
	if b, _ := base64.StdEncoding.DecodeString(loaded["base64"].(string)); string(b) != string(data) {
		t.Fatalf("load_file gave %q", b)
	}
	if got := report(t, h, "store", map[string]any{"op": "download", "args": []any{"../etc/passwd"}}); got["errno"] != "denied" {
		t.Fatalf("escape: %v", got)
	}
	if got := report(t, h, "store", map[string]any{"op": "list_files", "args": []any{"", true}}); !reflect.DeepEqual(got["value"], []any{"a/b.bin"}) {
		t.Fatalf("list_files: %v", got)
	}
}
