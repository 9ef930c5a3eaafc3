package files

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// Space is one app's storage root. Every method takes guest paths (see
// Clean) and resolves them through os.Root, so no path or symbolic link
// reaches outside the root. It is safe for concurrent use.
type Space struct {
	root       *os.Root
	createDirs bool
	use        usage
}

// classify wraps a filesystem error in this package's sentinel for it,
// naming the guest path.
func classify(p string, err error) error {
	var sentinel error
	switch {
	case err == nil:
		return nil
	case isEscape(err):
		return fmt.Errorf("%w: %q: a symbolic link leads outside it", ErrEscape, p)
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		sentinel = ErrNotFound
	case errors.Is(err, syscall.EISDIR):
		sentinel = ErrIsDir
	case errors.Is(err, syscall.ENOTEMPTY), errors.Is(err, syscall.EEXIST), errors.Is(err, syscall.EINVAL):
		sentinel = ErrConflict
	default:
		return fmt.Errorf("%w: %q: %v", ErrIO, p, unwrapPath(err))
	}
	return fmt.Errorf("%w: %q", sentinel, p)
}

// isEscape reports whether os.Root refused a path for leaving the root:
// through a symbolic link that points outside it or is absolute. os does
// not export the error; the tests pin its text.
func isEscape(err error) bool {
	for ; err != nil; err = errors.Unwrap(err) {
		if err.Error() == "path escapes from parent" {
			return true
		}
	}
	return false
}

// unwrapPath drops the host paths os puts in its errors, which the guest
// must not see.
func unwrapPath(err error) error {
	for {
		var pe *fs.PathError
		var le *os.LinkError
		switch {
		case errors.As(err, &pe):
			err = pe.Err
		case errors.As(err, &le):
			err = le.Err
		default:
			return err
		}
	}
}

// checkTarget refuses to write over the clean path c (guest path p) when
// it is a folder or a symbolic link leading out of the root. A link that
// stays inside is replaced, never written through.
func (s *Space) checkTarget(c, p string) error {
	st, err := s.root.Lstat(c)
	switch {
	case err != nil:
		return nil // missing, or refused later with a precise error
	case st.IsDir():
		return fmt.Errorf("%w: %q", ErrIsDir, p)
	case st.Mode()&fs.ModeSymlink != 0:
		if _, err := s.root.Stat(c); isEscape(err) {
			return classify(p, err)
		}
	}
	return nil
}

// Upload writes data to the file at p, replacing it atomically, and returns
// the clean path.
func (s *Space) Upload(p string, data []byte) (string, error) {
	return s.write(p, func(w io.Writer) error { _, err := w.Write(data); return err })
}

// UploadFrom is Upload with the bytes read from r.
func (s *Space) UploadFrom(p string, r io.Reader) (string, error) {
	return s.write(p, func(w io.Writer) error { _, err := io.Copy(w, r); return err })
}

// write creates the file at p through a temporary file in the same folder,
// renamed over p once complete, so that readers never see a partial file.
func (s *Space) write(p string, fill func(io.Writer) error) (string, error) {
	c, err := cleanFile(p)
	if err != nil {
		return "", err
	}
	if err := s.makeParent(c); err != nil {
		return "", err
	}
	if err := s.checkTarget(c, p); err != nil {
		return "", err
	}
	tmp := tempName(c)
	f, err := s.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", classify(p, err)
	}
	cw := &countingWriter{w: f}
	err = fill(cw)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = s.commit(c, cw.n, func() error { return s.root.Rename(tmp, c) })
	}
	if err != nil {
		_ = s.root.Remove(tmp)
		if errors.Is(err, ErrQuota) {
			return "", err
		}
		return "", classify(p, err)
	}
	return c, nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func tempName(c string) string {
	var r [8]byte
	_, _ = rand.Read(r[:])
	name := reservedPrefix + "tmp-" + hex.EncodeToString(r[:])
	if dir := parent(c); dir != "." {
		return dir + "/" + name
	}
	return name
}

// makeParent creates the folders above the clean path c when the storage
// creates folders; otherwise a missing parent shows as ErrNotFound later.
func (s *Space) makeParent(c string) error {
	dir := parent(c)
	if !s.createDirs || dir == "." {
		return nil
	}
	if err := s.root.MkdirAll(dir, 0o755); err != nil {
		return classify(dir, err)
	}
	return nil
}

// AppendFile appends the bytes of the file at p to dst. A file larger than
// max bytes is ErrTooLarge, refused before it is read.
func (s *Space) AppendFile(dst []byte, p string, max int64) ([]byte, error) {
	f, st, err := s.openFile(p)
	if err != nil {
		return dst, err
	}
	defer f.Close()
	if st.Size() > max {
		return dst, fmt.Errorf("%w: %q is %d bytes, more than the %d allowed", ErrTooLarge, p, st.Size(), max)
	}
	start := len(dst)
	dst = append(dst, make([]byte, st.Size())...)
	n, err := io.ReadFull(f, dst[start:])
	if err != nil && err != io.ErrUnexpectedEOF {
		return dst[:start], classify(p, err)
	}
	return dst[:start+n], nil // a file that shrank meanwhile gives what was there
}

// openFile opens the regular file at the guest path p for reading. It
// looks before it opens, so that it never opens a folder for a file or
// blocks on a named pipe.
func (s *Space) openFile(p string) (*os.File, fs.FileInfo, error) {
	c, err := cleanFile(p)
	if err != nil {
		return nil, nil, err
	}
	st, err := s.root.Stat(c)
	switch {
	case err != nil:
		return nil, nil, classify(p, err)
	case st.IsDir():
		return nil, nil, fmt.Errorf("%w: %q", ErrIsDir, p)
	case !st.Mode().IsRegular():
		return nil, nil, fmt.Errorf("%w: %q is not a regular file", ErrNotFound, p)
	}
	f, err := s.root.Open(c)
	if err != nil {
		return nil, nil, classify(p, err)
	}
	if st, err = f.Stat(); err != nil {
		f.Close()
		return nil, nil, classify(p, err)
	}
	return f, st, nil
}

// Delete removes the file or folder (with its contents) at p and reports
// whether there was one.
func (s *Space) Delete(p string) (bool, error) {
	c, err := cleanFile(p)
	if err != nil {
		return false, err
	}
	if _, err := s.root.Lstat(c); err != nil {
		if err := classify(p, err); !errors.Is(err, ErrNotFound) {
			return false, err
		}
		return false, nil
	}
	if err := s.removed(c, func() error { return s.root.RemoveAll(c) }); err != nil {
		return false, classify(p, err)
	}
	return true, nil
}

// Exists reports whether a file or folder is at p.
func (s *Space) Exists(p string) (bool, error) {
	c, err := Clean(p)
	if err != nil {
		return false, err
	}
	if _, err := s.root.Stat(rootPath(c)); err != nil {
		if err := classify(p, err); !errors.Is(err, ErrNotFound) {
			return false, err
		}
		return false, nil
	}
	return true, nil
}

// Copy copies the file at src to dst, replacing dst atomically, and
// returns dst's clean path. Folders are not copied.
func (s *Space) Copy(src, dst string) (string, error) {
	f, _, err := s.openFile(src)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return s.UploadFrom(dst, f)
}

// Move renames the file or folder at src to dst, replacing a file at dst,
// and returns dst's clean path.
func (s *Space) Move(src, dst string) (string, error) {
	cs, err := cleanFile(src)
	if err != nil {
		return "", err
	}
	cd, err := cleanFile(dst)
	if err != nil {
		return "", err
	}
	if _, err := s.root.Lstat(cs); err != nil {
		return "", classify(src, err)
	}
	if cs == cd {
		return cd, nil
	}
	if err := s.makeParent(cd); err != nil {
		return "", err
	}
	if err := s.checkTarget(cd, dst); err != nil {
		return "", err
	}
	// Moving within the root changes its bytes only by the file it replaces.
	if err := s.removed(cd, func() error { return s.root.Rename(cs, cd) }); err != nil {
		return "", classify(dst, err)
	}
	return cd, nil
}
