// Command kvdemo drives the key-value stores and the file storage of the
// SDK from HTTP: one walker runs any kvstore method, one any storage
// method, and two move uploaded files in and out of storage. Its
// black-box tests are internal/e2e/kvdemo_test.go.
package main

import (
	"errors"

	"github.com/walkerhost/walkerhost/sdk"
)

// main is never run: the host calls the module's walker_* exports.
func main() {}

// outcome is what the walkers report: {"ok": true, "value": v}, or
// {"ok": false, "errno": "denied", "error": "..."}, so that a refusal is a
// result to look at rather than a failed request.
func outcome(v any, err error) map[string]any {
	if err == nil {
		return map[string]any{"ok": true, "value": v}
	}
	return map[string]any{"ok": false, "errno": errnoName(err), "error": err.Error()}
}

// errnoName names the SDK sentinel err matches.
func errnoName(err error) string {
	for _, s := range []struct {
		name string
		err  error
	}{
		{"denied", sdk.ErrDenied}, {"not_found", sdk.ErrNotFound}, {"bad_argument", sdk.ErrBadArgument},
		{"unsupported", sdk.ErrUnsupported}, {"unavailable", sdk.ErrUnavailable}, {"too_large", sdk.ErrTooLarge},
	} {
		if errors.Is(err, s.err) {
			return s.name
		}
	}
	return "other"
}

// Argument accessors for the args list of the generic walkers: a missing
// or mistyped argument is its zero value, which the host then refuses.

func str(a []any, i int) string {
	if i < len(a) {
		s, _ := a[i].(string)
		return s
	}
	return ""
}

func num(a []any, i int) int {
	if i < len(a) {
		n, _ := a[i].(int64)
		return int(n)
	}
	return 0
}

func val(a []any, i int) any {
	if i < len(a) {
		return a[i]
	}
	return nil
}

func obj(a []any, i int) map[string]any {
	if i < len(a) {
		m, _ := a[i].(map[string]any)
		return m
	}
	return nil
}
