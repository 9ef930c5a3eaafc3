package identity

import (
	"bytes"
	"io"
	"log/slog"
	"testing"

	"github.com/walkerhost/walkerhost/host/store"
)

func TestStoredSecret(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	first, err := StoredSecret(db, "app", "", log)
	if err != nil || len(first) < 32 {
		t.Fatalf("got %q, %v", first, err)
	}
	tests := []struct {
		name, app, configured string
		same                  bool
	}{
		{"kept", "app", "", true},
		{"configured wins", "app", "configured-secret-0123456789", false},
		{"per app", "other", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := StoredSecret(db, tc.app, tc.configured, log)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(got, first) != tc.same {
				t.Fatalf("got %q, first %q, want same=%v", got, first, tc.same)
			}
		})
	}
}
