package files

import (
	"io/fs"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// created returns the birth time of the clean path c (statx), or its last
// status change when the filesystem does not record births.
func (s *Space) created(c string, st fs.FileInfo) time.Time {
	if f, err := s.root.Open(rootPath(c)); err == nil {
		defer f.Close()
		var sx unix.Statx_t
		if raw, err := f.SyscallConn(); err == nil {
			var serr error
			_ = raw.Control(func(fd uintptr) {
				serr = unix.Statx(int(fd), "", unix.AT_EMPTY_PATH, unix.STATX_BTIME, &sx)
			})
			if serr == nil && sx.Mask&unix.STATX_BTIME != 0 {
				return time.Unix(sx.Btime.Sec, int64(sx.Btime.Nsec)).UTC()
			}
		}
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		return time.Unix(sys.Ctim.Sec, sys.Ctim.Nsec).UTC()
	}
	return st.ModTime().UTC()
}
