package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/sandbox"
)

const warmInstances = 100

func instanceReport(todo []byte) error {
	cfg, cleanup, err := benchConfig()
	if err != nil {
		return err
	}
	defer cleanup()
	ctx := context.Background()
	limits := sandbox.Limits{Timeout: 10 * time.Second, MemoryMB: cfg.MemoryLimitMB, MaxReportBytes: cfg.MaxReportBytes,
		MaxHostCalls: cfg.MaxHostCalls, MaxHandles: cfg.MaxHandles, MaxLogBytes: cfg.MaxLogBytes, PoolSize: warmInstances}
	eng, err := sandbox.NewEngine(ctx, sandbox.Options{CacheDir: cfg.DataDir + "/cache", Limits: limits, Logger: quietLog()})
	if err != nil {
		return err
	}
	defer eng.Close(ctx)
	fmt.Println("todo module instances")
	perInst, rss, heap, err := instancesOf(ctx, eng, todo, warmInstances)
	if err != nil {
		return err
	}
	fmt.Printf("  fresh instance (instantiate + _initialize), mean of %d: %8.1f µs\n", warmInstances, perInst)
	fmt.Printf("  memory per live instance: %.2f MiB RSS, %.2f MiB Go heap (the same with limits.fresh_state,\n", rss, heap)
	fmt.Printf("    which keeps one snapshot of the memory per module besides)\n")
	pooled, err := warmCall(ctx, eng, todo, cfg.DataDir+"/pooled")
	if err != nil {
		return err
	}
	limits.FreshState = true
	freshEng, err := sandbox.NewEngine(ctx, sandbox.Options{CacheDir: cfg.DataDir + "/cache", Limits: limits, Logger: quietLog()})
	if err != nil {
		return err
	}
	defer freshEng.Close(ctx)
	fresh, err := warmCall(ctx, freshEng, todo, cfg.DataDir+"/fresh")
	if err != nil {
		return err
	}
	fmt.Printf("  warm call, list_todos over 10 todos (pool get + 1 export call + host calls + graph reads):\n")
	fmt.Printf("    pooled instance:                      %8.1f µs\n", pooled)
	fmt.Printf("    limits.fresh_state (+ restore):       %8.1f µs   (%.1fx pooled; a fresh instance costs %.1fx)\n",
		fresh, fresh/pooled, perInst/pooled)
	return nil
}

// warmCall measures Module.Call of list_todos over 10 todos on a pooled
// instance, with the graph transaction it needs, in µs per call.
func warmCall(ctx context.Context, eng *sandbox.Engine, wasm []byte, dir string) (float64, error) {
	m, err := eng.Load(ctx, "todo_warm", wasm)
	if err != nil {
		return 0, err
	}
	defer m.Close(ctx)
	db, err := store.Open(dir)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	g := graph.New(db)
	root, err := g.CreateRoot("bench")
	if err != nil {
		return 0, err
	}
	call := func(name string, fields map[string]any) error {
		enc, _ := abi.AppendMap(nil, fields)
		tx := g.Begin("bench", graph.Caller{Root: root})
		_, err := m.Call(ctx, &sandbox.Request{Kind: abi.KindWalker, Name: name, Tx: tx, Root: root, Fields: enc}, nil)
		if err != nil {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	}
	for i := range 10 {
		if err := call("create_todo", map[string]any{"title": "todo " + strconv.Itoa(i), "done": false}); err != nil {
			return 0, err
		}
	}
	list, _ := abi.AppendMap(nil, map[string]any{})
	var callErr error
	us, _ := micros(func(b *testing.B) {
		for b.Loop() {
			tx := g.Begin("bench", graph.Caller{Root: root})
			if _, err := m.Call(ctx, &sandbox.Request{Kind: abi.KindWalker, Name: "list_todos", Tx: tx, Root: root, Fields: list}, nil); err != nil {
				callErr = err
			}
			tx.Rollback()
		}
	})
	return us, callErr
}

func rssBytes() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

func heapBytes() int64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapInuse)
}
