package main

import (
	"os"
	"path/filepath"

	"github.com/walkerhost/walkerhost/internal/build"
)

// prebuilt returns the module inside app when app is a folder holding a
// built module and no guest source (no go.mod), as in the host image's
// /app/<module>; otherwise app itself.
func prebuilt(app string) string {
	if _, err := os.Stat(filepath.Join(app, "go.mod")); err == nil {
		return app
	}
	if wasm := build.Output(app); fileExists(wasm) {
		return wasm
	}
	return app
}

func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
