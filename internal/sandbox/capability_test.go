package sandbox_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero/api"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/capability"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/testenv/wasmbomb"
)

// ticks is a capability a test plugs in: walker.ticks() -> i64 answers how
// many times the call has asked, counted in its per-call state.
type ticks struct {
	states int   // states made: one per instance that served a call
	seen   []int // what each call of ticks answered
}

type tickState struct{ n int }

func (t *tickState) Reset() { t.n = 0 }

func (*ticks) Name() string                 { return "ticks" }
func (*ticks) Errnos() []capability.Errno   { return nil }
func (t *ticks) NewState() capability.State { t.states++; return &tickState{} }
func (t *ticks) Funcs() []capability.Func {
	return []capability.Func{{Name: "ticks", Results: []api.ValueType{api.ValueTypeI64}, Fn: func(c capability.Call, stack []uint64) {
		st := c.State(t).(*tickState)
		st.n++
		t.seen = append(t.seen, st.n)
		stack[0] = uint64(st.n)
	}}}
}

func capEngine(t *testing.T, caps ...capability.Capability) (*sandbox.Engine, error) {
	t.Helper()
	lim := benchLimits
	lim.PoolSize = 1
	ctx := context.Background()
	eng, err := sandbox.NewEngine(ctx, sandbox.Options{Limits: lim, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Capabilities: caps})
	if err == nil {
		t.Cleanup(func() { eng.Close(ctx) })
	}
	return eng, err
}

// TestCapability_PlugIn: a capability registered with the engine adds a
// host function guests import; its state is made once per instance and
// reset before every call; an engine without it refuses the module at
// load, naming the import.
func TestCapability_PlugIn(t *testing.T) {
	wasm := wasmbomb.Spec{Manifest: wasmbomb.PublicManifest, HostCall: abi.ExportHandle, HostFunc: "ticks"}.Build()
	tk := &ticks{}
	eng, err := capEngine(t, tk)
	if err != nil {
		t.Fatal(err)
	}
	m, err := eng.Load(context.Background(), "hand", wasm)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := callBomb(t, m); err != nil {
			t.Fatal(err)
		}
	}
	if tk.states != 1 || len(tk.seen) != 3 || tk.seen[0] != 1 || tk.seen[1] != 1 || tk.seen[2] != 1 {
		t.Fatalf("states %d, answers %v; want 1 state and each call answered 1", tk.states, tk.seen)
	}

	bare, err := capEngine(t)
	if err != nil {
		t.Fatal(err)
	}
	_, err = bare.Load(context.Background(), "hand", wasm)
	if !errors.Is(err, sandbox.ErrModule) || !strings.Contains(err.Error(), "imports walker.ticks: no such host function") {
		t.Fatalf("load without the capability: %v, want a refusal naming walker.ticks", err)
	}
}

// TestCapability_Clash: two capabilities that define the same host
// function are refused when the engine is made.
func TestCapability_Clash(t *testing.T) {
	for _, caps := range [][]capability.Capability{{&ticks{}, &ticks{}}, {clash{}}} {
		if _, err := capEngine(t, caps...); err == nil || !strings.Contains(err.Error(), "as ") {
			t.Fatalf("%v: got %v, want a refusal naming both capabilities", caps, err)
		}
	}
}

// clash defines walker.now, which the built-in request capability does.
type clash struct{}

func (clash) Name() string               { return "clash" }
func (clash) Errnos() []capability.Errno { return nil }
func (clash) Funcs() []capability.Func {
	return []capability.Func{{Name: abi.FuncNow, Results: []api.ValueType{api.ValueTypeI64}, Fn: func(capability.Call, []uint64) {}}}
}
