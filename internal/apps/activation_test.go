package apps_test

import (
	"context"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/internal/apps"
)

// TestActivation_Compilations: an upload is compiled once, whether it is
// activated with the upload or later: the module loaded to check it is
// kept for its activation. Only the newest upload of an app is kept.
func TestActivation_Compilations(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		steps func(*testing.T, *replica)
		serve uint64 // the version served at the end
		want  int64  // compilations of the steps
	}{
		{"upload and activate", func(t *testing.T, r *replica) { upload(t, r, "svc", "v1", true) }, 1, 1},
		{"upload, then activate", func(t *testing.T, r *replica) {
			upload(t, r, "svc", "v1", false)
			if err := r.Activate(ctx, "svc", 1); err != nil {
				t.Fatal(err)
			}
		}, 1, 1},
		{"activate an older upload", func(t *testing.T, r *replica) {
			upload(t, r, "svc", "v1", false)
			upload(t, r, "svc", "v2", false) // the kept one now
			if err := r.Activate(ctx, "svc", 1); err != nil {
				t.Fatal(err)
			}
		}, 1, 3},
		{"activate the newest upload", func(t *testing.T, r *replica) {
			upload(t, r, "svc", "v1", false)
			upload(t, r, "svc", "v2", false)
			if err := r.Activate(ctx, "svc", 2); err != nil {
				t.Fatal(err)
			}
		}, 2, 2},
		{"deleted upload", func(t *testing.T, r *replica) {
			upload(t, r, "svc", "v1", true)
			upload(t, r, "svc", "v2", false)
			if err := r.Delete("svc", 2); err != nil {
				t.Fatal(err)
			}
			if err := r.Activate(ctx, "svc", 2); err == nil {
				t.Fatal("a deleted version was activated")
			}
		}, 1, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			eng := newEngine(t, 10*time.Second) // an engine of its own: no code compiled yet
			rep := start(t, eng, newDB(t), 10*time.Second)
			before := eng.Compilations()
			tc.steps(t, rep)
			if got := eng.Compilations() - before; got != tc.want {
				t.Errorf("%d compilations, want %d", got, tc.want)
			}
			if rep.serving("svc") != tc.serve {
				t.Errorf("serving %d, want %d", rep.serving("svc"), tc.serve)
			}
		})
	}
}

// TestDrain: an activation returns once the requests counted in the version
// it replaced have ended, however many; new requests go to the new version
// from the swap on.
func TestDrain(t *testing.T) {
	for _, held := range []int{0, 1, 3} {
		eng := newEngine(t, 10*time.Minute) // the drain deadline is never reached here
		rep := start(t, eng, newDB(t), 10*time.Minute)
		upload(t, rep, "svc", "v1", true)
		upload(t, rep, "svc", "v2", false)
		var releases []func()
		for range held {
			releases = append(releases, apps.Hold(rep.Registry, "svc"))
		}
		done := make(chan error, 1)
		go func() { done <- rep.Activate(context.Background(), "svc", 2) }()
		eventually(t, "the swap", func() bool { return rep.serving("svc") == 2 })
		for i, release := range releases {
			select {
			case err := <-done:
				t.Fatalf("held %d: activation returned (%v) with %d requests of the old version left", held, err, held-i)
			default:
			}
			release()
		}
		if err := returns(t, "activation", func() error { return <-done }); err != nil {
			t.Fatal(err)
		}
	}
}
