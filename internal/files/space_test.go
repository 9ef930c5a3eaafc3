package files

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// newSpace opens a storage under a fresh folder and returns the space of
// app "a" and the folder holding the storage (its parent is outside it).
func newSpace(t *testing.T, createDirs bool) (*Space, string) {
	t.Helper()
	dir := t.TempDir()
	base := filepath.Join(dir, "storage")
	if !createDirs {
		if err := os.MkdirAll(base, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	st, err := Open(Options{BasePath: base, CreateDirs: createDirs})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sp, err := st.App("a")
	if err != nil {
		t.Fatal(err)
	}
	return sp, dir
}

func mustUpload(t *testing.T, sp *Space, p, data string) {
	t.Helper()
	if _, err := sp.Upload(p, []byte(data)); err != nil {
		t.Fatalf("Upload(%q): %v", p, err)
	}
}

func read(t *testing.T, sp *Space, p string) string {
	t.Helper()
	b, err := sp.AppendFile(nil, p, 1<<20)
	if err != nil {
		t.Fatalf("AppendFile(%q): %v", p, err)
	}
	return string(b)
}

func TestSpace_RoundTrip(t *testing.T) {
	sp, _ := newSpace(t, true)
	got, err := sp.Upload("./docs//a.txt", []byte("hello"))
	if err != nil || got != "docs/a.txt" {
		t.Fatalf("Upload = %q, %v", got, err)
	}
	if s := read(t, sp, "docs/a.txt"); s != "hello" {
		t.Fatalf("read %q", s)
	}
	mustUpload(t, sp, "docs/a.txt", "replaced")
	if s := read(t, sp, "docs/a.txt"); s != "replaced" {
		t.Fatalf("after replace: %q", s)
	}
	if b, _ := sp.AppendFile([]byte("x:"), "docs/a.txt", 100); string(b) != "x:replaced" {
		t.Fatalf("AppendFile appends: %q", b)
	}
	for _, tc := range []struct {
		p    string
		want bool
	}{{"docs/a.txt", true}, {"docs", true}, {".", true}, {"docs/b.txt", false}, {"docs/a.txt/x", false}} {
		if ok, err := sp.Exists(tc.p); err != nil || ok != tc.want {
			t.Fatalf("Exists(%q) = %v, %v", tc.p, ok, err)
		}
	}
	if p, err := sp.Copy("docs/a.txt", "copies/b.txt"); err != nil || p != "copies/b.txt" || read(t, sp, p) != "replaced" {
		t.Fatalf("Copy = %q, %v", p, err)
	}
	if p, err := sp.Move("copies/b.txt", "moved/c.txt"); err != nil || p != "moved/c.txt" || read(t, sp, p) != "replaced" {
		t.Fatalf("Move = %q, %v", p, err)
	}
	if ok, _ := sp.Exists("copies/b.txt"); ok {
		t.Fatal("moved file still at its source")
	}
	if p, err := sp.Move("moved", "archive/moved"); err != nil || read(t, sp, p+"/c.txt") != "replaced" {
		t.Fatalf("Move folder = %q, %v", p, err)
	}
	if ok, err := sp.Delete("docs"); err != nil || !ok {
		t.Fatalf("Delete folder = %v, %v", ok, err)
	}
	if ok, err := sp.Delete("docs"); err != nil || ok {
		t.Fatalf("Delete again = %v, %v", ok, err)
	}
	if ok, _ := sp.Exists("docs/a.txt"); ok {
		t.Fatal("file survived its folder's deletion")
	}
}

func TestSpace_List(t *testing.T) {
	sp, _ := newSpace(t, true)
	for _, p := range []string{"a.txt", "img/cat.png", "img/car.png", "img/dog.png", "img/old/cat0.png", "imgs.txt", "z/y/x.txt"} {
		mustUpload(t, sp, p, p)
	}
	if err := os.Symlink("cat.png", filepath.Join(sp.root.Name(), "img", "cat-link.png")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		prefix    string
		recursive bool
		want      []string
	}{
		{"root", "", false, []string{"a.txt", "img", "imgs.txt", "z"}},
		{"everything", "", true, []string{"a.txt", "img/car.png", "img/cat-link.png", "img/cat.png", "img/dog.png", "img/old/cat0.png", "imgs.txt", "z/y/x.txt"}},
		{"folder", "img/", false, []string{"img/car.png", "img/cat-link.png", "img/cat.png", "img/dog.png", "img/old"}},
		{"folder without slash", "img", false, []string{"img/car.png", "img/cat-link.png", "img/cat.png", "img/dog.png", "img/old"}},
		{"nested folder without slash", "z/y", false, []string{"z/y/x.txt"}},
		{"folder with a subfolder only", "z/", false, []string{"z/y"}},
		{"folder recursive", "img/", true, []string{"img/car.png", "img/cat-link.png", "img/cat.png", "img/dog.png", "img/old/cat0.png"}},
		{"name prefix", "img/ca", false, []string{"img/car.png", "img/cat-link.png", "img/cat.png"}},
		{"folder without slash recursive", "img", true, []string{"img/car.png", "img/cat-link.png", "img/cat.png", "img/dog.png", "img/old/cat0.png"}},
		{"name prefix at root", "im", false, []string{"img", "imgs.txt"}},
		{"name prefix at root recursive", "im", true, []string{"img/car.png", "img/cat-link.png", "img/cat.png", "img/dog.png", "img/old/cat0.png", "imgs.txt"}},
		{"file name", "a.txt", false, []string{"a.txt"}},
		{"missing folder", "nope/", true, nil},
		{"a file as folder", "a.txt/", true, nil},
		{"dot folder", "./z/", true, []string{"z/y/x.txt"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := sp.List(tc.prefix, tc.recursive)
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("List(%q, %v) = %q, %v; want %q", tc.prefix, tc.recursive, got, err, tc.want)
			}
		})
	}
}

func TestSpace_Metadata(t *testing.T) {
	sp, _ := newSpace(t, true)
	before := time.Now().Add(-2 * time.Second)
	mustUpload(t, sp, "d/f.bin", "12345")
	m, err := sp.Metadata("d/f.bin")
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "f.bin" || m.Path != "d/f.bin" || m.Size != 5 || m.IsDir {
		t.Fatalf("metadata %+v", m)
	}
	for what, tm := range map[string]time.Time{"modified": m.Modified, "created": m.Created} {
		if tm.Before(before) || tm.After(time.Now().Add(2*time.Second)) || tm.Location() != time.UTC {
			t.Fatalf("%s = %v, want about now in UTC", what, tm)
		}
	}
	d, err := sp.Metadata("d")
	if err != nil || !d.IsDir || d.Size != 0 || d.Name != "d" {
		t.Fatalf("folder metadata %+v, %v", d, err)
	}
	if _, err := sp.Metadata("d/none"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
}

func TestSpace_Errors(t *testing.T) {
	sp, _ := newSpace(t, true)
	mustUpload(t, sp, "d/f.txt", "x")
	mustUpload(t, sp, "full/g.txt", "x")
	big := strings.Repeat("b", 100)
	mustUpload(t, sp, "big.txt", big)
	tests := []struct {
		name string
		op   func() error
		want error
	}{
		{"download missing", func() error { _, err := sp.AppendFile(nil, "none", 10); return err }, ErrNotFound},
		{"download folder", func() error { _, err := sp.AppendFile(nil, "d", 10); return err }, ErrIsDir},
		{"download too large", func() error { _, err := sp.AppendFile(nil, "big.txt", 99); return err }, ErrTooLarge},
		{"download root", func() error { _, err := sp.AppendFile(nil, ".", 10); return err }, ErrBadPath},
		{"upload onto folder", func() error { _, err := sp.Upload("d", []byte("x")); return err }, ErrIsDir},
		{"upload under a file", func() error { _, err := sp.Upload("d/f.txt/g", []byte("x")); return err }, ErrConflict},
		{"copy folder", func() error { _, err := sp.Copy("d", "e"); return err }, ErrIsDir},
		{"copy missing", func() error { _, err := sp.Copy("none", "e"); return err }, ErrNotFound},
		{"move missing", func() error { _, err := sp.Move("none", "e"); return err }, ErrNotFound},
		{"move into itself", func() error { _, err := sp.Move("d", "d/sub/d"); return err }, ErrConflict},
		{"move onto a folder", func() error { _, err := sp.Move("d", "full"); return err }, ErrIsDir},
		{"delete root", func() error { _, err := sp.Delete("."); return err }, ErrBadPath},
		{"delete empty", func() error { _, err := sp.Delete(""); return err }, ErrBadPath},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.op(); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	if read(t, sp, "d/f.txt") != "x" || read(t, sp, "big.txt") != big {
		t.Fatal("a refused operation changed a file")
	}
}

func TestSpace_NoCreateDirs(t *testing.T) {
	sp, _ := newSpace(t, false)
	if _, err := sp.Upload("new/a.txt", []byte("x")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("upload into a missing folder: %v", err)
	}
	mustUpload(t, sp, "top.txt", "x")
	if _, err := sp.Move("top.txt", "new/top.txt"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("move into a missing folder: %v", err)
	}
	if err := sp.root.Mkdir("new", 0o755); err != nil {
		t.Fatal(err)
	}
	mustUpload(t, sp, "new/a.txt", "x")
}

func TestOpen_Errors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		o    Options
	}{
		{"other type", Options{Type: "s3", BasePath: dir}},
		{"empty base", Options{BasePath: ""}},
		{"missing base without create_dirs", Options{BasePath: filepath.Join(dir, "none")}},
		{"base is a file", Options{BasePath: file, CreateDirs: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Open(tc.o); !errors.Is(err, ErrConfig) {
				t.Fatalf("Open(%+v) = %v, want ErrConfig", tc.o, err)
			}
		})
	}
	st, err := Open(Options{BasePath: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, app := range []string{"", ".", "..", "a/b", `a\b`} {
		if _, err := st.App(app); !errors.Is(err, ErrConfig) {
			t.Fatalf("App(%q) = %v", app, err)
		}
	}
}

// TestSpace_Hammer uploads to one path from many goroutines while others
// read it: a reader sees one whole version, never a mix or a partial file.
func TestSpace_Hammer(t *testing.T) {
	sp, _ := newSpace(t, true)
	versions := make([][]byte, 8)
	for i := range versions {
		versions[i] = bytes.Repeat([]byte{byte('a' + i)}, 64<<10)
	}
	mustUpload(t, sp, "h/f", string(versions[0]))
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 4 {
		wg.Go(func() {
			for i := range 20 {
				if _, err := sp.Upload("h/f", versions[(w+i)%len(versions)]); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for range 4 {
		wg.Go(func() {
			for range 50 {
				b, err := sp.AppendFile(nil, "h/f", 1<<20)
				if err != nil {
					errs <- err
					return
				}
				if len(b) != 64<<10 || bytes.Count(b, b[:1]) != len(b) {
					errs <- fmt.Errorf("read a torn file of %d bytes", len(b))
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if names, _ := os.ReadDir(filepath.Join(sp.root.Name(), "h")); len(names) != 1 {
		t.Fatalf("temporary files left behind: %v", names)
	}
}
