package e2e

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/host"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestStart_CorruptedDataFile: a host whose data.db was cut short or
// overwritten does not start, and says which file and what to do, instead
// of panicking or faulting.
func TestStart_CorruptedDataFile(t *testing.T) {
	cfg := testenv.Config(t)
	h := testenv.Start(t, cfg, "todo", testenv.Guest(t, "todo"))
	alice := testenv.Register(t, h.URL, "alice", "pw")
	for range 50 {
		createTodo(t, h, alice, strings.Repeat("x", 500))
	}
	h.Stop()
	path := filepath.Join(cfg.DataDir, "data.db")
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		file []byte
	}{
		{"first two pages only", good[:8192]},
		{"meta pages overwritten", append(make([]byte, 8192), good[8192:]...)},
		{"not a database", []byte("hello\n")},
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(path, tc.file, 0o600); err != nil {
				t.Fatal(err)
			}
			h, err := host.Open(context.Background(), cfg, "todo", testenv.Guest(t, "todo"), log)
			if err == nil {
				h.Close()
				t.Fatal("host started")
			}
			t.Log(err)
			for _, w := range []string{path, "corrupted", "restore it from a backup, or move it aside"} {
				if !strings.Contains(err.Error(), w) {
					t.Fatalf("error %q does not say %q", err, w)
				}
			}
		})
	}
}
