package tck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

// Run runs every behaviour as a subtest against the guest module, each on
// a fresh host. Behaviours that need Redis or MongoDB start them once.
func Run(t *testing.T, guest []byte, behaviours []Behaviour) {
	vars := map[string]any{}
	var redis, mongo *testenv.Server
	for _, b := range behaviours {
		switch {
		case b.Needs == "redis" && redis == nil:
			redis = testenv.StartRedis(t)
			vars["redis"] = redis.URL
			vars["redis_db1"] = strings.TrimSuffix(redis.URL, "/0") + "/1"
		case b.Needs == "mongodb" && mongo == nil:
			mongo = testenv.StartMongo(t)
			vars["mongodb"] = mongo.URL
		}
	}
	for i, b := range behaviours {
		t.Run(b.Section+"/"+b.Name, func(t *testing.T) {
			cfg := testenv.Config(t)
			cfg.MaxHostCalls = MaxHostCalls
			if b.Needs == "redis" {
				cfg.RedisURL = redis.URL
				cfg.KVAllowedURIs = append(cfg.KVAllowedURIs, vars["redis_db1"].(string))
			}
			if b.Needs == "mongodb" {
				cfg.MongoURI = mongo.URL
			}
			module := guest
			if b.Program != "" {
				module = WithProgram(guest, []byte(b.Program))
			}
			logs := &logBuffer{}
			app := fmt.Sprintf("tck%d", i)
			h := testenv.StartLogged(t, cfg, app, module, slog.New(slog.NewTextHandler(logs, nil)))
			r := runner{t: t, url: h.URL, vars: map[string]any{"app": app}, logs: logs}
			for k, v := range vars {
				r.vars[k] = v
			}
			r.tokens = map[string]string{}
			for n, s := range b.Steps {
				r.step(n, s)
			}
		})
	}
}

// MaxHostCalls is the hosts' limit on host calls per request, low so that
// a behaviour reaches it quickly.
const MaxHostCalls = 20_000

type runner struct {
	t      *testing.T
	url    string
	vars   map[string]any
	tokens map[string]string
	logs   *logBuffer
}

func (r *runner) step(n int, s Step) {
	t := r.t
	t.Helper()
	time.Sleep(s.Sleep)
	user := s.As
	if user == "" {
		user = "ada"
	}
	method := s.Method
	if method == "" {
		method = "POST"
	}
	token := r.token(user)
	url := r.url + expand(s.Path, r.vars).(string)
	var resp *testenv.Response
	if s.Files != nil {
		values := map[string]string{}
		for k, v := range expand(s.Body, r.vars).(map[string]any) {
			values[k] = fmt.Sprint(v)
		}
		var parts []testenv.Part
		for _, f := range s.Files {
			parts = append(parts, testenv.Part{Field: f.Field, FileName: f.Name, ContentType: f.ContentType, Data: []byte(f.Data)})
		}
		resp = testenv.DoMultipart(t, url, values, parts, token)
	} else {
		resp = testenv.Do(t, method, url, expand(s.Body, r.vars), token)
	}
	where := fmt.Sprintf("step %d (%s %s as %s)", n, method, s.Path, user)
	want := s.Status
	if want == 0 {
		want = 200
	}
	if resp.Status != want {
		t.Fatalf("%s: status %d, want %d: %s", where, resp.Status, want, resp.Body)
	}
	var data any
	if len(resp.Data) > 0 {
		if err := json.Unmarshal(resp.Data, &data); err != nil {
			t.Fatalf("%s: data: %v", where, err)
		}
	}
	if s.Data != nil {
		if d := Match(expand(s.Data, r.vars), data); d != "" {
			t.Fatalf("%s: data %s\n%s", where, d, resp.Body)
		}
	}
	if s.Error != nil {
		var env struct{ Error any }
		if err := json.Unmarshal(resp.Body, &env); err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		if d := Match(expand(s.Error, r.vars), env.Error); d != "" {
			t.Fatalf("%s: error %s\n%s", where, d, resp.Body)
		}
	}
	if s.ResultKeys != nil {
		if got := resultKeys(resp.Data); !slices.Equal(got, s.ResultKeys) {
			t.Fatalf("%s: result keys %q, want %q", where, got, s.ResultKeys)
		}
	}
	if s.Log != "" && !strings.Contains(r.logs.String(), s.Log) {
		t.Fatalf("%s: the host log has no %q:\n%s", where, s.Log, r.logs.String())
	}
	for name, path := range s.Save {
		v, ok := lookup(data, path)
		if !ok {
			t.Fatalf("%s: no %s to save as %s in %s", where, path, name, resp.Data)
		}
		r.vars[name] = v
	}
}

// token returns user's token, registering the user on first use ("-" has
// none). User names are the app's own: with a database server configured
// the host keeps its users there, shared by every behaviour.
func (r *runner) token(user string) string {
	if user == "-" {
		return ""
	}
	if tok, ok := r.tokens[user]; ok {
		return tok
	}
	tok := testenv.Register(r.t, r.url, user+"-"+r.vars["app"].(string), "pw-"+user+"-0123456")
	r.tokens[user] = tok
	return tok
}

// logBuffer collects a host's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// WithProgram returns module with a walker.program custom section holding
// program appended (ABI.md "Program").
func WithProgram(module, program []byte) []byte {
	name := "walker.program"
	payload := append(uleb(nil, uint32(len(name))), name...)
	payload = append(payload, program...)
	out := append(append([]byte(nil), module...), 0) // custom section id
	out = uleb(out, uint32(len(payload)))
	return append(out, payload...)
}

func uleb(b []byte, v uint32) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// headings returns the "##" to "####" headings of abi/ABI.md.
func headings(doc string) []string {
	var hs []string
	for _, m := range regexp.MustCompile(`(?m)^#{2,4} (.+)$`).FindAllStringSubmatch(doc, -1) {
		hs = append(hs, m[1])
	}
	return hs
}

// resultKeys returns the keys of data's result in the order the body has
// them.
func resultKeys(data []byte) []string {
	var v struct{ Result json.RawMessage }
	if json.Unmarshal(data, &v) != nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(v.Result))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return keys
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return keys
		}
	}
	return keys
}
