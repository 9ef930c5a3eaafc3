package interp_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/lang/ast"
	"github.com/walkerhost/walkerhost/lang/interp"
	"github.com/walkerhost/walkerhost/lang/parse"
)

// runMain parses src and runs its entry blocks; it returns what was
// printed, and the error text if the program failed.
func runMain(t testing.TB, src string) (string, string) {
	t.Helper()
	f, err := parse.File("main.jac", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	h := interp.NewMemHost()
	p, err := interp.Load([]*ast.File{f}, h)
	if err != nil {
		return h.Out.String(), err.Error()
	}
	if err := p.Main(); err != nil {
		return h.Out.String(), err.Error()
	}
	return h.Out.String(), ""
}

// TestFile runs the program named by $JACFILE (a debugging aid).
func TestFile(t *testing.T) {
	name := os.Getenv("JACFILE")
	if name == "" {
		t.Skip("JACFILE not set")
	}
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	out, e := runMain(t, string(src))
	t.Logf("output:\n%s", out)
	if e != "" {
		t.Logf("error: %s", e)
	}
}

// TestPrograms runs every testdata/*.jac and compares what it prints with
// testdata/*.out, recorded from jaclang 0.16.7's `jac run`.
func TestPrograms(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.jac")
	if len(files) == 0 {
		t.Fatal("no programs")
	}
	for _, name := range files {
		t.Run(strings.TrimSuffix(filepath.Base(name), ".jac"), func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(name, ".jac") + ".out")
			if err != nil {
				t.Fatal(err)
			}
			got, e := runMain(t, string(src))
			if e != "" {
				got += "error: " + e + "\n"
			}
			if got != string(want) {
				t.Errorf("output differs from jaclang's\n%s", lineDiff(string(want), got))
			}
		})
	}
}

func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  jaclang: %s\n  interp:  %s\n", i+1, wl, gl)
		}
	}
	return b.String()
}

// TestDir compares every program of $JACDIR having a .out beside it (a
// debugging aid for a corpus recorded elsewhere).
func TestDir(t *testing.T) {
	dir := os.Getenv("JACDIR")
	if dir == "" {
		t.Skip("JACDIR not set")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.jac"))
	pass := 0
	for _, name := range files {
		want, err := os.ReadFile(strings.TrimSuffix(name, ".jac") + ".out")
		if err != nil {
			continue
		}
		src, _ := os.ReadFile(name)
		f, err := parse.File(filepath.Base(name), src)
		if err != nil {
			t.Errorf("%s: parse: %v", name, err)
			continue
		}
		h := interp.NewMemHost()
		got := ""
		if p, err := interp.Load([]*ast.File{f}, h); err != nil {
			got = "load error: " + err.Error()
		} else if err := p.Main(); err != nil {
			got = h.Out.String() + "error: " + err.Error() + "\n"
		} else {
			got = h.Out.String()
		}
		if got != string(want) {
			t.Errorf("%s:\n%s", filepath.Base(name), lineDiff(string(want), got))
			continue
		}
		pass++
	}
	t.Logf("%d programs match", pass)
}

// TestLoadDir loads every program of $JACLOAD and runs each walker without
// fields on a fresh graph (a debugging aid: it prints what fails).
func TestLoadDir(t *testing.T) {
	dir := os.Getenv("JACLOAD")
	if dir == "" {
		t.Skip("JACLOAD not set")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.jac"))
	for _, name := range files {
		src, _ := os.ReadFile(name)
		f, err := parse.File(filepath.Base(name), src)
		if err != nil {
			t.Errorf("%s: parse: %v", name, err)
			continue
		}
		h := interp.NewMemHost()
		p, err := interp.Load([]*ast.File{f}, h)
		if err != nil {
			t.Errorf("%s: load: %v", filepath.Base(name), err)
			continue
		}
		for cname, cls := range p.Classes() {
			if p.HasWalker(cname) {
				_ = cls
				if err := p.Walker(cname, nil, ""); err != nil {
					t.Logf("%s: walker %s: %v", filepath.Base(name), cname, err)
				}
			}
		}
		t.Logf("%s: reports %v calls %v", filepath.Base(name), h.Reports, h.Calls)
	}
}
