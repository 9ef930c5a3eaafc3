// Package files is the storage guests reach through store_call (abi/ABI.md
// "Storage"): a folder per app under a base path on the local filesystem,
// with every path confined to it by os.Root. docs/STORAGE.md describes it.
package files

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// TypeLocal is the one storage type: the local filesystem.
const TypeLocal = "local"

// Options configure a Storage.
type Options struct {
	Type       string // TypeLocal; empty means TypeLocal
	BasePath   string // folder holding one folder per app
	CreateDirs bool   // create the base path and missing parents of written files
}

// Storage holds the apps' storage roots. It is safe for concurrent use.
type Storage struct {
	base       string
	createDirs bool

	mu     sync.Mutex
	spaces map[string]*Space
}

// Open checks the options and the base path, creating it when CreateDirs
// is set.
func Open(o Options) (*Storage, error) {
	if o.Type != "" && o.Type != TypeLocal {
		return nil, fmt.Errorf("%w: storage_type %q: only %q is supported", ErrConfig, o.Type, TypeLocal)
	}
	if o.BasePath == "" {
		return nil, fmt.Errorf("%w: base_path is empty", ErrConfig)
	}
	base, err := filepath.Abs(o.BasePath)
	if err != nil {
		return nil, fmt.Errorf("%w: base_path %s: %v", ErrConfig, o.BasePath, err)
	}
	if o.CreateDirs {
		if err := os.MkdirAll(base, 0o755); err != nil {
			return nil, fmt.Errorf("%w: base_path %s: %v", ErrConfig, base, err)
		}
	}
	if st, err := os.Stat(base); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%w: base_path %s is not a folder (create it, or set create_dirs = true)", ErrConfig, base)
	}
	return &Storage{base: base, createDirs: o.CreateDirs, spaces: map[string]*Space{}}, nil
}

// BasePath returns the absolute base path.
func (s *Storage) BasePath() string { return s.base }

// App returns the storage root of app, base_path/app, creating the folder
// on first use. app must be a plain name (no "/", not "." or "..").
func (s *Storage) App(app string) (*Space, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sp := s.spaces[app]; sp != nil {
		return sp, nil
	}
	if app == "" || app == "." || app == ".." || strings.ContainsAny(app, "/\\\x00") {
		return nil, fmt.Errorf("%w: app name %q", ErrConfig, app)
	}
	dir := filepath.Join(s.base, app)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrIO, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrIO, err)
	}
	sp := &Space{root: root, createDirs: s.createDirs}
	s.spaces[app] = sp
	return sp, nil
}

// Close releases every app's root. Spaces must not be used afterwards.
func (s *Storage) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var first error
	for app, sp := range s.spaces {
		if err := sp.root.Close(); err != nil && first == nil {
			first = err
		}
		delete(s.spaces, app)
	}
	return first
}
