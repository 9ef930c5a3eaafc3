package files

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestSpace_Escapes tries every way out of an app's root through every
// operation. Each attempt must fail with ErrEscape (or ErrBadPath for a
// malformed path) and leave the outside untouched.
func TestSpace_Escapes(t *testing.T) {
	paths := []struct {
		name, path string
		want       error
	}{
		{"dotdot", "..", ErrEscape},
		{"dotdot file", "../secret.txt", ErrEscape},
		{"dotdot deep", "a/b/../../../secret.txt", ErrEscape},
		{"dotdot after name", "ok.txt/../../secret.txt", ErrEscape},
		{"absolute", "/etc/passwd", ErrEscape},
		{"absolute root", "/", ErrEscape},
		{"nul byte", "ok.txt\x00../../secret.txt", ErrBadPath},
		{"backslash", `..\secret.txt`, ErrBadPath},
		{"planted relative link", "out-rel", ErrEscape},
		{"planted absolute link", "out-abs", ErrEscape},
		{"link to a link out", "in-chain", ErrEscape},
		{"linked parent folder", "dir-rel/x.txt", ErrEscape},
		{"absolute linked parent folder", "dir-abs/x.txt", ErrEscape},
		{"link loop", "loop/x", ErrEscape},
	}
	ops := []struct {
		name string
		do   func(sp *Space, p string) error
	}{
		{"upload", func(sp *Space, p string) error { _, err := sp.Upload(p, []byte("pwned")); return err }},
		{"download", func(sp *Space, p string) error { _, err := sp.AppendFile(nil, p, 1<<20); return err }},
		{"exists", func(sp *Space, p string) error { _, err := sp.Exists(p); return err }},
		{"metadata", func(sp *Space, p string) error { _, err := sp.Metadata(p); return err }},
		{"copy from", func(sp *Space, p string) error { _, err := sp.Copy(p, "stolen.txt"); return err }},
		{"copy to", func(sp *Space, p string) error { _, err := sp.Copy("ok.txt", p); return err }},
		{"move to", func(sp *Space, p string) error { _, err := sp.Move("ok.txt", p); return err }},
		{"list", func(sp *Space, p string) error {
			got, err := sp.List(p+"/", true)
			if err == nil && len(got) > 0 {
				t.Errorf("List(%q) = %q: listed outside the root", p+"/", got)
			}
			return err
		}},
	}
	for _, op := range ops {
		for _, tc := range paths {
			t.Run(op.name+"/"+tc.name, func(t *testing.T) {
				sp, outside := escapeSetup(t)
				err := op.do(sp, tc.path)
				switch {
				case op.name == "list" && err == nil:
					// a prefix that leads out lists nothing
				case tc.name == "link loop" && errors.Is(err, ErrIO):
					// too many levels of links: refused all the same
				case !errors.Is(err, tc.want):
					t.Fatalf("%s(%q) = %v, want %v", op.name, tc.path, err, tc.want)
				}
				checkOutside(t, outside)
			})
		}
	}
	// Delete and move from refuse the lexical escapes and paths through a
	// linked folder; a planted link itself is inside the root and may be
	// removed or renamed, its target is not touched.
	sp, outside := escapeSetup(t)
	for _, tc := range paths[:8] {
		if _, err := sp.Delete(tc.path); !errors.Is(err, tc.want) {
			t.Fatalf("Delete(%q) = %v, want %v", tc.path, err, tc.want)
		}
		if _, err := sp.Move(tc.path, "x"); !errors.Is(err, tc.want) {
			t.Fatalf("Move(%q) = %v, want %v", tc.path, err, tc.want)
		}
	}
	for _, p := range []string{"dir-rel/x.txt", "dir-abs/x.txt"} {
		if _, err := sp.Delete(p); !errors.Is(err, ErrEscape) {
			t.Fatalf("Delete(%q): %v", p, err)
		}
	}
	if got, err := sp.List("", true); err != nil || len(got) != 1 || got[0] != "ok.txt" {
		t.Fatalf("List of the root = %q, %v; links out must not be listed", got, err)
	}
	for _, p := range []string{"out-rel", "out-abs", "in-chain", "dir-rel", "dir-abs"} {
		if ok, err := sp.Delete(p); !ok || err != nil {
			t.Fatalf("Delete of the link %q itself = %v, %v", p, ok, err)
		}
	}
	checkOutside(t, outside)
}

// escapeSetup makes a space holding ok.txt and links that lead out of it,
// next to a secret file and an empty folder outside it.
func escapeSetup(t *testing.T) (*Space, string) {
	t.Helper()
	sp, outside := newSpace(t, true)
	root := sp.root.Name()
	secret := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secret, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(outside, "outdir"), 0o755); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		"out-rel":  "../../secret.txt", // a planted link pointing out
		"out-abs":  secret,             // an absolute link, even to a file inside would be refused
		"dir-rel":  "../../outdir",     // a linked parent folder pointing out
		"dir-abs":  filepath.Join(outside, "outdir"),
		"loop":     "loop",
		"in-chain": "out-rel", // a link to a link that points out
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	mustUpload(t, sp, "ok.txt", "ok")
	return sp, outside
}

// checkOutside fails unless the secret file and the outside folder are as
// escapeSetup made them.
func checkOutside(t *testing.T, outside string) {
	t.Helper()
	if b, err := os.ReadFile(filepath.Join(outside, "secret.txt")); err != nil || string(b) != "secret" {
		t.Fatalf("the outside file changed: %q, %v", b, err)
	}
	if names, _ := os.ReadDir(filepath.Join(outside, "outdir")); len(names) != 0 {
		t.Fatalf("files written outside the root: %v", names)
	}
}
