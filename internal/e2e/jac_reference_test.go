package e2e

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/internal/identity"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// Every Jac example of jac-scale's reference (testdata/jac/reference, one
// program per example) served as `jac start FILE.jac` serves it, and each
// answering the requests the reference describes as the reference says.

// refStep is one request and the answer the reference promises.
type refStep struct {
	name         string
	method, path string // {var} in path and body is a value saved by an earlier step
	body         string
	as           string            // "" anonymous; a user name (registered on first use); "hook:USER" a webhook call with USER's API key
	upload       []byte            // a multipart request with this as the "file" part
	status       int               // 0 means 200
	code         string            // the error code, for status >= 400
	reports      string            // the reports as JSON ("" = not checked)
	result       string            // the result as JSON ("" = not checked)
	save         map[string]string // var → field of the first report ("" = the report itself)
	check        func(reports []any) error
}

// refCase is one reference program and its requests.
type refCase struct {
	file    string
	servers bool // needs Redis and MongoDB (kvstore)
	steps   []refStep
}

var referenceCases = []refCase{
	{file: "01_walker_endpoint", steps: []refStep{
		{name: "POST /walker/get_users", method: "POST", path: "/walker/get_users", body: `{}`, as: "alice", reports: `[[]]`},
		{name: "protected by default", method: "POST", path: "/walker/get_users", body: `{}`, status: 401, code: "UNAUTHORIZED"},
	}},
	{file: "02_request_format", steps: []refStep{
		{name: "fields from the body", method: "POST", path: "/walker/search", body: `{"query": "hello", "limit": 20}`, as: "alice", reports: `[]`, result: `{"query":"hello","limit":20}`},
		{name: "default limit", method: "POST", path: "/walker/search", body: `{"query": "hello"}`, as: "alice", reports: `[]`, result: `{"query":"hello","limit":10}`},
		{name: "query required", method: "POST", path: "/walker/search", body: `{"limit": 5}`, as: "alice", status: 422, code: "VALIDATION_ERROR"},
	}},
	{file: "03_restspec_method", steps: []refStep{
		{name: "GET /walker/get_users", method: "GET", path: "/walker/get_users", reports: `[[]]`},
		{name: "no longer POST", method: "POST", path: "/walker/get_users", body: `{}`, status: 405, code: "METHOD_NOT_ALLOWED"},
	}},
	{file: "04_restspec_path", steps: []refStep{
		{name: "GET /custom/users", method: "GET", path: "/custom/users", reports: `[[]]`},
		{name: "only at its path", method: "GET", path: "/walker/list_users", status: 404, code: "NOT_FOUND"},
	}},
	{file: "05_restspec_functions", steps: []refStep{
		{name: "GET /function/health_check", method: "GET", path: "/function/health_check", result: `{"status":"healthy"}`},
		{name: "GET /custom/status", method: "GET", path: "/custom/status", result: `{"status":"running","version":"1.0.0"}`},
	}},
	{file: "06_perm_grant", steps: []refStep{
		createNote,
		{name: "bob cannot read", method: "POST", path: "/walker/read_note/{note}", body: `{}`, as: "bob", status: 403, code: "FORBIDDEN"},
		{name: "perm_grant READ", method: "POST", path: "/walker/share_read/{note}", body: `{}`, as: "alice", reports: `["shared"]`},
		{name: "bob reads", method: "POST", path: "/walker/read_note/{note}", body: `{}`, as: "bob", reports: `["hello"]`},
		bobCannotWrite, stillHello,
		{name: "perm_grant WRITE", method: "POST", path: "/walker/share_write/{note}", body: `{}`, as: "alice", reports: `["shared"]`},
		{name: "bob writes", method: "POST", path: "/walker/write_note/{note}", body: `{"text": "bob"}`, as: "bob", reports: `["bob"]`},
		{name: "alice sees bob's text", method: "POST", path: "/walker/read_note/{note}", body: `{}`, as: "alice", reports: `["bob"]`},
	}},
	{file: "07_allow_root", steps: []refStep{
		bobRoot, createNote,
		{name: "bob cannot read", method: "POST", path: "/walker/read_note/{note}", body: `{}`, as: "bob", status: 403, code: "FORBIDDEN"},
		{name: "allow_root READ", method: "POST", path: "/walker/allow_read/{note}", body: `{"target_root_id": "{bob_root}"}`, as: "alice", reports: `["allowed"]`},
		{name: "bob reads", method: "POST", path: "/walker/read_note/{note}", body: `{}`, as: "bob", reports: `["hello"]`},
		{name: "carol still cannot", method: "POST", path: "/walker/read_note/{note}", body: `{}`, as: "carol", status: 403, code: "FORBIDDEN"},
		bobCannotWrite, stillHello,
		{name: "allow_root WRITE", method: "POST", path: "/walker/allow_write/{note}", body: `{"target_root_id": "{bob_root}"}`, as: "alice", reports: `["allowed"]`},
		{name: "bob writes", method: "POST", path: "/walker/write_note/{note}", body: `{"text": "bob"}`, as: "bob", reports: `["bob"]`},
	}},
	{file: "08_perm_revoke", steps: []refStep{
		createNote,
		{name: "perm_grant READ", method: "POST", path: "/walker/share_read/{note}", body: `{}`, as: "alice", reports: `["shared"]`},
		{name: "bob reads", method: "POST", path: "/walker/read_note/{note}", body: `{}`, as: "bob", reports: `["hello"]`},
		{name: "perm_revoke", method: "POST", path: "/walker/unshare/{note}", body: `{}`, as: "alice", reports: `["revoked"]`},
		{name: "bob no longer reads", method: "POST", path: "/walker/read_note/{note}", body: `{}`, as: "bob", status: 403, code: "FORBIDDEN"},
	}},
	{file: "09_disallow_root", steps: []refStep{
		bobRoot, createNote,
		{name: "allow_root READ", method: "POST", path: "/walker/allow_read/{note}", body: `{"target_root_id": "{bob_root}"}`, as: "alice", reports: `["allowed"]`},
		{name: "bob reads", method: "POST", path: "/walker/read_note/{note}", body: `{}`, as: "bob", reports: `["hello"]`},
		{name: "disallow_root", method: "POST", path: "/walker/disallow_read/{note}", body: `{"target_root_id": "{bob_root}"}`, as: "alice", reports: `["disallowed"]`},
		{name: "bob no longer reads", method: "POST", path: "/walker/read_note/{note}", body: `{}`, as: "bob", status: 403, code: "FORBIDDEN"},
	}},
	{file: "10_webhook", steps: []refStep{
		{name: "POST /webhook/PaymentReceived", method: "POST", path: "/webhook/PaymentReceived", as: "hook:alice",
			body:    `{"payment_id":"PAY-12345","amount":99.99,"currency":"USD"}`,
			reports: `[{"status":"success","message":"Payment PAY-12345 received","amount":99.99,"currency":"USD"}]`},
		{name: "currency defaults to USD", method: "POST", path: "/webhook/PaymentReceived", as: "hook:alice",
			body:    `{"payment_id":"PAY-2","amount":5}`,
			reports: `[{"status":"success","message":"Payment PAY-2 received","amount":5,"currency":"USD"}]`},
		{name: "not a /walker/ endpoint", method: "POST", path: "/walker/PaymentReceived", body: `{"payment_id":"x","amount":1}`, as: "alice", status: 404, code: "NOT_FOUND"},
		{name: "needs an API key", method: "POST", path: "/webhook/PaymentReceived", body: `{"payment_id":"x","amount":1}`, status: 401, code: "UNAUTHORIZED"},
	}},
	{file: "11_store_builtin", steps: []refStep{
		{name: "three storages", method: "POST", path: "/walker/storage_ready", body: `{}`, reports: `[[false,false,false]]`},
	}},
	{file: "12_storage_usage", steps: []refStep{
		{name: "upload_file", method: "POST", path: "/walker/upload_file", upload: []byte("hello world"), save: map[string]string{"path": "storage_path"},
			check: func(r []any) error {
				m, _ := firstReport(r).(map[string]any)
				p, _ := m["storage_path"].(string)
				if m["success"] != true || m["size"] != float64(11) || !strings.HasPrefix(p, "documents/") || !strings.HasSuffix(p, ".dat") {
					return fmt.Errorf("upload report %v", r)
				}
				return nil
			}},
		{name: "list_files", method: "POST", path: "/walker/list_files", body: `{}`,
			check: func(r []any) error {
				m, _ := firstReport(r).(map[string]any)
				files, _ := m["files"].([]any)
				if len(files) != 1 {
					return fmt.Errorf("list_files reported %v", r)
				}
				f, _ := files[0].(map[string]any)
				if p, _ := f["path"].(string); f["size"] != float64(11) || !strings.HasPrefix(p, "documents/") || f["name"] != strings.TrimPrefix(p, "documents/") {
					return fmt.Errorf("list_files reported %v", r)
				}
				return nil
			}},
		{name: "download_file", method: "POST", path: "/walker/download_file", body: `{"path": "{path}"}`,
			check: func(r []any) error {
				if m, _ := firstReport(r).(map[string]any); m["size"] != float64(11) {
					return fmt.Errorf("download reported %v", r)
				}
				return nil
			}},
		{name: "download a missing file", method: "POST", path: "/walker/download_file", body: `{"path": "documents/none.dat"}`, reports: `[{"error":"File not found"}]`},
	}},
	{file: "13_storage_factory", steps: []refStep{
		{name: "two storages", method: "POST", path: "/walker/factory_ready", body: `{}`, reports: `[[false,false]]`},
	}},
	{file: "14_async_walker", steps: []refStep{
		{name: "awaits each item", method: "POST", path: "/walker/async_processor", body: `{"items": [1, 2, 3]}`, as: "alice", reports: `[[2,4,6]]`},
	}},
	{file: "15_kvstore", servers: true, steps: []refStep{
		{name: "both handles", method: "POST", path: "/walker/open_stores", body: `{}`, as: "alice", reports: `[[false,false]]`},
	}},
	{file: "16_mongodb", servers: true, steps: []refStep{
		{name: "the MongoDB example", method: "POST", path: "/walker/mongo_example", body: `{}`, as: "alice",
			reports: `[{"alice":"Alice","admins":1,"older":1,"age_now":31,"session":{"status":"active"}}]`},
	}},
	{file: "17_redis", servers: true, steps: []refStep{
		{name: "the Redis example", method: "POST", path: "/walker/redis_example", body: `{}`, as: "alice",
			reports: `[{"sessions":["session:user123"],"session":{"user_id":"123","username":"alice"},"views":2}]`},
	}},
	{file: "18_health", steps: []refStep{
		{name: "POST /walker/health", method: "POST", path: "/walker/health", body: `{}`, as: "alice", reports: `[{"status":"healthy"}]`},
	}},
	{file: "19_ready", steps: []refStep{
		{name: "POST /walker/ready", method: "POST", path: "/walker/ready", body: `{}`, as: "alice", reports: `[{"status":"ready"}]`},
	}},
	{file: "20_allroots", steps: []refStep{
		{name: "at least the caller's root", method: "POST", path: "/walker/count_roots", body: `{}`, as: "alice", reports: `[true]`},
	}},
	{file: "21_commit", steps: []refStep{
		{name: "first item", method: "POST", path: "/walker/save_item", body: `{}`, as: "alice", reports: `[1]`},
		{name: "kept", method: "POST", path: "/walker/save_item", body: `{}`, as: "alice", reports: `[2]`},
	}},
}

var (
	// READ is read-only: a write is refused and changes nothing.
	bobCannotWrite = refStep{name: "bob cannot write", method: "POST", path: "/walker/write_note/{note}", body: `{"text": "bob"}`, as: "bob", status: -1}
	stillHello     = refStep{name: "the note is unchanged", method: "POST", path: "/walker/read_note/{note}", body: `{}`, as: "alice", reports: `["hello"]`}
	createNote     = refStep{name: "alice creates a note", method: "POST", path: "/walker/create_note", body: `{"text": "hello"}`, as: "alice",
		save: map[string]string{"note": "_jac_id"}}
	bobRoot = refStep{name: "bob's root id", method: "POST", path: "/walker/my_root", body: `{}`, as: "bob",
		save: map[string]string{"bob_root": ""}}
)

func firstReport(r []any) any {
	if len(r) == 0 {
		return nil
	}
	return r[0]
}

// TestJacReference serves each reference program and makes its requests.
// A program listed in testdata/jac/KNOWN_GAPS as reference/NAME must fail
// (the list only shrinks).
func TestJacReference(t *testing.T) {
	gaps, err := readKnownGaps()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(testenv.RepoRoot(t), "testdata", "jac", "reference", "*.jac"))
	if len(files) != len(referenceCases) {
		t.Errorf("%d reference programs but %d cases: every program needs its requests", len(files), len(referenceCases))
	}
	for _, c := range referenceCases {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel()
			err := runReference(t, c)
			reason, gap := gaps["reference/"+c.file]
			switch {
			case gap && err == nil:
				t.Errorf("reference/%s now answers as the reference says: take it off testdata/jac/KNOWN_GAPS (it said: %s)", c.file, reason)
			case gap:
				t.Logf("known gap (%s): %v", reason, err)
			case err != nil:
				t.Error(err)
			}
		})
	}
}

func runReference(t *testing.T, c refCase) error {
	wasm, err := testenv.TryJacGuest(filepath.Join("testdata", "jac", "reference", c.file+".jac"))
	if err != nil {
		return err
	}
	cfg := testenv.Config(t)
	if c.servers {
		testenv.SharedDatabases(t, &cfg)
	}
	h, err := testenv.TryStart(t, cfg, "ref", wasm)
	if err != nil {
		return err
	}
	tokens := map[string]string{}
	keys := map[string]string{}
	vars := map[string]string{}
	token := func(user string) (string, error) {
		if tok, ok := tokens[user]; ok || user == "" {
			return tok, nil
		}
		r, err := testenv.Try("POST", h.URL+"/user/register", map[string]string{"username": user, "password": "pw-" + user}, "")
		if err != nil || r.Status != 201 {
			return "", fmt.Errorf("register %s: %v %v", user, err, r)
		}
		var d struct{ Token string }
		if err := json.Unmarshal(r.Data, &d); err != nil {
			return "", err
		}
		tokens[user] = d.Token
		return d.Token, nil
	}
	for _, s := range c.steps {
		path, body := expand(s.path, vars), expand(s.body, vars)
		user := strings.TrimPrefix(s.as, "hook:")
		tok, err := token(user)
		if err != nil {
			return err
		}
		var r *testenv.Response
		switch {
		case strings.HasPrefix(s.as, "hook:"):
			if keys[user] == "" {
				kr, err := testenv.Try("POST", h.URL+"/api-key/create", map[string]any{"name": "reference"}, tok)
				if err != nil || kr.Status != 201 {
					return fmt.Errorf("create API key: %v %v", err, kr)
				}
				var k apiKey
				if err := json.Unmarshal(kr.Data, &k); err != nil {
					return err
				}
				keys[user] = k.Key
			}
			r, err = webhook(h.URL+path, keys[user], body)
		case s.upload != nil:
			r, err = uploadFile(h.URL+path, s.upload, tok)
		default:
			var b any
			if body != "" {
				b = body
			}
			r, err = testenv.Try(s.method, h.URL+path, b, tok)
		}
		if err != nil {
			return fmt.Errorf("%s: %v", s.name, err)
		}
		if err := checkStep(s, r, vars); err != nil {
			return fmt.Errorf("%s: %s %s: %v\n%s", s.name, s.method, path, err, r.Body)
		}
	}
	return nil
}

func checkStep(s refStep, r *testenv.Response, vars map[string]string) error {
	status := s.status
	if status == 0 {
		status = 200
	}
	if status == -1 {
		if r.Status < 400 {
			return fmt.Errorf("status %d, want an error", r.Status)
		}
		return nil
	}
	if r.Status != status {
		return fmt.Errorf("status %d, want %d", r.Status, status)
	}
	if status >= 400 {
		if r.Error == nil || r.Error.Code != s.code {
			return fmt.Errorf("want error code %s", s.code)
		}
		return nil
	}
	var p testenv.Payload
	if err := json.Unmarshal(r.Data, &p); err != nil {
		return err
	}
	if err := sameJSON("reports", p.Reports, s.reports); err != nil {
		return err
	}
	if err := sameJSON("result", p.Result, s.result); err != nil {
		return err
	}
	if s.check != nil {
		if err := s.check(p.Reports); err != nil {
			return err
		}
	}
	for v, field := range s.save {
		rep := firstReport(p.Reports)
		if field != "" {
			m, _ := rep.(map[string]any)
			rep = m[field]
		}
		str, ok := rep.(string)
		if !ok || str == "" {
			return fmt.Errorf("no %q to save as %s in %v", field, v, p.Reports)
		}
		vars[v] = str
	}
	return nil
}

func sameJSON(what string, got any, want string) error {
	if want == "" {
		return nil
	}
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		return err
	}
	if !reflect.DeepEqual(normalizeJSON(got), w) {
		g, _ := json.Marshal(got)
		return fmt.Errorf("%s = %s, want %s", what, g, want)
	}
	return nil
}

func expand(s string, vars map[string]string) string {
	for k, v := range vars {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

// webhook calls a webhook walker as the reference shows: the API key and
// the HMAC-SHA256 signature of the body in headers.
func webhook(url, key, body string) (*testenv.Response, error) {
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		ts := freshTS()
		req.Header.Set("X-API-Key", key)
		req.Header.Set("X-Webhook-Timestamp", ts)
		req.Header.Set("X-Webhook-Signature", hex.EncodeToString(identity.Sign(key, ts, []byte(body))))
	}
	return testenv.Send(req, "")
}

// uploadFile sends data as the "file" part of a multipart form.
func uploadFile(url string, data []byte, token string) (*testenv.Response, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", "report.txt")
	if err != nil {
		return nil, err
	}
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequest("POST", url, &buf)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return testenv.Send(req, token)
}

// readKnownGaps reads testdata/jac/KNOWN_GAPS (the format internal/jacdiff
// documents): a name and a reason per line, # comments.
func readKnownGaps() (map[string]string, error) {
	f, err := os.Open(filepath.Join(testenv.RepoRoot(nil), "testdata", "jac", "KNOWN_GAPS"))
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gaps := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		n, reason, _ := strings.Cut(text, " ")
		gaps[strings.TrimSuffix(n, ".jac")] = strings.TrimSpace(reason)
	}
	return gaps, sc.Err()
}

// TestJacReportGenerator streams a Jac walker's `report gen()` over
// Server-Sent Events: one report event per value the generator yields, in
// order, then done. Listed in testdata/jac/KNOWN_GAPS as stream/app, it is
// skipped with the list's reason.
func TestJacReportGenerator(t *testing.T) {
	gaps, err := readKnownGaps()
	if err != nil {
		t.Fatal(err)
	}
	if reason, ok := gaps["stream/app"]; ok {
		t.Skipf("testdata/jac/KNOWN_GAPS: stream/app %s", reason)
	}
	h := testenv.Start(t, testenv.Config(t), "stream", testenv.JacGuest(t, "testdata/jac/stream/app.jac"))
	evs := testenv.OpenStream(t, h.URL+"/walker/count_down", `{"n": 2}`).All(t)
	var got []string
	for _, ev := range evs {
		got = append(got, ev.Name+" "+ev.Data)
	}
	want := []string{`report 2`, `report 1`, `report "liftoff"`}
	if len(got) != len(want)+1 || !reflect.DeepEqual(got[:len(want)], want) || evs[len(evs)-1].Name != "done" {
		t.Fatalf("events %q, want %q then done", got, want)
	}
	if d := evs[len(evs)-1].Envelope(t); d.Status != 200 {
		t.Fatalf("done: %s", d.Body)
	}
}
