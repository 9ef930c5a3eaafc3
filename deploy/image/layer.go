package image

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// dirBit marks a file entry as a directory.
const dirBit = fs.ModeDir

// file is one entry of a layer.
type file struct {
	name string // absolute path in the image
	mode fs.FileMode
	uid  int
	data []byte
}

// epoch is every entry's modification time, so layers are reproducible.
var epoch = time.Unix(0, 0).UTC()

// layer writes files to a tar, in order, and wraps it as a gzip-compressed
// OCI layer (compressed once, kept in memory for the push).
func layer(files ...file) (v1.Layer, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		h := &tar.Header{
			Name:     strings.TrimPrefix(f.name, "/"),
			Mode:     int64(f.mode.Perm()),
			Uid:      f.uid,
			Gid:      f.uid,
			ModTime:  epoch,
			Format:   tar.FormatPAX,
			Typeflag: tar.TypeReg,
			Size:     int64(len(f.data)),
		}
		if f.mode&fs.ModeSticky != 0 {
			h.Mode |= 0o1000
		}
		if f.mode.IsDir() {
			h.Typeflag, h.Name, h.Size = tar.TypeDir, h.Name+"/", 0
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, fmt.Errorf("image: %s: %w", f.name, err)
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, fmt.Errorf("image: %s: %w", f.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	b := buf.Bytes()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil },
		tarball.WithMediaType(types.OCILayer), tarball.WithCompressedCaching)
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	return l, nil
}
