package kubernetes

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/deploy"
)

// TestCheck_MissingKubeconfig: a KUBECONFIG naming no file is named in the
// error, instead of "no cluster configured: set KUBECONFIG".
func TestCheck_MissingKubeconfig(t *testing.T) {
	dir := t.TempDir()
	found := filepath.Join(dir, "config")
	if err := os.WriteFile(found, []byte("apiVersion: v1\nkind: Config\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ env, want string }{
		{"/nonexistent", "KUBECONFIG=/nonexistent: no such file"},
		{"/nonexistent" + string(filepath.ListSeparator) + "/also/missing", "KUBECONFIG=/nonexistent:/also/missing: no such file"},
		{found, "no cluster configured"}, // it exists, but names no cluster
	}
	for _, tc := range tests {
		t.Setenv("KUBECONFIG", tc.env)
		err := (&Target{}).Check(t.Context(), deploy.App{})
		if !errors.Is(err, ErrCluster) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("KUBECONFIG=%s: %v, want %q", tc.env, err, tc.want)
		}
	}
}
