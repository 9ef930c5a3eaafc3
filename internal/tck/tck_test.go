package tck

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestConformance runs the suite against the Go SDK's conformance guest
// (sdk/conformance), or against the module named by WALKERHOST_TCK_GUEST,
// another SDK's conformance guest (docs/CONFORMANCE.md).
func TestConformance(t *testing.T) {
	var guest []byte
	if path := os.Getenv("WALKERHOST_TCK_GUEST"); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		guest = b
	} else {
		guest = testenv.SDKGuest(t, "./conformance")
	}
	Run(t, guest, Behaviours())
}

// Every section of abi/ABI.md has a behaviour, or a reason in Uncovered.
func TestBehaviours_CoverTheABI(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "abi", "ABI.md"))
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	names := map[string]bool{}
	for _, b := range Behaviours() {
		covered[b.Section] = true
		if names[b.Section+"/"+b.Name] {
			t.Errorf("behaviour %q twice", b.Name)
		}
		names[b.Section+"/"+b.Name] = true
	}
	hs := headings(string(doc))
	for _, h := range hs {
		if !covered[h] && Uncovered[h] == "" {
			t.Errorf("ABI.md section %q has no behaviour", h)
		}
	}
	for s := range covered {
		if !slices.Contains(hs, s) {
			t.Errorf("behaviours name section %q, which ABI.md does not have", s)
		}
	}
}
