package files

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"time"
)

// QuotaError is a write refused because the app's files would take more
// than its quota. It wraps ErrQuota.
type QuotaError struct {
	Quota, Used, Adding int64 // bytes
}

func (e *QuotaError) Error() string {
	return fmt.Sprintf("%v: the app's files take %d bytes of %d, and this write adds %d", ErrQuota, e.Used, e.Quota, e.Adding)
}

func (e *QuotaError) Unwrap() error { return ErrQuota }

// recountAfter is how long a count of an app's bytes is trusted. Other
// processes sharing the base path write without this one seeing it; a
// recount catches up with them.
const recountAfter = 30 * time.Second

// usage is the bytes of an app's regular files, counted by walking its root
// and kept up to date by this process's writes and deletes.
type usage struct {
	mu      sync.Mutex // held across a write's check and its rename
	quota   int64      // bytes; 0: no quota
	bytes   int64
	counted time.Time // zero: count before the next check
}

// SetQuota sets how many bytes the app's files may take in all (0: no
// limit). Writes that would pass it are refused with a *QuotaError; files
// already there are kept.
func (s *Space) SetQuota(bytes int64) {
	s.use.mu.Lock()
	s.use.quota = bytes
	s.use.mu.Unlock()
}

// Used returns the bytes the app's files take.
func (s *Space) Used() (int64, error) {
	s.use.mu.Lock()
	defer s.use.mu.Unlock()
	if err := s.count(); err != nil {
		return 0, err
	}
	return s.use.bytes, nil
}

// commit runs rename, which puts a written file of n bytes at the clean
// path c, if the quota allows it, and accounts for it.
func (s *Space) commit(c string, n int64, rename func() error) error {
	u := &s.use
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.quota == 0 {
		if err := rename(); err != nil {
			return err
		}
		u.counted = time.Time{} // no quota: count afresh when one is set
		return nil
	}
	if err := s.count(); err != nil {
		return err
	}
	old := s.sizeOf(c)
	if u.bytes-old+n > u.quota {
		return &QuotaError{Quota: u.quota, Used: u.bytes, Adding: n - old}
	}
	if err := rename(); err != nil {
		return err
	}
	u.bytes += n - old
	return nil
}

// removed accounts for the removal of the clean path c: freed bytes of a
// regular file, or a recount for anything else. It runs before the removal,
// under the lock, so that no write's check sees the file half gone.
func (s *Space) removed(c string, remove func() error) error {
	u := &s.use
	u.mu.Lock()
	defer u.mu.Unlock()
	st, err := s.root.Lstat(c)
	if err := remove(); err != nil {
		return err
	}
	switch {
	case u.counted.IsZero() || err != nil: // not counted yet, or nothing was there
	case st.Mode().IsRegular():
		u.bytes -= st.Size()
	default:
		u.counted = time.Time{}
	}
	return nil
}

// sizeOf is the size of the regular file at the clean path c, 0 for
// anything else.
func (s *Space) sizeOf(c string) int64 {
	if st, err := s.root.Lstat(c); err == nil && st.Mode().IsRegular() {
		return st.Size()
	}
	return 0
}

// count walks the root to count its bytes when the last count is missing
// or old. s.use.mu is held.
func (s *Space) count() error {
	u := &s.use
	if !u.counted.IsZero() && time.Since(u.counted) < recountAfter {
		return nil
	}
	var total int64
	err := fs.WalkDir(s.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed as we walked
			}
			return err
		}
		if !d.Type().IsRegular() || strings.HasPrefix(d.Name(), reservedPrefix) {
			return nil // folders, links, and files being written
		}
		info, err := d.Info()
		if err == nil {
			total += info.Size()
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%w: counting the app's bytes: %v", ErrIO, unwrapPath(err))
	}
	u.bytes, u.counted = total, time.Now()
	return nil
}
