package sandbox

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/sys"
)

// TestClassifyTrap: the order in which classifyTrap reads what ended a
// call, for the cases a hand-made module cannot easily reach (a host
// function's abort, proc_exit); traps_test.go runs the others.
func TestClassifyTrap(t *testing.T) {
	lim := &Limits{Timeout: 2 * time.Second, MemoryMB: 32}
	exit := sys.NewExitError(2)
	hostCalls := &LimitError{Limit: "host_calls", Value: "10"}
	arena := execErr(OutcomeTrap, "walker_alloc returned an arena outside memory")
	tests := []struct {
		name    string
		t       trap
		outcome string
		want    string // the limit, or the message
	}{
		{"host abort", trap{err: fmt.Errorf("x: %w", &abort{hostCalls}), abort: hostCalls}, OutcomeLimit, "host_calls"},
		{"host abort before the deadline and a failed grow", trap{err: errDeadline, abort: hostCalls, expired: true, growFailed: true}, OutcomeLimit, "host_calls"},
		{"deadline", trap{err: errDeadline, expired: true}, OutcomeLimit, "time"},
		{"deadline before an exit", trap{err: exit, expired: true, growFailed: true}, OutcomeLimit, "time"},
		{"arena outside memory", trap{err: arena}, OutcomeTrap, arena.Error()},
		{"exit", trap{err: exit}, OutcomeTrap, `walker "w": guest exited with code 2`},
		{"failed grow, then exit", trap{err: exit, growFailed: true}, OutcomeLimit, "memory"},
		{"other error", trap{err: errors.New("wasm error: unreachable\nwasm stack trace:\n\tf")}, OutcomeTrap, `walker "w": wasm error: unreachable`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := classifyTrap(tc.t, lim, "w")
			outcome, abort := Outcome(err)
			switch {
			case outcome != tc.outcome:
				t.Fatalf("%v: outcome %q, want %q", err, outcome, tc.outcome)
			case outcome == OutcomeLimit && abort != tc.want:
				t.Fatalf("%v: limit %q, want %q", err, abort, tc.want)
			case outcome == OutcomeTrap && err.Error() != ErrExecution.Error()+": "+tc.want && err.Error() != tc.want:
				t.Fatalf("%q, want %q", err, tc.want)
			}
		})
	}
}
