package sandbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/sandbox"
)

// callFunc runs a function of m and returns its decoded result.
func callFunc(t *testing.T, m *sandbox.Module, g *graph.Graph, root graph.ID, name string) any {
	t.Helper()
	enc, _ := abi.AppendMap(nil, map[string]any{})
	tx := g.Begin("bench", graph.Caller{Root: root})
	defer tx.Rollback()
	out, err := m.Call(context.Background(), &sandbox.Request{Kind: abi.KindFunction, Name: name, Tx: tx, Root: root, Fields: enc}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var resp struct{ Result any }
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	return resp.Result
}

// TestFreshState: hello's calls function counts in a package variable. On
// a one-instance pool the count survives between calls unless FreshState
// puts the instance back to its snapshot after each.
func TestFreshState(t *testing.T) {
	for _, tc := range []struct {
		fresh bool
		want  []float64
	}{
		{false, []float64{1, 2, 3, 4}},
		{true, []float64{1, 1, 1, 1}},
	} {
		t.Run(fmt.Sprint("fresh=", tc.fresh), func(t *testing.T) {
			limits := benchLimits
			limits.PoolSize, limits.FreshState = 1, tc.fresh
			m, g, root := loadModuleWith(t, "hello", limits)
			for i, want := range tc.want {
				if got := callFunc(t, m, g, root, "calls"); got != want {
					t.Fatalf("call %d: calls = %v, want %v", i+1, got, want)
				}
			}
			if s := m.Stats(); s.Created != 1 || s.Discarded != 0 {
				t.Fatalf("pool %+v: want one instance, reused", s)
			}
		})
	}
}

// TestFreshState_Todo runs a stateful workload on restored instances: the
// graph keeps what the walkers wrote, the instances keep nothing, and
// every answer is right.
func TestFreshState_Todo(t *testing.T) {
	limits := benchLimits
	limits.PoolSize, limits.FreshState = 2, true
	m, g, root := loadModuleWith(t, "todo", limits)
	for i := range 20 {
		call(t, m, g, root, "create_todo", map[string]any{"title": fmt.Sprint("todo ", i)}, nil)
		out := call(t, m, g, root, "list_todos", map[string]any{}, nil)
		var resp struct{ Reports []any }
		if err := json.Unmarshal(out, &resp); err != nil {
			t.Fatal(err)
		}
		if n := len(resp.Reports); n != i+1 {
			t.Fatalf("after %d adds list_todos shows %d: %s", i+1, n, out)
		}
	}
	s := m.Stats()
	t.Logf("pool after 40 calls: %+v", s)
	if s.Created-s.Discarded > int64(s.Capacity) {
		t.Fatalf("pool %+v holds more than its capacity", s)
	}
}
