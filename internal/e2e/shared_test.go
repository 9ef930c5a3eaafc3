package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/host"
	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// Hosts sharing Redis and MongoDB. Two in-process hosts share nothing but
// those servers: each has its own data directory, store client, caches and
// HTTP listener. TestDurability_Kill9 runs a host as a separate process.

// twoHosts starts two hosts of module name on one shared tier. With
// noSecret, neither is given a JWT secret, so they must agree on the one
// kept in the store.
func twoHosts(t *testing.T, name string, noSecret bool) (*testenv.Host, *testenv.Host) {
	t.Helper()
	wasm := testenv.Guest(t, name)
	cfg := testenv.Config(t)
	testenv.SharedDatabases(t, &cfg)
	var hs [2]*testenv.Host
	for i := range hs {
		c := cfg
		c.DataDir = t.TempDir()
		if noSecret {
			c.JWTSecret = ""
		}
		hs[i] = testenv.Start(t, c, name, wasm)
	}
	return hs[0], hs[1]
}

func TestTwoHosts_Identity(t *testing.T) {
	a, b := twoHosts(t, "hello", true)
	reg := register(t, a.URL, "xena", "pw-xena")
	r := testenv.Do(t, "POST", b.URL+"/user/login", map[string]string{"username": "xena", "password": "pw-xena"}, "")
	var login account
	r.Decode(t, &login)
	if r.Status != 200 || login.RootID != reg.RootID {
		t.Fatalf("login on the other host: %d %s", r.Status, r.Body)
	}
	for name, tok := range map[string]string{"token from a": reg.Token, "token from b": login.Token} {
		for _, h := range []*testenv.Host{a, b} {
			if r := testenv.Do(t, "GET", h.URL+"/api-key/list", nil, tok); r.Status != 200 {
				t.Fatalf("%s refused: %d %s", name, r.Status, r.Body)
			}
		}
	}
	wantErr(t, "same user on the other host", testenv.Do(t, "POST", b.URL+"/user/register",
		map[string]string{"username": "xena", "password": "x"}, ""), 400, "USER_EXISTS", "")

	key := createKey(t, a, reg.Token, map[string]any{"name": "ci"})
	body := `{"event":"shared"}`
	wantEvent(t, "key made on a, used on b", callHook(t, b, "on_event", hook{key: key.Key, body: body}), "shared", reg.RootID)
	if keys := listKeys(t, b, login.Token); len(keys) != 1 || keys[0].ID != key.ID {
		t.Fatalf("keys listed on b: %+v", keys)
	}
	if r := testenv.Do(t, "DELETE", a.URL+"/api-key/"+key.ID, nil, reg.Token); r.Status != 200 {
		t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
	wantErr(t, "revoked on a, used on b", callHook(t, b, "on_event", hook{key: key.Key, body: body}), 401, "UNAUTHORIZED", "Invalid or expired API key")

	r = testenv.Do(t, "PUT", b.URL+"/user/username", map[string]string{"current_username": "xena", "new_username": "xena2"}, login.Token)
	if r.Status != 200 {
		t.Fatalf("rename on b: %d %s", r.Status, r.Body)
	}
	wantErr(t, "old name's token on a after a rename on b", testenv.Do(t, "GET", a.URL+"/api-key/list", nil, reg.Token), 401, "UNAUTHORIZED", "")
}

func TestTwoHosts_NodesAreFresh(t *testing.T) {
	a, b := twoHosts(t, "todo", false)
	token := testenv.Register(t, a.URL, "nia", "pw")
	milk := createTodo(t, a, token, "milk")
	assertJSON(t, "list on b right after create on a", listTitles(t, b, token), `["milk:false"]`)
	upd := testenv.Do(t, "POST", b.URL+"/walker/update_todo", map[string]any{"id": milk.ID, "done": true}, token)
	if upd.Status != 200 {
		t.Fatalf("update on b: %d %s", upd.Status, upd.Body)
	}
	assertJSON(t, "list on a right after update on b", listTitles(t, a, token), `["milk:true"]`)
	testenv.Do(t, "POST", a.URL+"/walker/delete_todo", map[string]any{"id": milk.ID}, token).Walker(t)
	if got := listTitles(t, b, token); len(got) != 0 {
		t.Fatalf("list on b right after delete on a: %v", got)
	}
}

// readNeverStale reads the todo's version from the host at url until stop
// closes, counting reads, and sends an error when a read started after
// version acked was acknowledged shows an older one.
func readNeverStale(url, token string, acked, reads *atomic.Int64, stop <-chan struct{}, errs chan<- error) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		floor := acked.Load()
		v, err := todoVersion(url, token)
		if err == nil && v < floor {
			err = fmt.Errorf("read v%d on b after v%d was acknowledged on a", v, floor)
		}
		if err != nil {
			errs <- err
			return
		}
		reads.Add(1)
	}
}

// TestTwoHosts_UpdateHammer updates a todo's title on one host while
// readers on the other check that no read started after an update's
// response shows an older title.
func TestTwoHosts_UpdateHammer(t *testing.T) {
	a, b := twoHosts(t, "todo", false)
	token := testenv.Register(t, a.URL, "ola", "pw")
	td := createTodo(t, a, token, "v0")
	var acked atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var reads atomic.Int64
	errs := make(chan error, 8)
	for range 4 {
		wg.Go(func() { readNeverStale(b.URL, token, &acked, &reads, stop, errs) })
	}
	const rounds = 150
	for i := int64(1); i <= rounds; i++ {
		r := testenv.Do(t, "POST", a.URL+"/walker/update_todo", map[string]any{"id": td.ID, "title": "v" + strconv.FormatInt(i, 10)}, token)
		if r.Status != 200 {
			t.Fatalf("update %d: %d %s", i, r.Status, r.Body)
		}
		acked.Store(i)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if v, err := todoVersion(b.URL, token); err != nil || v != rounds {
		t.Fatalf("final read: v%d, %v", v, err)
	}
	st, _ := b.TierStats()
	if st.L1Hits == 0 || st.Invalidations == 0 {
		t.Fatalf("host b's store: %+v; want L1 hits and invalidations", st)
	}
	t.Logf("%d reads on b during %d updates on a; b's store: %+v", reads.Load(), rounds, st)
}

// todoVersion lists the caller's single todo on base and returns N of its
// title "vN".
func todoVersion(base, token string) (int64, error) {
	r, err := testenv.Try("GET", base+"/walker/list_todos", nil, token)
	if err != nil {
		return 0, err
	}
	var p struct{ Reports []todo }
	if r.Status != 200 || json.Unmarshal(r.Data, &p) != nil || len(p.Reports) != 1 {
		return 0, fmt.Errorf("list: %d %s", r.Status, r.Body)
	}
	return strconv.ParseInt(strings.TrimPrefix(p.Reports[0].Title, "v"), 10, 64)
}

// TestTwoHosts_RedisRestart kills Redis under two hosts in the middle of
// reads on one and updates on the other, and starts it again empty: reads
// keep being answered (from MongoDB) and never go back in time, updates
// wait for Redis and then go through, and the cache fills again.
func TestTwoHosts_RedisRestart(t *testing.T) {
	redis := testenv.StartRedis(t)
	_, mongo := testenv.SharedServers(t)
	wasm := testenv.Guest(t, "todo")
	cfg := testenv.Config(t)
	cfg.RedisURL, cfg.MongoURI = redis.URL, mongo.URL+testenv.DatabaseName(t)
	var hs [2]*testenv.Host
	for i := range hs {
		c := cfg
		c.DataDir = t.TempDir()
		hs[i] = testenv.Start(t, c, "todo", wasm)
	}
	a, b := hs[0], hs[1]
	token := testenv.Register(t, a.URL, "pia", "pw")
	td := createTodo(t, a, token, "v0")

	var acked atomic.Int64
	var reads atomic.Int64
	stop := make(chan struct{})
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { readNeverStale(b.URL, token, &acked, &reads, stop, errs) })
	}
	wg.Go(func() { // updates on a
		for i := int64(1); ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			r, err := testenv.Try("POST", a.URL+"/walker/update_todo", map[string]any{"id": td.ID, "title": "v" + strconv.FormatInt(i, 10)}, token)
			if err == nil && r.Status != 200 {
				err = fmt.Errorf("update v%d: %d %s", i, r.Status, r.Body)
			}
			if err != nil {
				errs <- err
				return
			}
			acked.Store(i)
		}
	})
	time.Sleep(300 * time.Millisecond)
	redis.Stop()
	time.Sleep(time.Second)
	during := reads.Load()
	redis.Restart(t)
	time.Sleep(time.Second)
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if reads.Load() == during || acked.Load() == 0 {
		t.Fatalf("%d reads (%d when redis came back), %d updates: want both going on", reads.Load(), during, acked.Load())
	}
	// The Redis client reconnects within a second or two; until then b
	// reads MongoDB. Then its cache is emptied once (new epoch) and L2
	// serves again: each update on a invalidates b's copy of the todo, so
	// b's next read misses L1 and finds the value a's commit put in Redis.
	before, _ := b.TierStats()
	deadline := time.Now().Add(10 * time.Second)
	for {
		login := testenv.Do(t, "POST", b.URL+"/user/login", map[string]string{"username": "pia", "password": "pw"}, "")
		if login.Status != 200 {
			t.Fatalf("login on b: %d %s", login.Status, login.Body)
		}
		next := acked.Load() + 1
		if r := testenv.Do(t, "POST", a.URL+"/walker/update_todo", map[string]any{"id": td.ID, "title": "v" + strconv.FormatInt(next, 10)}, token); r.Status != 200 {
			t.Fatalf("update v%d after the restart: %d %s", next, r.Status, r.Body)
		}
		acked.Store(next)
		if v, err := todoVersion(b.URL, token); err != nil || v != acked.Load() {
			t.Fatalf("b reads v%d (%v), want v%d", v, err, acked.Load())
		}
		after, _ := b.TierStats()
		if after.L2Hits > before.L2Hits && after.Flushes > 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("b's store before %+v, after %+v: want L2 hits again and a flush", before, after)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("%d reads on b, %d updates on a across the restart", reads.Load(), acked.Load())
}

// TestStart_StoreErrors checks that a host that cannot reach or parse its
// databases does not start, and says which setting to fix.
func TestStart_StoreErrors(t *testing.T) {
	_, mongo := testenv.SharedServers(t)
	dead := "127.0.0.1:1"
	tests := []struct {
		name, redis, mongo string
		want               []string
	}{
		{"mongodb down", "", "mongodb://" + dead + "/", []string{"mongodb_uri (MONGODB_URI)", "unreachable after 500ms"}},
		{"redis down", "redis://" + dead, mongo.URL, []string{"redis_url (REDIS_URL)", "unreachable after 500ms"}},
		{"not a mongodb uri", "", "postgres://db", []string{"mongodb_uri (MONGODB_URI): must be a mongodb://"}},
		{"not a redis url", "http://cache", mongo.URL, []string{"redis_url (REDIS_URL): must be a redis://"}},
		{"bad mongodb option", "", mongo.URL + "db?connectTimeoutMS=abc", []string{"MONGODB_URI", "bad URI", "connectTimeoutMS"}},
		{"bad database name", "", mongo.URL + "my%20db", []string{"MONGODB_URI", "database name"}},
		{"password not shown", "", "mongodb://u:hunter2@" + dead + "/", []string{"u:xxxxx@"}},
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testenv.Config(t)
			cfg.RedisURL, cfg.MongoURI, cfg.DBConnectTimeout = tc.redis, tc.mongo, 500*time.Millisecond
			h, err := host.Open(context.Background(), cfg, "todo", testenv.Guest(t, "todo"), log)
			if err == nil {
				h.Close()
				t.Fatal("host started")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Fatalf("error %q does not say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("error shows the password: %v", err)
			}
		})
	}
}

// TestRedisAlone: Redis without MongoDB is the kvstore's default server
// only; the graph and users stay in the embedded store.
func TestRedisAlone(t *testing.T) {
	redis, _ := testenv.SharedServers(t)
	cfg := testenv.Config(t)
	cfg.RedisURL = redis.URL
	h := testenv.Start(t, cfg, "todo", testenv.Guest(t, "todo"))
	if _, tiered := h.TierStats(); tiered {
		t.Fatal("Redis alone selected the tiered store")
	}
	token := testenv.Register(t, h.URL, "rho", "pw")
	createTodo(t, h, token, "kept locally")
	if _, err := os.Stat(filepath.Join(cfg.DataDir, store.FileName)); err != nil {
		t.Fatalf("no embedded store in the data directory: %v", err)
	}
}

// TestMongoAlone runs the todo walkers on MongoDB without Redis, across a
// restart of the host.
func TestMongoAlone(t *testing.T) {
	_, mongo := testenv.SharedServers(t)
	cfg := testenv.Config(t)
	cfg.MongoURI = mongo.URL + testenv.DatabaseName(t)
	wasm := testenv.Guest(t, "todo")
	h := testenv.Start(t, cfg, "todo", wasm)
	token := testenv.Register(t, h.URL, "mo", "pw")
	milk := createTodo(t, h, token, "milk")
	testenv.Do(t, "POST", h.URL+"/walker/update_todo", map[string]any{"id": milk.ID, "done": true}, token).Walker(t)
	createTodo(t, h, token, "eggs")
	h.Stop()

	cfg.DataDir = t.TempDir() // nothing is kept in the data directory
	h = testenv.Start(t, cfg, "todo", wasm)
	assertJSON(t, "after restart", listTitles(t, h, token), `["milk:true","eggs:false"]`)
}
