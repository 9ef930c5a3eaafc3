package files

import (
	"fmt"
	"time"
)

// Metadata describes a file or folder.
type Metadata struct {
	Name     string    // the last name of Path; "" for the root
	Path     string    // the clean path
	Size     int64     // bytes; 0 for a folder
	IsDir    bool      //
	Modified time.Time // last change of the contents
	Created  time.Time // birth time where the filesystem records it, else the last status change
}

// Metadata returns what is known of the file or folder at p, following
// symbolic links inside the root.
func (s *Space) Metadata(p string) (Metadata, error) {
	c, err := Clean(p)
	if err != nil {
		return Metadata{}, err
	}
	st, err := s.root.Stat(rootPath(c))
	if err != nil {
		return Metadata{}, classify(p, err)
	}
	if !st.IsDir() && !st.Mode().IsRegular() {
		return Metadata{}, fmt.Errorf("%w: %q is not a regular file", ErrNotFound, p)
	}
	m := Metadata{Path: c, IsDir: st.IsDir(), Modified: st.ModTime().UTC()}
	if c != "" {
		m.Name = base(c)
	}
	if !m.IsDir {
		m.Size = st.Size()
	}
	m.Created = s.created(c, st)
	return m, nil
}
