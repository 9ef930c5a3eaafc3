package sandbox_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/testenv/wasmbomb"
)

// Raw code for wasmbomb's Handle.
var (
	trapNow   = []byte{0x00}                                     // unreachable
	failGrow  = []byte{0x41, 0x80, 0x80, 0x04, 0x40, 0x00, 0x1a} // memory.grow 65536 pages (4 GiB); drop
	growToCap = []byte{0x41, 0xfe, 0x01, 0x40, 0x00, 0x1a}       // memory.grow 254 pages: 2 to 256 (16 MiB); drop
	outOfMem  = []byte{0x41, 0x7f, 0x28, 0x02, 0x00, 0x1a}       // i32.load at -1; drop
)

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// TestTraps_Classified: each way a guest's call can end is reported from
// what the runtime and the host's instrumentation say, not from the
// guest's memory size or what it printed: a failed memory.grow followed by
// a trap is the memory limit, however little memory the guest holds; a
// guest that grew to the limit and then trapped for another reason is a
// trap; the runtime's stack overflow is the stack limit; the deadline wins
// over everything the guest did before it.
func TestTraps_Classified(t *testing.T) {
	lim := benchLimits
	lim.MemoryMB, lim.Timeout = 16, 5*time.Second
	ctx := context.Background()
	eng, err := sandbox.NewEngine(ctx, sandbox.Options{Limits: lim, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close(ctx) })
	short := lim
	short.Timeout = 200 * time.Millisecond
	const deep = 1 << 30
	tests := []struct {
		name    string
		spec    wasmbomb.Spec
		lim     sandbox.Limits
		outcome string // sandbox.Outcome of the call
		want    string // the limit's name, or what the trap's message says
	}{
		{"returns", wasmbomb.Spec{}, lim, sandbox.OutcomeOK, ""},
		{"failed grow, handled", wasmbomb.Spec{Handle: failGrow}, lim, sandbox.OutcomeOK, ""},
		{"unreachable", wasmbomb.Spec{Handle: trapNow}, lim, sandbox.OutcomeTrap, `walker "bomb": wasm error: unreachable`},
		{"out of bounds", wasmbomb.Spec{Handle: outOfMem}, lim, sandbox.OutcomeTrap, "wasm error: out of bounds memory access"},
		{"failed grow, then unreachable", wasmbomb.Spec{Handle: cat(failGrow, trapNow)}, lim, sandbox.OutcomeLimit, "memory"},
		{"failed grow, then out of bounds", wasmbomb.Spec{Handle: cat(failGrow, outOfMem)}, lim, sandbox.OutcomeLimit, "memory"},
		{"grown to the limit, then unreachable", wasmbomb.Spec{Handle: cat(growToCap, trapNow)}, lim, sandbox.OutcomeTrap, "wasm error: unreachable"},
		{"call stack overflow", wasmbomb.Spec{Recurse: abi.ExportHandle, Depth: deep}, lim, sandbox.OutcomeLimit, "stack"},
		{"failed grow, then call stack overflow", wasmbomb.Spec{Handle: failGrow, Recurse: abi.ExportHandle, Depth: deep}, lim, sandbox.OutcomeLimit, "stack"},
		{"runs past the deadline", wasmbomb.Spec{Recurse: abi.ExportHandle}, short, sandbox.OutcomeLimit, "time"},
		{"failed grow, then past the deadline", wasmbomb.Spec{Handle: failGrow, Recurse: abi.ExportHandle}, short, sandbox.OutcomeLimit, "time"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.spec.Manifest = wasmbomb.PublicManifest
			m, err := eng.LoadWith(ctx, "bomb", tc.spec.Build(), tc.lim)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close(ctx)
			for i := range 2 { // the second call runs on a fresh instance, or the same one after a clean return
				var err error
				returns(t, "call", func() { err = callBomb(t, m) })
				outcome, abort := sandbox.Outcome(err)
				if outcome != tc.outcome {
					t.Fatalf("call %d: %v: outcome %q, want %q %s", i, err, outcome, tc.outcome, tc.want)
				}
				var le *sandbox.LimitError
				switch {
				case outcome == sandbox.OutcomeLimit && (abort != tc.want || !errors.As(err, &le)):
					t.Fatalf("call %d: %v, want the %s limit", i, err, tc.want)
				case outcome == sandbox.OutcomeLimit && tc.want == "memory" && le.Value != "16 MiB":
					t.Fatalf("call %d: %v, want the limit's value", i, err)
				case outcome == sandbox.OutcomeTrap && (!strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n")):
					t.Fatalf("call %d: %q, want one line saying %q", i, err, tc.want)
				}
			}
		})
	}
}
