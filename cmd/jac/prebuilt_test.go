package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestPrebuilt(t *testing.T) {
	dir := t.TempDir()
	mk := func(path string) string {
		p := filepath.Join(dir, path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	wasm := mk("image/todo/todo.wasm")
	mk("source/go.mod")
	mk("source/source.wasm")
	tests := []struct{ name, app, want string }{
		{"folder with a built module, as in the image", filepath.Join(dir, "image", "todo"), wasm},
		{"guest source is built, not taken as is", filepath.Join(dir, "source"), filepath.Join(dir, "source")},
		{"module file", wasm, wasm},
		{"empty folder", dir, dir},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := prebuilt(tc.app); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}
