package files

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// MaxList bounds the files one listing returns.
const MaxList = 100_000

// List returns the clean paths (from the space's root) of the entries
// whose path starts with prefix, sorted: "img/" and "img", when img is a
// folder, list the folder img; "img/ca" also finds img/cat.png; "" lists
// everything. Without recursive the entries directly in the folder are
// listed, subfolders included (as "img/old", no final slash, as jac-scale
// lists them); with recursive every file below, and no folders. Symbolic
// links to folders are not listed nor followed, so a link cycle cannot
// loop.
func (s *Space) List(prefix string, recursive bool) ([]string, error) {
	dir, name, err := splitPrefix(prefix)
	if err != nil {
		return nil, err
	}
	if name != "" { // "img" without the slash still means the folder img
		folder := name
		if dir != "" {
			folder = dir + "/" + name
		}
		if st, err := s.root.Lstat(rootPath(folder)); err == nil && st.IsDir() {
			dir, name = folder, ""
		}
	}
	l := lister{s: s, recursive: recursive}
	if err := l.walk(dir, name); err != nil {
		return nil, err
	}
	slices.Sort(l.out)
	return l.out, nil
}

// splitPrefix cleans a listing prefix into the folder to read and the
// start of the names to take from it.
func splitPrefix(prefix string) (dir, name string, err error) {
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		prefix, name = prefix[:i], prefix[i+1:]
		if prefix == "" {
			return "", "", fmt.Errorf("%w: %q is absolute", ErrEscape, "/"+name)
		}
	} else {
		prefix, name = "", prefix
	}
	if name == ".." {
		return "", "", fmt.Errorf("%w: %q has a .. name", ErrEscape, prefix+"/..")
	}
	if prefix != "" {
		if dir, err = Clean(prefix); err != nil {
			return "", "", err
		}
	}
	if name != "" {
		if _, err = Clean(name); err != nil {
			return "", "", err
		}
	}
	return dir, name, nil
}

type lister struct {
	s         *Space
	recursive bool
	out       []string
}

// walk lists the files of the clean folder dir whose names start with name.
func (l *lister) walk(dir, name string) error {
	f, err := l.s.root.Open(rootPath(dir))
	if err != nil {
		if err := classify(dir, err); !errors.Is(err, ErrNotFound) {
			return err
		}
		return nil // listing a missing folder finds nothing
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return nil // not a folder
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), name) || strings.HasPrefix(e.Name(), reservedPrefix) {
			continue
		}
		p := e.Name()
		if dir != "" {
			p = dir + "/" + p
		}
		if err := l.entry(p, e.Type()); err != nil {
			return err
		}
	}
	return nil
}

func (l *lister) entry(p string, typ fs.FileMode) error {
	if typ&fs.ModeSymlink != 0 {
		st, err := l.s.root.Stat(p)
		if err != nil || !st.Mode().IsRegular() {
			return nil // a link that leads out, dangles or names a folder
		}
		typ = 0
	}
	switch {
	case typ.IsDir() && l.recursive:
		return l.walk(p, "")
	case typ.IsRegular(), typ.IsDir():
		if len(l.out) == MaxList {
			return fmt.Errorf("%w: more than %d entries", ErrTooLarge, MaxList)
		}
		l.out = append(l.out, p)
	}
	return nil
}
