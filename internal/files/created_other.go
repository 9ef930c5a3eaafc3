//go:build !linux

package files

import (
	"io/fs"
	"time"
)

// created returns the modification time where birth times are not read.
func (s *Space) created(_ string, st fs.FileInfo) time.Time { return st.ModTime().UTC() }
