package sandbox

import (
	"errors"
	"fmt"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
)

func TestOutcome(t *testing.T) {
	s := &session{walker: "w"}
	tests := []struct {
		name             string
		err              error
		outcome, aborted string
	}{
		{"success", nil, OutcomeOK, ""},
		{"time limit", &LimitError{Limit: "time", Value: "1s"}, OutcomeLimit, "time"},
		{"wrapped limit", fmt.Errorf("x: %w", &LimitError{Limit: "memory"}), OutcomeLimit, "memory"},
		{"walker error", s.failure(abi.StatusFailed), OutcomeError, ""},
		{"bad request", s.failure(abi.StatusBadRequest), OutcomeError, ""},
		{"recovered panic", s.failure(abi.StatusPanicked), OutcomePanic, "panic"},
		{"bad pointer", abortf("bad pointer").err, OutcomeTrap, "trap"},
		{"unknown walker", ErrUnknown, OutcomeError, ""},
		{"other", errors.New("x"), OutcomeError, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, a := Outcome(tc.err)
			if o != tc.outcome || a != tc.aborted {
				t.Fatalf("Outcome = %q, %q; want %q, %q", o, a, tc.outcome, tc.aborted)
			}
			if tc.outcome == OutcomePanic || tc.outcome == OutcomeTrap || tc.name == "walker error" {
				if !errors.Is(tc.err, ErrExecution) {
					t.Fatalf("%v does not wrap ErrExecution", tc.err)
				}
			}
		})
	}
}
