package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/dbserver"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/server"
)

// Issue 14 target 5: a user graph of 1 M nodes. The graph is built through
// the store API (graph.Tx, commits of scaleBatch nodes), the traversal is
// GET /traverse over loopback HTTP.
const (
	scaleBatch = 1000
	// The first three levels under the root hold 22 + 484 + 9 680 nodes:
	// what a depth-3 traversal touches. The other nodes hang one level
	// deeper, under the third level's.
	scaleFan1, scaleFan2, scaleFan3 = 22, 22, 20
	scaleTargetBytes                = 1024                  // per node, RSS and on disk
	scaleTargetTraverse             = 20 * time.Millisecond // depth 3, 10 000 nodes
)

// scaleReport builds a user graph of nodes nodes on the embedded store and
// of tieredNodes on Redis + MongoDB (FerretDB), and prints per node the
// host's RSS growth and the bytes on disk, the create rate, and the depth-3
// /traverse, each with its target.
func scaleReport(todo []byte, nodes, tieredNodes int) error {
	fmt.Printf("Graph at scale (issue 14 target 5): one user's graph built through the store API in commits of %d nodes,\n", scaleBatch)
	fmt.Printf("  root -> %d -> %d -> %d nodes (what a depth-3 /traverse touches), the rest one level deeper\n",
		scaleFan1, scaleFan1*scaleFan2, scaleFan1*scaleFan2*scaleFan3)
	if err := scaleTier("embedded (bbolt)", todo, nodes, func(*config.Config) (func(), error) { return func() {}, nil }); err != nil {
		return err
	}
	err := scaleTier("Redis + MongoDB (FerretDB)", todo, tieredNodes, func(c *config.Config) (func(), error) {
		redis, err := dbserver.StartRedis()
		if err != nil {
			return nil, err
		}
		mongo, err := dbserver.StartMongo()
		if err != nil {
			redis.Stop()
			return nil, err
		}
		c.RedisURL, c.MongoURI = redis.URL, mongo.URL+"bench"
		scaleServers = []*dbserver.Server{redis, mongo}
		return func() { mongo.Stop(); redis.Stop(); scaleServers = nil }, nil
	})
	fmt.Println()
	return err
}

// scaleServers are the database servers of the tier being measured.
var scaleServers []*dbserver.Server

func scaleTier(name string, todo []byte, nodes int, set func(*config.Config) (func(), error)) error {
	cfg, cleanup, err := benchConfig()
	if err != nil {
		return err
	}
	defer cleanup()
	cfg.TraverseMaxNodes = 2 * scaleFan1 * scaleFan2 * scaleFan3
	stopServers, err := set(&cfg)
	if err != nil {
		return err
	}
	defer stopServers()
	t, err := openTierHost(name, cfg, todo, "")
	if err != nil {
		return err
	}
	defer t.close()
	root, err := traverseRoot(t)
	if err != nil {
		return err
	}
	rssBefore, diskBefore, dbBefore := settledRSS(), dirBytes(t.dir), serversBytes()
	t0 := time.Now()
	if err := buildGraph(t.h.Graph(), root, nodes); err != nil {
		return err
	}
	took := time.Since(t0)
	rss, disk, db := settledRSS()-rssBefore, dirBytes(t.dir)-diskBefore, serversBytes()
	db.rss -= dbBefore.rss
	db.disk -= dbBefore.disk

	var first, best time.Duration
	var touched int
	var terr error
	for i := range 6 {
		d, n, err := traverseDepth3(t)
		if err != nil {
			terr = err
			break
		}
		if i == 0 {
			first, best, touched = d, d, n
		}
		best = min(best, d)
	}
	per := func(b int64) float64 { return float64(b) / float64(nodes) }
	fmt.Printf("  %s, %d nodes (and as many edges):\n", name, nodes)
	fmt.Printf("    create rate:              %8.0f nodes/s (%s; a node and its edge per node)\n", float64(nodes)/took.Seconds(), took.Round(time.Millisecond))
	fmt.Printf("    host RSS per node:        %8.0f B   (target <= %d B: %.2f of it)\n", per(rss), scaleTargetBytes, per(rss)/scaleTargetBytes)
	if db.pids > 0 {
		fmt.Printf("    Redis + FerretDB RSS:     %8.0f B per node\n", per(db.rss))
		fmt.Printf("    on disk (FerretDB):       %8.0f B per node (target <= %d B: %.2f of it)\n", per(db.disk), scaleTargetBytes, per(db.disk)/scaleTargetBytes)
	} else {
		fmt.Printf("    on disk (data directory): %8.0f B per node (target <= %d B: %.2f of it)\n", per(disk), scaleTargetBytes, per(disk)/scaleTargetBytes)
	}
	if terr != nil {
		fmt.Printf("    GET /traverse?depth=3:    failed: %v\n", terr)
	} else {
		fmt.Printf("    GET /traverse?depth=3:    %8s best of 5 warm, %s cold, %d nodes (target <= %s: %.2f of it)\n",
			best.Round(10*time.Microsecond), first.Round(10*time.Microsecond), touched, scaleTargetTraverse, float64(best)/float64(scaleTargetTraverse))
	}
	if nodes < 1_000_000 {
		fmt.Printf("    (%d nodes, not 1 M, to keep make bench short: the per-node figures extrapolate, the traversal touches what there is; -scale-nodes, -scale-tiered-nodes)\n", nodes)
	}
	return nil
}

// buildGraph hangs nodes Todo nodes under root (see scaleFan1).
func buildGraph(g *graph.Graph, root graph.ID, nodes int) error {
	tx := g.Begin(server.DefaultApp, graph.Caller{Root: root})
	pending := 0
	add := func(parent graph.ID, i int) (graph.ID, error) {
		o, err := tx.CreateNode("Todo", map[string]any{"title": fmt.Sprintf("node %d", i), "done": i%2 == 0})
		if err != nil {
			return graph.ID{}, err
		}
		if _, err := tx.Connect(parent, o.ID, "HasTodo", map[string]any{}); err != nil {
			return graph.ID{}, err
		}
		if pending++; pending == scaleBatch {
			if err := tx.Commit(); err != nil {
				return graph.ID{}, err
			}
			tx, pending = g.Begin(server.DefaultApp, graph.Caller{Root: root}), 0
		}
		return o.ID, nil
	}
	level, made := []graph.ID{root}, 0
	for _, fan := range []int{scaleFan1, scaleFan2, scaleFan3} {
		var next []graph.ID
		for _, p := range level {
			for range fan {
				if made == nodes {
					return tx.Commit()
				}
				id, err := add(p, made)
				if err != nil {
					return err
				}
				made++
				next = append(next, id)
			}
		}
		level = next
	}
	for i := 0; made < nodes; i++ {
		if _, err := add(level[i%len(level)], made); err != nil {
			return err
		}
		made++
	}
	return tx.Commit()
}

// traverseRoot returns the id of the bench user's root.
func traverseRoot(t *tierHost) (graph.ID, error) {
	body, err := traverseBody(t, "?depth=0")
	if err != nil {
		return graph.ID{}, err
	}
	var env struct {
		Data struct{ Nodes []struct{ ID string } }
	}
	if err := json.Unmarshal(body, &env); err != nil || len(env.Data.Nodes) != 1 {
		return graph.ID{}, fmt.Errorf("traverse: %s", body)
	}
	return graph.ParseID(env.Data.Nodes[0].ID)
}

// traverseDepth3 times GET /traverse?depth=3 and returns the nodes listed.
func traverseDepth3(t *tierHost) (time.Duration, int, error) {
	t0 := time.Now()
	body, err := traverseBody(t, "?depth=3")
	d := time.Since(t0)
	if err != nil {
		return 0, 0, err
	}
	var env struct {
		Data struct {
			Nodes     []json.RawMessage
			Truncated string
		}
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Data.Truncated != "" {
		return 0, 0, fmt.Errorf("traverse: %.300s", body)
	}
	return d, len(env.Data.Nodes), nil
}

func traverseBody(t *tierHost, query string) ([]byte, error) {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	walkerRequest("GET", "/traverse"+query, "", t.token)(req)
	if err := fasthttp.DoTimeout(withHost(req, t.addr), resp, time.Minute); err != nil {
		return nil, err
	}
	if resp.StatusCode() != 200 {
		return nil, fmt.Errorf("traverse%s: %d %.300s", query, resp.StatusCode(), resp.Body())
	}
	return append([]byte(nil), resp.Body()...), nil
}

// settledRSS is this process's RSS after a collection has returned what it
// can to the system.
func settledRSS() int64 {
	runtime.GC()
	debug.FreeOSMemory()
	return procField("/proc/self/status", "VmRSS:")
}

// dirBytes sums the sizes of the files under dir, leaving out the
// compilation cache.
func dirBytes(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && d.Name() == "wazero-cache" {
			return filepath.SkipDir
		}
		if info, err := d.Info(); err == nil && info.Mode().IsRegular() {
			n += info.Size()
		}
		return nil
	})
	return n
}

type serverBytes struct {
	pids      int
	rss, disk int64
}

// serversBytes sums the RSS of the database servers of the tier and the
// files of FerretDB.
func serversBytes() serverBytes {
	var s serverBytes
	for _, srv := range scaleServers {
		if pid := srv.Pid(); pid > 0 {
			s.pids++
			s.rss += procField(fmt.Sprintf("/proc/%d/status", pid), "VmRSS:")
		}
		if srv.Kind == "mongodb" {
			s.disk += dirBytes(srv.Dir())
		}
	}
	return s
}
