package build

import (
	"bytes"
	"flag"
	"os"
	"path"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the provided module zips")

// TestProvided checks that the SDK and ABI a jac binary carries are the
// ones in sdk/ and abi/ (go test ./internal/build -update after changing
// them).
func TestProvided(t *testing.T) {
	for _, mod := range Provided {
		src := filepath.Join("..", "..", path.Base(mod))
		want, err := ModuleZip(mod, src)
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			if err := os.WriteFile(filepath.FromSlash(zipName(mod)), want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := provided.ReadFile(zipName(mod))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (%v): run go test ./internal/build -update", zipName(mod), src, err)
		}
	}
}
