package e2e

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"hash/crc32"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// File storage and uploads (docs/API.md file fields, docs/STORAGE.md; abi/ABI.md
// "Storage", "Uploads") black-box over HTTP against guests/kvdemo.

// storageEnv starts kvdemo with storage under a fresh base path and
// returns it with the app's root on disk.
func storageEnv(t *testing.T, tune func(*kvEnvConfig)) (*kvEnv, string) {
	t.Helper()
	c := kvEnvConfig{cfg: kvConfig(t, nil, nil)}
	c.cfg.StoragePath = filepath.Join(t.TempDir(), "files")
	if tune != nil {
		tune(&c)
	}
	e := startKVDemo(t, c.cfg, "alpha")
	return e, filepath.Join(c.cfg.StoragePath, "alpha")
}

type kvEnvConfig struct{ cfg config.Config }

func TestStorage_Methods(t *testing.T) {
	e, root := storageEnv(t, nil)
	e.steps("store", []step{
		{name: "upload", op: "upload", args: `["./docs//a.txt", "hello"]`, want: `"docs/a.txt"`},
		{name: "upload nested", op: "upload", args: `["docs/sub/b.txt", "bee"]`, want: `"docs/sub/b.txt"`},
		{name: "upload top", op: "upload", args: `["top.txt", "top"]`, want: `"top.txt"`},
		{name: "replace", op: "upload", args: `["docs/a.txt", "hello again"]`, want: `"docs/a.txt"`},
		{name: "download", op: "download", args: `["docs/a.txt"]`, want: `{"text": "hello again", "size": 11}`},
		{name: "exists file", op: "exists", args: `["docs/a.txt"]`, want: `true`},
		{name: "exists folder", op: "exists", args: `["docs"]`, want: `true`},
		{name: "exists missing", op: "exists", args: `["docs/none"]`, want: `false`},
		{name: "list root", op: "list_files", args: `["", false]`, want: `["docs", "top.txt"]`},
		{name: "list all", op: "list_files", args: `["", true]`, want: `["docs/a.txt", "docs/sub/b.txt", "top.txt"]`},
		{name: "upload second", op: "upload", args: `["docs/b.txt", "b"]`, want: `"docs/b.txt"`},
		{name: "list folder", op: "list_files", args: `["docs/", false]`, want: `["docs/a.txt", "docs/b.txt", "docs/sub"]`},
		{name: "list folder without slash", op: "list_files", args: `["docs", false]`, want: `["docs/a.txt", "docs/b.txt", "docs/sub"]`},
		{name: "list folder without slash recursive", op: "list_files", args: `["docs", true]`, want: `["docs/a.txt", "docs/b.txt", "docs/sub/b.txt"]`},
		{name: "delete second", op: "delete", args: `["docs/b.txt"]`, want: `true`},
		{name: "list folder recursive", op: "list_files", args: `["docs/", true]`, want: `["docs/a.txt", "docs/sub/b.txt"]`},
		{name: "list name prefix", op: "list_files", args: `["to", true]`, want: `["top.txt"]`},
		{name: "copy", op: "copy", args: `["docs/a.txt", "backup/a.txt"]`, want: `"backup/a.txt"`},
		{name: "copy replaces", op: "copy", args: `["top.txt", "backup/a.txt"]`, want: `"backup/a.txt"`},
		{name: "download copy", op: "download", args: `["backup/a.txt"]`, want: `{"text": "top", "size": 3}`},
		{name: "move file", op: "move", args: `["top.txt", "moved/top.txt"]`, want: `"moved/top.txt"`},
		{name: "moved away", op: "exists", args: `["top.txt"]`, want: `false`},
		{name: "move folder", op: "move", args: `["docs/sub", "archive/sub"]`, want: `"archive/sub"`},
		{name: "download moved", op: "download", args: `["archive/sub/b.txt"]`, want: `{"text": "bee", "size": 3}`},
		{name: "delete file", op: "delete", args: `["backup/a.txt"]`, want: `true`},
		{name: "delete folder", op: "delete", args: `["archive"]`, want: `true`},
		{name: "delete missing", op: "delete", args: `["archive"]`, want: `false`},
		{name: "download missing", op: "download", args: `["none.txt"]`, errno: "not_found", msg: `storage: not found: "none.txt"`},
		{name: "download folder", op: "download", args: `["docs"]`, errno: "bad_argument", msg: "storage: is a folder"},
		{name: "copy folder", op: "copy", args: `["docs", "x"]`, errno: "bad_argument", msg: "storage: is a folder"},
		{name: "upload onto folder", op: "upload", args: `["docs", "x"]`, errno: "bad_argument", msg: "storage: is a folder"},
		{name: "delete root", op: "delete", args: `["."]`, errno: "bad_argument", msg: "names the storage root"},
		{name: "list all after", op: "list_files", args: `["", true]`, want: `["docs/a.txt", "moved/top.txt"]`},
	})
	o := e.store("get_metadata", "docs/a.txt")
	m, _ := o.Value.(map[string]any)
	if !o.OK || m["name"] != "a.txt" || m["path"] != "docs/a.txt" || m["size"] != 11.0 || m["is_dir"] != false {
		t.Fatalf("get_metadata = %+v", o)
	}
	for _, k := range []string{"modified", "created"} {
		ts, err := time.Parse(time.RFC3339Nano, m[k].(string))
		if err != nil || time.Since(ts) > time.Minute || time.Since(ts) < -time.Minute {
			t.Fatalf("%s = %v (%v), want about now", k, m[k], err)
		}
	}
	if o := e.store("get_metadata", "docs"); o.Value.(map[string]any)["is_dir"] != true {
		t.Fatalf("folder metadata = %+v", o)
	}
	if b, err := os.ReadFile(filepath.Join(root, "docs", "a.txt")); err != nil || string(b) != "hello again" {
		t.Fatalf("on disk: %q, %v", b, err)
	}
}

// TestStorage_Escapes tries to leave the app's root through every way the
// ABI allows, with links planted in the root as an operator might: all
// are refused and nothing outside changes.
func TestStorage_Escapes(t *testing.T) {
	e, root := storageEnv(t, nil)
	outside := filepath.Dir(filepath.Dir(root))
	secret := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secret, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(outside, "outdir"), 0o755); err != nil {
		t.Fatal(err)
	}
	mustOK(t, e.store("upload", "ok.txt", "ok"))
	for name, target := range map[string]string{
		"out-rel": "../../secret.txt", "out-abs": secret, "dir-rel": "../../outdir", "in-chain": "out-rel",
	} {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	paths := []struct{ name, path, errno string }{
		{"dotdot", "../secret.txt", "denied"},
		{"dotdot deep", "a/../../../secret.txt", "denied"},
		{"another app", "../beta/x.txt", "denied"},
		{"absolute", "/etc/passwd", "denied"},
		{"nul byte", "ok.txt\x00/../../secret.txt", "bad_argument"},
		{"backslash", `..\secret.txt`, "bad_argument"},
		{"empty", "", "bad_argument"},
		{"planted link out", "out-rel", "denied"},
		{"planted absolute link", "out-abs", "denied"},
		{"link to a link out", "in-chain", "denied"},
		{"linked parent folder", "dir-rel/x.txt", "denied"},
	}
	ops := []struct {
		name string
		args func(p string) []any
	}{
		{"upload", func(p string) []any { return []any{p, "pwned"} }},
		{"download", func(p string) []any { return []any{p} }},
		{"exists", func(p string) []any { return []any{p} }},
		{"get_metadata", func(p string) []any { return []any{p} }},
		{"copy", func(p string) []any { return []any{p, "stolen.txt"} }},
		{"copy", func(p string) []any { return []any{"ok.txt", p} }},
		{"move", func(p string) []any { return []any{"ok.txt", p} }},
	}
	for _, op := range ops {
		for _, tc := range paths {
			o := e.store(op.name, op.args(tc.path)...)
			if o.OK || o.Errno != tc.errno || !strings.HasPrefix(o.Error, "store "+op.name+": ") || !strings.Contains(o.Error, "storage: ") {
				t.Fatalf("%s %q: %+v, want %s", op.name, tc.path, o, tc.errno)
			}
		}
	}
	for _, tc := range paths[:7] {
		for _, op := range []string{"delete", "move"} {
			if o := e.store(op, tc.path, "x"); o.Errno != tc.errno {
				t.Fatalf("%s %q: %+v, want %s", op, tc.path, o, tc.errno)
			}
		}
	}
	for _, prefix := range []string{"../", "/", "dir-rel/"} {
		if o := e.store("list_files", prefix, true); o.OK && len(o.Value.([]any)) > 0 {
			t.Fatalf("list_files %q listed outside the root: %+v", prefix, o)
		}
	}
	assertJSON(t, "the root's files", e.store("list_files", "", true).Value, `["ok.txt"]`)
	if b, err := os.ReadFile(secret); err != nil || string(b) != "secret" {
		t.Fatalf("the outside file changed: %q, %v", b, err)
	}
	if names, _ := os.ReadDir(filepath.Join(outside, "outdir")); len(names) != 0 {
		t.Fatalf("files written outside the root: %v", names)
	}
}

// TestStorage_UploadRoundTrip sends 1 MiB of random bytes as a multipart
// file to one walker, which stores it, and reads it back through another:
// the bytes are the same, end to end.
func TestStorage_UploadRoundTrip(t *testing.T) {
	e, root := storageEnv(t, nil)
	data := make([]byte, 1<<20)
	if _, err := rand.Read(data); err != nil {
		t.Fatal(err)
	}
	r := testenv.DoMultipart(t, e.h.URL+"/walker/save_file", map[string]string{"path": "uploads/big.bin"},
		[]testenv.Part{{Field: "file", FileName: "big.bin", ContentType: "application/octet-stream", Data: data}}, e.token)
	p := r.Walker(t)
	assertJSON(t, "save_file", p.Reports, `[{"path": "uploads/big.bin", "name": "big.bin", "content_type": "application/octet-stream",
		"size": 1048576, "crc32": `+jsonNumber(crc32.ChecksumIEEE(data))+`}]`)
	assertJSON(t, "save_file result", p.Result, `{"file": {"name": "big.bin", "content_type": "application/octet-stream", "size": 1048576}, "path": "uploads/big.bin"}`)
	onDisk, err := os.ReadFile(filepath.Join(root, "uploads", "big.bin"))
	if err != nil || !bytes.Equal(onDisk, data) {
		t.Fatalf("stored file differs (%d bytes, %v)", len(onDisk), err)
	}
	got := testenv.Do(t, "GET", e.h.URL+"/walker/load_file?path=uploads/big.bin", nil, e.token).Walker(t)
	rep := got.Reports[0].(map[string]any)
	back, err := base64.StdEncoding.DecodeString(rep["base64"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(back) != sha256.Sum256(data) || rep["size"] != float64(len(data)) {
		t.Fatalf("downloaded %d bytes with another SHA-256", len(back))
	}
}

func jsonNumber(n uint32) string { return strconv.FormatUint(uint64(n), 10) }

// TestStorage_Multipart_Errors: file fields are checked like any other.
func TestStorage_Multipart_Errors(t *testing.T) {
	e, _ := storageEnv(t, nil)
	url := e.h.URL + "/walker/save_file"
	file := []testenv.Part{{Field: "file", FileName: "a.txt", ContentType: "text/plain", Data: []byte("a")}}
	tests := []struct {
		name    string
		do      func() *testenv.Response
		loc     string
		typ     string
		message string
	}{
		{"no file", func() *testenv.Response {
			return testenv.DoMultipart(t, url, map[string]string{"path": "a"}, nil, e.token)
		}, `["body","file"]`, "missing", "Field required"},
		{"text for the file", func() *testenv.Response {
			return testenv.DoMultipart(t, url, map[string]string{"path": "a", "file": "not a file"}, nil, e.token)
		}, `["body","file"]`, "value_error", "Expected UploadFile, received: str"},
		{"a file for the path", func() *testenv.Response {
			return testenv.DoMultipart(t, url, nil, append(file, testenv.Part{Field: "path", FileName: "p", Data: []byte("p")}), e.token)
		}, `["body","path"]`, "string_type", "Input should be a string, not a file"},
		{"json for the file", func() *testenv.Response {
			return testenv.Do(t, "POST", url, map[string]any{"path": "a", "file": "x"}, e.token)
		}, `["body","file"]`, "value_error", "Expected UploadFile"},
		{"no boundary", func() *testenv.Response {
			return testenv.DoRaw(t, "POST", url, "multipart/form-data", []byte("x"), e.token)
		}, `["body"]`, "value_error", "no boundary"},
		{"torn body", func() *testenv.Response {
			return testenv.DoRaw(t, "POST", url, "multipart/form-data; boundary=XX", []byte("--XX\r\nContent-Disposition: form-data; name=\"path\"\r\n\r\nab"), e.token)
		}, `["body"]`, "value_error", "multipart/form-data body is malformed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.do()
			if r.Status != 422 || r.Error == nil || r.Error.Code != "VALIDATION_ERROR" {
				t.Fatalf("got %d %s", r.Status, r.Body)
			}
			var details []struct {
				Loc  any    `json:"loc"`
				Type string `json:"type"`
				Msg  string `json:"msg"`
			}
			if err := json.Unmarshal(r.Error.Details, &details); err != nil || len(details) != 1 {
				t.Fatalf("details %s: %v", r.Error.Details, err)
			}
			assertJSON(t, "loc", details[0].Loc, tc.loc)
			if details[0].Type != tc.typ || !strings.Contains(details[0].Msg, tc.message) {
				t.Fatalf("detail %+v", details[0])
			}
		})
	}
	// Other fields of a form are typed as usual: repeat is an int.
	r := testenv.DoMultipart(t, e.h.URL+"/walker/kv", map[string]string{"kind": "redis", "op": "get", "args": `["k"]`, "repeat": "x"}, nil, e.token)
	if r.Status != 422 || !strings.Contains(string(r.Body), `"loc":["body","repeat"]`) {
		t.Fatalf("a form value of the wrong type: %d %s", r.Status, r.Body)
	}
}

// TestStorage_Limits: the body limit applies to uploads; a download larger
// than the guest's memory is refused before it is read; a report too large
// for the report limit fails the walker.
func TestStorage_Limits(t *testing.T) {
	e, root := storageEnv(t, func(c *kvEnvConfig) {
		c.cfg.MaxBodyBytes = 4096 // small enough that the refused body fits the socket buffers
		c.cfg.MemoryLimitMB = 16
		c.cfg.MaxReportBytes = 256 << 10
	})
	r := testenv.DoMultipart(t, e.h.URL+"/walker/save_file", map[string]string{"path": "big"},
		[]testenv.Part{{Field: "file", FileName: "big", Data: make([]byte, 8192)}}, e.token)
	if r.Status != 413 || r.Error == nil || r.Error.Code != "LIMIT_EXCEEDED" {
		t.Fatalf("upload over the body limit: %d %s", r.Status, r.Body)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "huge.bin"), make([]byte, 17<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	if o := e.store("download", "huge.bin"); o.Errno != "too_large" || !strings.Contains(o.Error, "more than the 16777216 allowed") {
		t.Fatalf("download over the memory limit: %+v", o)
	}
	if err := os.WriteFile(filepath.Join(root, "mid.bin"), make([]byte, 300<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	r = testenv.Do(t, "GET", e.h.URL+"/walker/load_file?path=mid.bin", nil, e.token)
	if r.Status != 507 || r.Error == nil || !strings.Contains(r.Error.Message, "report_bytes limit exceeded") {
		t.Fatalf("report over the limit: %d %s", r.Status, r.Body)
	}
}
