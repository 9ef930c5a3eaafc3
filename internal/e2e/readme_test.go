package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestReadme_TryIt runs the README's "Try it" lines as they are, against
// the todo module: every line must work when pasted into a shell.
func TestReadme_TryIt(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("needs curl")
	}
	readme, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "## Try it\n")
	_, block, _ := strings.Cut(section, "```sh\n")
	script, _, ok := strings.Cut(block, "```")
	if !ok || script == "" {
		t.Fatal("no sh block under ## Try it")
	}
	h := testenv.Start(t, testenv.Config(t), "todo", testenv.Guest(t, "todo"))
	script = strings.ReplaceAll(script, "localhost:8000", strings.TrimPrefix(h.URL, "http://"))
	out, err := exec.Command("sh", "-ec", script).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := string(out)
	for _, want := range []string{`"done":false,"title":"buy milk"`, `"done":true,"title":"buy milk"`, `"deleted":"`} {
		if !strings.Contains(got, want) {
			t.Fatalf("output lacks %s:\n%s", want, got)
		}
	}
}
