package files

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "a.txt", "a.txt"},
		{"nested", "a/b/c.txt", "a/b/c.txt"},
		{"dot names dropped", "./a/./b", "a/b"},
		{"double slash", "a//b", "a/b"},
		{"trailing slash", "a/b/", "a/b"},
		{"root", ".", ""},
		{"dots inside names", "a..b/..c", "a..b/..c"},
		{"unicode", "héllo/✓.txt", "héllo/✓.txt"},
		{"longest name", strings.Repeat("n", MaxName), strings.Repeat("n", MaxName)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Clean(tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("Clean(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestClean_Errors(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
	}{
		{"empty", "", ErrBadPath},
		{"parent", "..", ErrEscape},
		{"parent first", "../x", ErrEscape},
		{"parent inside", "a/../b", ErrEscape},
		{"parent deep", "a/b/../../../x", ErrEscape},
		{"parent last", "a/..", ErrEscape},
		{"absolute", "/etc/passwd", ErrEscape},
		{"absolute root", "/", ErrEscape},
		{"nul", "a\x00b", ErrBadPath},
		{"backslash", `..\x`, ErrBadPath},
		{"too long", strings.Repeat("a/", MaxPath), ErrBadPath},
		{"name too long", strings.Repeat("n", MaxName+1), ErrBadPath},
		{"reserved name", "a/.jac-tmp-1", ErrBadPath},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Clean(tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Clean(%q) = %q, %v; want %v", tc.in, got, err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "storage: ") {
				t.Fatalf("message %q lacks the package prefix", err)
			}
		})
	}
}

// FuzzClean checks that every path Clean accepts stays below the root,
// whatever the input.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"a", "a/b", "../x", "a/../b", "/x", ".", "a//b/", "a\x00", `a\b`, ".jac-x", "...", "a/.../b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		c, err := Clean(p)
		if err != nil {
			if !errors.Is(err, ErrBadPath) && !errors.Is(err, ErrEscape) {
				t.Fatalf("Clean(%q): unexpected error %v", p, err)
			}
			return
		}
		if again, err := Clean(rootPath(c)); err != nil || again != c {
			t.Fatalf("Clean(%q) = %q, not a fixed point (%q, %v)", p, c, again, err)
		}
		root := "/srv/storage/app"
		joined := filepath.Join(root, c)
		if joined != root && !strings.HasPrefix(joined, root+"/") {
			t.Fatalf("Clean(%q) = %q leaves the root: %s", p, c, joined)
		}
		for _, name := range strings.Split(c, "/") {
			if c != "" && (name == "" || name == "." || name == ".." || strings.ContainsAny(name, "\x00\\")) {
				t.Fatalf("Clean(%q) = %q has name %q", p, c, name)
			}
		}
	})
}
