package deploy

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/walkerhost/walkerhost/deploy/image"
)

func TestName(t *testing.T) {
	named := DefaultConfig()
	named.AppName = "shop"
	tests := []struct {
		name   string
		cfg    Config
		module string
		want   string
	}{
		{"module name", DefaultConfig(), "todo", "todo"},
		{"APP_NAME wins", named, "todo", "shop"},
		{"underscores and capitals", DefaultConfig(), "Shared_Notes", "shared-notes"},
		{"edges trimmed", DefaultConfig(), "_x_", "x"},
		{"cut to 40", DefaultConfig(), strings.Repeat("a", 50), strings.Repeat("a", 40)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Name(tc.cfg, tc.module)
			if err != nil || got != tc.want {
				t.Fatalf("got %q %v, want %q", got, err, tc.want)
			}
		})
	}
	if _, err := Name(DefaultConfig(), "___"); err == nil || !strings.Contains(err.Error(), "APP_NAME") {
		t.Fatalf("a module with no usable name: %v", err)
	}
}

type nopTarget struct{ Target }

func TestLookup(t *testing.T) {
	Register("test-nop", nopTarget{})
	if got, err := Lookup("test-nop"); err != nil || got != (nopTarget{}) {
		t.Fatalf("lookup: %v %v", got, err)
	}
	tests := []struct{ name, want string }{
		{"aws", `unknown target "aws": not built into this jac yet; deploy to EKS with --target kubernetes`},
		{"gcp", "GKE"},
		{"nomad", `unknown target "nomad" (available: `},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Lookup(tc.name)
			if !errors.Is(err, ErrUnknownTarget) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	defer func() {
		if recover() == nil {
			t.Fatal("registering a name twice did not panic")
		}
	}()
	Register("test-nop", nopTarget{})
}

func TestStart_HostBinary(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Registry = "127.0.0.1:1"
	cfg.HostBinary = "/bin/ls"
	_, err := Start(context.Background(), Options{Config: cfg, Module: image.Module{Name: "app"}, Build: true, Target: nopTarget{}})
	if !errors.Is(err, ErrHostBinary) || !strings.Contains(err.Error(), "dynamically linked") {
		t.Fatalf("got %v", err)
	}
}

// TestWriterLogger_Hammer logs from many goroutines: every line must come
// out whole.
func TestWriterLogger_Hammer(t *testing.T) {
	var buf strings.Builder
	log := NewWriterLogger(&buf)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				log.Logf("goroutine %d line %d", g, i)
				if _, err := Lookup("test-nop"); err != nil && !errors.Is(err, ErrUnknownTarget) {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 8*200 {
		t.Fatalf("%d lines, want %d", len(lines), 8*200)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "[") || !strings.Contains(l, "s] goroutine ") {
			t.Fatalf("mangled line %q", l)
		}
	}
}
