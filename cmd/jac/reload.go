package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/walkerhost/walkerhost/host"
	"github.com/walkerhost/walkerhost/internal/build"
)

// reloadInterval is how often jac start --reload looks at the guest's files.
const reloadInterval = 500 * time.Millisecond

// sources is what a guest folder's build depends on, as path → size and
// modification time: its .go files, go.mod and go.sum; for a Jac app its
// .jac files.
type sources map[string]string

// scanSources walks dir, skipping hidden folders, for the files a build reads.
func scanSources(dir string) sources {
	s := sources{}
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return nil // a file removed during the walk: the next scan sees it gone
		case d.IsDir() && path != dir && strings.HasPrefix(d.Name(), "."):
			return filepath.SkipDir
		case d.IsDir():
			return nil
		case strings.HasSuffix(path, ".go") || d.Name() == "go.mod" || d.Name() == "go.sum" || strings.HasSuffix(path, ".jac"):
			if fi, err := d.Info(); err == nil {
				s[path] = fmt.Sprint(fi.Size(), fi.ModTime().UnixNano())
			}
		}
		return nil
	})
	return s
}

func (s sources) equal(o sources) bool {
	if len(s) != len(o) {
		return false
	}
	for k, v := range s {
		if o[k] != v {
			return false
		}
	}
	return true
}

// rebuild builds the module of a guest folder or a Jac app again.
func rebuild(ctx context.Context, app string) ([]byte, error) {
	if entry := jacEntry(app); entry != "" {
		return buildJac(entry)
	}
	out, err := build.Module(ctx, app)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(out)
}

// watchGuest polls the guest folder dir until ctx ends and, after a change
// to its sources, builds it again and serves the result as the default app's
// module through h.Reload, the same atomic swap as an activation. A failed
// build or a refused module is printed with its error, and the last good
// module keeps serving.
func watchGuest(ctx context.Context, h *host.Host, dir, name string, stdout, stderr io.Writer) {
	seen := scanSources(dir)
	t := time.NewTicker(reloadInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := scanSources(dir)
		if now.equal(seen) {
			continue
		}
		seen = now
		err := step(stderr, "reloading "+dir, func() error {
			wasm, err := rebuild(ctx, dir)
			if err != nil {
				return err
			}
			return h.Reload(ctx, name, wasm)
		})
		if err != nil {
			if ctx.Err() == nil {
				fmt.Fprintf(stderr, "jac start: %v\nstill serving the last good version\n", err)
			}
			continue
		}
		fmt.Fprintf(stdout, "reloaded module %q\n", name)
	}
}
