package files

import (
	"fmt"
	"strings"
)

// Limits on guest paths.
const (
	MaxPath = 1024 // bytes in a path
	MaxName = 255  // bytes in one name
)

// reservedPrefix starts the names the storage uses for itself (the
// temporary files of atomic writes); guests cannot use them.
const reservedPrefix = ".jac-"

// Clean checks a guest path and returns it in clean form: names joined by
// "/", without "." or empty names. It returns "" for the root itself. A
// path that is absolute or has a ".." name is ErrEscape; one that is
// empty, too long, or has a NUL byte, a backslash, an over-long name or a
// name starting with ".jac-" is ErrBadPath. Clean looks at the text only:
// symbolic links are the business of os.Root.
func Clean(p string) (string, error) {
	switch {
	case p == "":
		return "", fmt.Errorf("%w: empty", ErrBadPath)
	case len(p) > MaxPath:
		return "", fmt.Errorf("%w: %d bytes, more than %d", ErrBadPath, len(p), MaxPath)
	case strings.IndexByte(p, 0) >= 0:
		return "", fmt.Errorf("%w: %q has a NUL byte", ErrBadPath, p)
	case strings.IndexByte(p, '\\') >= 0:
		return "", fmt.Errorf("%w: %q has a backslash; separate names with /", ErrBadPath, p)
	case p[0] == '/':
		return "", fmt.Errorf("%w: %q is absolute", ErrEscape, p)
	}
	var b strings.Builder
	for name := range strings.SplitSeq(p, "/") {
		switch {
		case name == "" || name == ".":
			continue
		case name == "..":
			return "", fmt.Errorf("%w: %q has a .. name", ErrEscape, p)
		case len(name) > MaxName:
			return "", fmt.Errorf("%w: a name in %q is longer than %d bytes", ErrBadPath, p, MaxName)
		case strings.HasPrefix(name, reservedPrefix):
			return "", fmt.Errorf("%w: names starting with %q are reserved", ErrBadPath, reservedPrefix)
		}
		if b.Len() > 0 {
			b.WriteByte('/')
		}
		b.WriteString(name)
	}
	return b.String(), nil
}

// cleanFile is Clean for a path that must name something below the root.
func cleanFile(p string) (string, error) {
	c, err := Clean(p)
	if err == nil && c == "" {
		err = fmt.Errorf("%w: %q names the storage root, not a file", ErrBadPath, p)
	}
	return c, err
}

// parent returns the folder of a clean path, "." for the root.
func parent(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return "."
}

// base returns the last name of a clean path.
func base(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }

// rootPath maps a clean path to os.Root's form, "." for the root.
func rootPath(p string) string {
	if p == "" {
		return "."
	}
	return p
}
