package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/testenv"
	"github.com/walkerhost/walkerhost/internal/tiered"
)

// TestDurability_Kill9 runs `jac start` on Redis and MongoDB as a child
// process, streams todo creations at it, kills it with SIGKILL mid-stream
// and starts it again: every creation that was answered 200 is there, and
// no creation is half there (create_todo writes a node, an edge and two
// adjacency entries in one commit).
func TestDurability_Kill9(t *testing.T) {
	dir := t.TempDir()
	jac := testenv.Jac(t)
	wasm := filepath.Join(dir, "todo.wasm")
	if err := os.WriteFile(wasm, testenv.Guest(t, "todo"), 0o644); err != nil {
		t.Fatal(err)
	}
	redis, mongo := testenv.SharedServers(t)
	mongoDB := testenv.DatabaseName(t)
	mongoURI := mongo.URL + mongoDB
	env := append(os.Environ(), "REDIS_URL="+redis.URL, "MONGODB_URI="+mongoURI,
		"JAC_DATA_DIR="+filepath.Join(dir, "data"), "JAC_CACHE_DIR="+filepath.Join(testenv.CacheDir(), "wazero"),
		"JWT_SECRET=") // the generated secret lives in the shared store and survives

	p := startJac(t, jac, wasm, env)
	token := testenv.Register(t, p.URL, "kim", "pw")
	acked := map[string]bool{}
	for round := range 3 {
		answered := streamTodos(t, p.URL, token, round, 40)
		killMidCommit(t, p, redis.URL, mongoDB)
		for title := range answered() {
			acked[title] = true
		}
		p = startJac(t, jac, wasm, env)
		listed := map[string]bool{}
		for _, td := range todos(t, testenv.Do(t, "GET", p.URL+"/walker/list_todos", nil, token)) {
			listed[td.Title] = true
		}
		for title := range acked {
			if !listed[title] {
				t.Fatalf("round %d: todo %q was answered 200 but is gone after kill -9", round, title)
			}
		}
		if n := checkTodoGraph(t, redis.URL, mongoURI); n != len(listed) {
			t.Fatalf("round %d: %d Todo nodes stored but %d listed: a creation is half there", round, n, len(listed))
		}
		t.Logf("round %d: %d creations answered 200 in all, %d todos after restart", round, len(acked), len(listed))
	}
}

// streamTodos creates todos on url from several clients, returning once
// want were answered 200. The clients go on until the host is gone; then
// answered returns every title answered 200.
func streamTodos(t *testing.T, url, token string, round, want int) (answered func() map[string]bool) {
	t.Helper()
	var mu sync.Mutex
	acked := map[string]bool{}
	enough := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Go(func() {
			for i := 0; ; i++ {
				title := fmt.Sprintf("r%d-w%d-%d", round, w, i)
				r, err := testenv.Try("POST", url+"/walker/create_todo", map[string]any{"title": title}, token)
				if err != nil {
					return // the host is gone
				}
				mu.Lock()
				if r.Status == 200 {
					acked[title] = true
				}
				if len(acked) == want {
					close(enough)
				}
				mu.Unlock()
			}
		})
	}
	select {
	case <-enough:
	case <-time.After(60 * time.Second):
		t.Fatalf("fewer than %d creations answered in 60s", want)
	}
	return func() map[string]bool {
		wg.Wait()
		return acked
	}
}

// killMidCommit kills p with SIGKILL while it holds the commit lock, that
// is in the middle of a commit (docs/STORE.md), or after 2s.
func killMidCommit(t *testing.T, p *testenv.Process, redisURL, db string) {
	t.Helper()
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	lock := "{wh:" + db + "}:lock"
	ctx := context.Background()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); {
		if n, err := c.Exists(ctx, lock).Result(); err == nil && n == 1 {
			break
		}
	}
	p.Kill()
}

// checkTodoGraph reads the store directly and checks that each HasTodo edge
// has both ends and both adjacency entries, that each Todo node has its
// edge, and that there is no adjacency entry without its edge. It returns
// the number of Todo nodes.
func checkTodoGraph(t *testing.T, redisURL, mongoURI string) int {
	t.Helper()
	be, err := tiered.Open(context.Background(), tiered.Options{RedisURL: redisURL, MongoURI: mongoURI})
	if err != nil {
		t.Fatal(err)
	}
	db := store.New(be)
	defer db.Close()
	objs := map[graph.ID]*graph.Object{}
	adj := map[string]bool{}
	err = db.View(func(tx *store.Tx) error {
		err := tx.Bucket("default", "obj").Scan(nil, func(k, v []byte) bool {
			o, err := graph.DecodeObject(v)
			if err != nil {
				t.Errorf("object %x: %v", k, err)
				return true
			}
			objs[o.ID] = o
			return true
		})
		if err != nil {
			return err
		}
		return tx.Bucket("default", "adj").Scan(nil, func(k, _ []byte) bool {
			adj[string(k)] = true
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	key := func(node graph.ID, dir byte, edge graph.ID) string {
		return string(node[:]) + string(dir) + string(edge[:])
	}
	edgesTo := map[graph.ID]int{}
	edges := 0
	for _, o := range objs {
		if o.Kind != graph.KindEdge {
			continue
		}
		edges++
		if objs[o.Src] == nil || objs[o.Dst] == nil {
			t.Errorf("edge %s has a missing end", o.ID)
		}
		if !adj[key(o.Src, 'o', o.ID)] || !adj[key(o.Dst, 'i', o.ID)] {
			t.Errorf("edge %s lacks an adjacency entry", o.ID)
		}
		if o.Type == "HasTodo" {
			edgesTo[o.Dst]++
		}
	}
	if len(adj) != 2*edges {
		t.Errorf("%d adjacency entries for %d edges", len(adj), edges)
	}
	todoNodes := 0
	for _, o := range objs {
		if o.Kind == graph.KindNode && o.Type == "Todo" {
			todoNodes++
			if edgesTo[o.ID] != 1 {
				t.Errorf("Todo %s has %d HasTodo edges", o.ID, edgesTo[o.ID])
			}
		}
	}
	return todoNodes
}

// startJac starts `jac start wasm --port 0` and waits for its banner.
func startJac(t *testing.T, jac, wasm string, env []string) *testenv.Process {
	t.Helper()
	cmd := exec.Command(jac, "start", wasm, "--port", "0")
	cmd.Env = env
	p, err := testenv.StartProcess(cmd, 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Kill)
	return p
}
