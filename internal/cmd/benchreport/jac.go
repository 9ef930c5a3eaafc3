package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/attack"
	"github.com/walkerhost/walkerhost/internal/build"
	"github.com/walkerhost/walkerhost/internal/capability"
	"github.com/walkerhost/walkerhost/internal/capability/kvstore"
	"github.com/walkerhost/walkerhost/internal/capability/storage"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/testenv"
	"github.com/walkerhost/walkerhost/lang/ast"
	"github.com/walkerhost/walkerhost/lang/compile"
	"github.com/walkerhost/walkerhost/lang/interp"
	"github.com/walkerhost/walkerhost/lang/parse"
)

// The Jac section's inputs: the peer workload (the same three walkers in
// Jac and as a Go guest) and a realistic 300-line app for the build time.
const (
	jacPeer    = "testdata/jac/bench/peer.jac"
	goPeer     = "testdata/jac/bench/peer"
	jacTracker = "testdata/jac/bench/tracker.jac"
	jacRuntime = "cmd/jac/runtime/jac-runtime.wasm"
	jacApps    = 10 // apps uploaded to one running host
	jacTodos   = 100
	// jacInstances is how many instances the per-instance figures fill:
	// fewer than the todo section's, a Jac instance being larger.
	jacInstances = 20
)

// jacReport prints the Jac figures of issue 15 beside the Go guest's, each
// with its target: the tenth Jac app uploaded to a running jac start,
// memory per app, the peer walkers over HTTP, the build time, the module
// size, and the cost of fresh and warm instances.
func jacReport(hello []byte, dur time.Duration, conns int) error {
	jac, err := filepath.Abs("bin/jac")
	if err != nil {
		return err
	}
	if _, err := os.Stat(jac); err != nil {
		return fmt.Errorf("the jac section runs bin/jac: make build first: %w", err)
	}
	rt, err := os.ReadFile(jacRuntime)
	if err != nil {
		return fmt.Errorf("the jac section needs the Jac runtime: make build first: %w", err)
	}
	dir, err := os.MkdirTemp("", "walkerbench-jac-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	src, err := os.ReadFile(jacPeer)
	if err != nil {
		return err
	}
	jacWasm, err := jacBuild(jac, dir, "peer.jac", src)
	if err != nil {
		return err
	}
	goWasm := filepath.Join(dir, "peer-go.wasm")
	if err := build.Package(ctx, goPeer, ".", goWasm); err != nil {
		return err
	}
	goMod, err := os.ReadFile(goWasm)
	if err != nil {
		return err
	}

	start := time.Now()
	defer func() { fmt.Printf("  (section jac: %s)\n\n", time.Since(start).Round(time.Second)) }()
	fmt.Println("Jac apps (the Jac runtime guest; Go twins in testdata/jac/bench/peer)")
	if err := jacBuildTimes(jac, dir, rt, hello); err != nil {
		return err
	}
	if err := jacTenth(jac, dir, src, goWasm); err != nil {
		return err
	}
	if err := jacHTTP(jacWasm, goMod, dir, dur, conns); err != nil {
		return err
	}
	if err := jacNative(src); err != nil {
		return err
	}
	return jacInstanceCosts(ctx, dir, jacWasm, goMod)
}

// jacBuild writes src as dir/name and runs jac build on it, returning the
// module (built outside the checkout: testdata's .wasm files are tracked).
func jacBuild(jac, dir, name string, src []byte) ([]byte, error) {
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, src, 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command(jac, "build", path)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("jac build %s: %v\n%s", name, err, out)
	}
	return os.ReadFile(strings.TrimSuffix(path, ".jac") + ".wasm")
}

// jacBuildTimes prints the wall time of `jac build` on the 300-line app
// (the whole process, as a user waits for it; median of 5), the parse and
// check part of it in this process, and the module sizes.
func jacBuildTimes(jac, dir string, rt, hello []byte) error {
	src, err := os.ReadFile(jacTracker)
	if err != nil {
		return err
	}
	var walls []time.Duration
	for range 5 {
		t0 := time.Now()
		if _, err := jacBuild(jac, dir, "tracker.jac", src); err != nil {
			return err
		}
		walls = append(walls, time.Since(t0))
	}
	slices.Sort(walls)
	front, _ := micros(func(b *testing.B) {
		for b.Loop() {
			f, err := parse.File("tracker.jac", src)
			if err == nil {
				compile.Check(f)
			}
		}
	})
	lines := strings.Count(string(src), "\n")
	wall := walls[len(walls)/2]
	fmt.Printf("  jac build of a %d-line app (testdata/jac/bench/tracker.jac), whole process, median of 5:\n", lines)
	fmt.Printf("    %8s   (target <= 200 ms: %.2f of it; parse + check in-process: %.2f ms)\n",
		wall.Round(time.Millisecond), float64(wall)/float64(200*time.Millisecond), front/1e3)
	fmt.Printf("  module size: Jac runtime %.2f MiB, Go hello guest %.2f MiB (%.1fx)\n",
		float64(len(rt))/(1<<20), float64(len(hello))/(1<<20), float64(len(rt))/float64(len(hello)))
	return nil
}

// jacTenth starts bin/jac serving the Go twin and uploads jacApps Jac apps
// through the admin API one after the other as Jac source, as jac push
// app.jac does (each a different program), then one more as a built module;
// it times each from the upload to its first answer and reads the
// process's memory after the first app and after the tenth.
func jacTenth(jac, dir string, src []byte, goWasm string) error {
	const token = "bench-admin-token-0123456789"
	hostDir := filepath.Join(dir, "tenth")
	if err := os.MkdirAll(hostDir, 0o755); err != nil {
		return err
	}
	toml := "[serve]\ndata_dir = \"data\"\n\n[admin]\ntoken = \"" + token + "\"\n\n[logging]\nrequests = false\n"
	if err := os.WriteFile(filepath.Join(hostDir, "jac.toml"), []byte(toml), 0o644); err != nil {
		return err
	}
	variant := func(i int) []byte { return fmt.Appendf(slices.Clip(src), "\n# tenant %d\n", i) }
	built, err := jacBuild(jac, dir, "tenant.jac", variant(jacApps+1))
	if err != nil {
		return err
	}
	cmd := exec.Command(jac, "start", goWasm, "--config", "jac.toml", "--port", "0")
	cmd.Dir = hostDir
	// The compiled code goes where the hosts of this process look for it.
	cmd.Env = append(os.Environ(), "JAC_LOG_FORMAT=text", "JAC_CACHE_DIR="+filepath.Join(dir, "cache"))
	p, err := testenv.StartProcess(cmd, 2*time.Minute)
	if err != nil {
		return err
	}
	defer p.Stop()
	ctx := context.Background()
	auth := []string{"Authorization", "Bearer " + token}
	// push uploads body as app and returns the time to the upload's answer
	// and to the app's first answer.
	push := func(app string, body []byte) (upload, answer time.Duration, err error) {
		t0 := time.Now()
		a, err := attack.Do(ctx, "POST", p.URL+"/admin/apps/"+app+"/modules?activate=true&file=app.jac", body, auth...)
		if err != nil {
			return 0, 0, err
		}
		if a.Status != 200 && a.Status != 201 {
			return 0, 0, fmt.Errorf("upload of %s: %s", app, a)
		}
		upload = time.Since(t0)
		for {
			a, err := attack.Do(ctx, "POST", p.URL+"/apps/"+app+"/walker/ping", `{"n":1}`)
			if err != nil {
				return 0, 0, err
			}
			if a.Status == 200 {
				return upload, time.Since(t0), nil
			}
			if time.Since(t0) > time.Minute {
				return 0, 0, fmt.Errorf("%s does not answer ping: %s", app, a)
			}
			time.Sleep(time.Millisecond)
		}
	}
	var first, tenth time.Duration
	var mem1, mem10 procMem
	var uploads []time.Duration
	for i := range jacApps {
		up, took, err := push(fmt.Sprintf("jac%d", i+1), variant(i+1))
		if err != nil {
			return err
		}
		uploads = append(uploads, up)
		switch i {
		case 0:
			first, mem1 = took, readProcMem(p.Cmd.Process.Pid)
		case jacApps - 1:
			tenth, mem10 = took, readProcMem(p.Cmd.Process.Pid)
		}
	}
	_, eleventh, err := push(fmt.Sprintf("jac%d", jacApps+1), built)
	if err != nil {
		return err
	}
	fmt.Printf("  upload (POST /admin/apps/NAME/modules?activate=true) to the app's first ping answer, a running jac start:\n")
	fmt.Printf("    first Jac app, source (compiles the runtime): %8s\n", first.Round(time.Millisecond))
	fmt.Printf("    tenth Jac app, source (as jac push app.jac):  %8s   (target <= 100 ms: %.2f of it; %.3f of the first)\n",
		tenth.Round(time.Millisecond), float64(tenth)/float64(100*time.Millisecond), float64(tenth)/float64(first))
	fmt.Printf("    eleventh, the built module (%.1f MiB):         %8s\n", float64(len(built))/(1<<20), eleventh.Round(time.Millisecond))
	fmt.Printf("    uploads 2..%d answered in %s (median); the rest is the first ping\n", jacApps, median(uploads[1:]).Round(time.Millisecond))
	n := float64(jacApps - 1)
	fmt.Printf("  memory per additional Jac app ((after %d apps - after 1) / %d): %.1f MiB RSS, %.1f MiB anonymous\n",
		jacApps, jacApps-1, float64(mem10.rss-mem1.rss)/n/(1<<20), float64(mem10.anon-mem1.anon)/n/(1<<20))
	fmt.Printf("    (host RSS %d MiB after 1 app, %d MiB after %d; anonymous %d -> %d MiB)\n",
		mem1.rss>>20, mem10.rss>>20, jacApps, mem1.anon>>20, mem10.anon>>20)
	return nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// procMem is a process's resident memory and the anonymous part of it.
type procMem struct{ rss, anon int64 }

// readProcMem reads VmRSS from /proc/PID/status and Anonymous from
// /proc/PID/smaps_rollup (zero when the kernel has no rollup).
func readProcMem(pid int) procMem {
	var m procMem
	m.rss = procField(fmt.Sprintf("/proc/%d/status", pid), "VmRSS:")
	m.anon = procField(fmt.Sprintf("/proc/%d/smaps_rollup", pid), "Anonymous:")
	return m
}

// procField returns the "NAME: N kB" value of a /proc file, in bytes.
func procField(path, name string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// jacHTTP serves the peer workload in Jac and in Go from two hosts in this
// process and loads both in interleaved rounds: the public ping, then
// list_todos of a user with jacTodos todos.
func jacHTTP(jacWasm, goWasm []byte, dir string, dur time.Duration, conns int) error {
	type server struct {
		addr, token string
	}
	var servers [2]server
	for i, wasm := range [][]byte{jacWasm, goWasm} {
		addr, stop, err := servePeer(wasm, filepath.Join(dir, "cache"))
		if err != nil {
			return err
		}
		defer stop()
		tok, err := register(addr, "lister")
		if err != nil {
			return err
		}
		for n := range jacTodos {
			body := fmt.Sprintf(`{"title":"todo %d"}`, n)
			if err := postOnce(addr, "/walker/create_todo", tok, body); err != nil {
				return err
			}
		}
		servers[i] = server{addr, tok}
	}
	round := dur / 2
	workloads := []struct{ name, path, body string }{
		{"ping", "/walker/ping", `{"n":1}`},
		{fmt.Sprintf("list_todos over %d todos", jacTodos), "/walker/list_todos", `{}`},
	}
	fmt.Printf("  HTTP over loopback through the host, %d connections, 2 interleaved rounds of %s (best shown):\n", conns, round)
	fmt.Printf("    %-34s %10s %9s %9s %7s\n", "walker", "req/s", "p50", "p99", "errors")
	for _, w := range workloads {
		var res [2][]loadResult
		reqs := make([]func(*fasthttp.Request), 2)
		for i, s := range servers {
			reqs[i] = func(req *fasthttp.Request) {
				req.SetRequestURI("http://bench" + w.path)
				req.Header.SetMethod("POST")
				req.Header.SetContentType("application/json")
				req.Header.Set("Authorization", "Bearer "+s.token)
				req.SetBodyString(w.body)
			}
			load(s.addr, conns, round/4, reqs[i]) // warm-up
		}
		for range 2 {
			for i, s := range servers {
				res[i] = append(res[i], load(s.addr, conns, round, reqs[i]))
			}
		}
		j, g := best(res[0]), best(res[1])
		printLoad("  "+w.name+", Jac", j)
		printLoad("  "+w.name+", Go", g)
		target := ""
		if w.name == "ping" {
			target = "   (target >= 0.5)"
		}
		fmt.Printf("      ratio Jac/Go (req/s): %.2f%s\n", j.rps/g.rps, target)
	}
	fmt.Printf("    (calls past their first millisecond share serve.long_call_cores = %d core(s) here; Go's list_todos stays short)\n",
		max(1, runtime.GOMAXPROCS(0)-1))
	return nil
}

// jacNative runs the peer walkers in the interpreter compiled natively,
// on its in-memory graph: what the interpreter itself costs, against which
// the wasm figures above show the cost of the runtime guest and the host.
func jacNative(src []byte) error {
	f, err := parse.File("peer.jac", src)
	if err != nil {
		return err
	}
	h := interp.NewMemHost()
	p, err := interp.Load([]*ast.File{f}, h)
	if err != nil {
		return err
	}
	for n := range jacTodos {
		if err := p.Walker("create_todo", map[string]any{"title": fmt.Sprintf("todo %d", n)}, ""); err != nil {
			return err
		}
	}
	var runErr error
	walker := func(name string, fields map[string]any) (float64, int64) {
		return micros(func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				h.Reports = h.Reports[:0]
				if err := p.Walker(name, fields, ""); err != nil {
					runErr = err
				}
			}
		})
	}
	pingUS, pingAllocs := walker("ping", map[string]any{"n": int64(1)})
	listUS, listAllocs := walker("list_todos", nil)
	fmt.Printf("  the interpreter compiled natively (lang/interp on its in-memory graph, no wasm, no host):\n")
	fmt.Printf("    ping %.1f µs, %d allocs; list_todos over %d todos %.1f µs, %d allocs\n",
		pingUS, pingAllocs, jacTodos, listUS, listAllocs)
	return runErr
}

// servePeer serves wasm as serveHost does, with the compiled code cached in
// cache and no access log.
func servePeer(wasm []byte, cache string) (string, func(), error) {
	return serveHost("peer", wasm, func(cfg *config.Config) {
		cfg.LogRequests = false
		cfg.CacheDir = cache
	})
}

// register signs up user on the host at addr and returns its token.
func register(addr, user string) (string, error) {
	a, err := attack.Do(context.Background(), "POST", "http://"+addr+"/user/register",
		map[string]string{"username": user, "password": "bench-password-0123"})
	if err != nil {
		return "", err
	}
	var data struct {
		Token string `json:"token"`
	}
	if a.Status != 200 && a.Status != 201 || json.Unmarshal(a.Data, &data) != nil || data.Token == "" {
		return "", fmt.Errorf("register %s: %s", user, a)
	}
	return data.Token, nil
}

// postOnce sends one JSON POST with a bearer token and wants a 200.
func postOnce(addr, path, token, body string) error {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI("http://" + addr + path)
	req.Header.SetMethod("POST")
	req.Header.SetContentType("application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.SetBodyString(body)
	if err := fasthttp.DoTimeout(req, resp, 10*time.Second); err != nil {
		return err
	}
	if resp.StatusCode() != 200 {
		return fmt.Errorf("POST %s: %d %s", path, resp.StatusCode(), resp.Body())
	}
	return nil
}

// jacInstanceCosts prints, for the Jac runtime (with the peer program) and
// the Go twin, the cost of a new instance (instantiate + _initialize), the
// memory of a live instance, and the warm calls of ping and list_todos
// (no HTTP), pooled and with limits.fresh_state: ping's difference is fresh
// state's per-request cost.
func jacInstanceCosts(ctx context.Context, dir string, jacWasm, goWasm []byte) error {
	cfg := config.Default()
	limits := sandbox.Limits{Timeout: 10 * time.Second, MemoryMB: cfg.MemoryLimitMB, MaxReportBytes: cfg.MaxReportBytes,
		MaxHostCalls: cfg.MaxHostCalls, MaxHandles: cfg.MaxHandles, MaxLogBytes: cfg.MaxLogBytes, PoolSize: jacInstances}
	type costs struct{ fresh, rss, heap, pooled, restored, list, listFresh float64 }
	var cs [2]costs
	for i, wasm := range [][]byte{jacWasm, goWasm} {
		c := &cs[i]
		for _, fresh := range []bool{false, true} {
			limits.FreshState = fresh
			eng, err := sandbox.NewEngine(ctx, sandbox.Options{CacheDir: filepath.Join(dir, "cache"), Limits: limits, Logger: quietLog(),
				Capabilities: []capability.Capability{storage.New(nil), kvstore.New(nil)}})
			if err != nil {
				return err
			}
			if !fresh {
				c.fresh, c.rss, c.heap, err = instancesOf(ctx, eng, wasm, jacInstances)
			}
			if err == nil {
				var ping, list float64
				ping, list, err = walkerCalls(ctx, eng, wasm, filepath.Join(dir, fmt.Sprintf("graph-%d-%t", i, fresh)))
				if fresh {
					c.restored, c.listFresh = ping, list
				} else {
					c.pooled, c.list = ping, list
				}
			}
			eng.Close(ctx)
			if err != nil {
				return err
			}
		}
	}
	j, g := cs[0], cs[1]
	fmt.Printf("  instances (the peer module; mean over %d):        %12s %12s %7s\n", jacInstances, "Jac", "Go", "Jac/Go")
	row := func(name, unit string, a, b float64) {
		fmt.Printf("    %-45s %8.1f %-3s %8.1f %-3s %7.1f\n", name, a, unit, b, unit, a/b)
	}
	row("new instance (instantiate + _initialize)", "µs", j.fresh, g.fresh)
	row("memory per warm instance, RSS", "MiB", j.rss, g.rss)
	row("memory per warm instance, Go heap", "MiB", j.heap, g.heap)
	row("ping, warm call on a pooled instance", "µs", j.pooled, g.pooled)
	row("ping with limits.fresh_state (+ restore)", "µs", j.restored, g.restored)
	row("fresh_state's cost per request", "µs", j.restored-j.pooled, g.restored-g.pooled)
	row(fmt.Sprintf("list_todos over %d todos, pooled instance", jacTodos), "µs", j.list, g.list)
	row("list_todos with limits.fresh_state", "µs", j.listFresh, g.listFresh)
	return nil
}

// instancesOf loads wasm and grows its pool to n instances: the mean time
// per new instance and the RSS and heap growth per instance (MiB).
func instancesOf(ctx context.Context, eng *sandbox.Engine, wasm []byte, n int) (float64, float64, float64, error) {
	m, err := eng.Load(ctx, "peer", wasm)
	if err != nil {
		return 0, 0, 0, err
	}
	defer m.Close(ctx)
	runtime.GC()
	debug.FreeOSMemory()
	rss0, heap0 := rssBytes(), heapBytes()
	start := time.Now()
	if err := m.Warm(ctx, n); err != nil {
		return 0, 0, 0, err
	}
	elapsed := time.Since(start)
	k := float64(n - 1) // Load made the first one
	runtime.GC()
	return float64(elapsed.Microseconds()) / k, float64(rssBytes()-rss0) / k / (1 << 20), float64(heapBytes()-heap0) / k / (1 << 20), nil
}

// walkerCalls measures Module.Call, with its graph transaction, of ping
// and of list_todos over jacTodos todos made by create_todo, in µs per call.
func walkerCalls(ctx context.Context, eng *sandbox.Engine, wasm []byte, dir string) (ping, list float64, err error) {
	m, err := eng.Load(ctx, "peer_call", wasm)
	if err != nil {
		return 0, 0, err
	}
	defer m.Close(ctx)
	db, err := store.Open(dir)
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	g := graph.New(db)
	root, err := g.CreateRoot("bench")
	if err != nil {
		return 0, 0, err
	}
	call := func(name string, fields []byte, commit bool) error {
		tx := g.Begin("bench", graph.Caller{Root: root})
		_, err := m.Call(ctx, &sandbox.Request{Kind: abi.KindWalker, Name: name, Tx: tx, Root: root, Fields: fields}, nil)
		if err != nil || !commit {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	}
	for n := range jacTodos {
		fields, _ := abi.AppendMap(nil, map[string]any{"title": fmt.Sprintf("todo %d", n)})
		if err := call("create_todo", fields, true); err != nil {
			return 0, 0, err
		}
	}
	bench := func(name string, fields map[string]any) float64 {
		enc, _ := abi.AppendMap(nil, fields)
		us, _ := micros(func(b *testing.B) {
			for b.Loop() {
				if e := call(name, enc, false); e != nil {
					err = e
				}
			}
		})
		return us
	}
	ping = bench("ping", map[string]any{"n": 1})
	list = bench("list_todos", map[string]any{})
	return ping, list, err
}
