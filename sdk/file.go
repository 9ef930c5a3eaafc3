package sdk

import (
	"errors"
	"io"

	"github.com/walkerhost/walkerhost/abi"
)

// File is a file uploaded with the request, the value of a walker or
// function field of type file (bound with Fields.File), filled from a
// multipart/form-data request. Its bytes stay with the host until read
// (Read, ReadAt, Bytes) or stored (Storage.UploadFile); a File is valid
// only during the request that brought it.
type File struct {
	Name        string // the file name the client sent
	ContentType string // the part's Content-Type
	Size        int64  // bytes

	id  uint32 // upload id; 0 when no file was sent
	off int64  // Read's position
}

// Given reports whether the request sent a file for the field.
func (f *File) Given() bool { return f.id != 0 }

var errNoFile = errors.New("sdk: no file was uploaded for this field")

// ReadAt reads len(p) bytes of the file from off (io.ReaderAt).
func (f *File) ReadAt(p []byte, off int64) (int, error) {
	if f.id == 0 {
		return 0, errNoFile
	}
	total := 0
	for total < len(p) {
		n := hostUploadRead(f.id, off+int64(total), p[total:])
		if n < 0 {
			return total, hostErr(abi.FuncUploadRead, n)
		}
		if n == 0 {
			return total, io.EOF
		}
		total += int(n)
	}
	return total, nil
}

// Read reads the next bytes of the file (io.Reader).
func (f *File) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n, err := f.ReadAt(p, f.off)
	f.off += int64(n)
	if n > 0 && err == io.EOF {
		err = nil
	}
	return n, err
}

// Bytes returns the whole file.
func (f *File) Bytes() ([]byte, error) {
	b := make([]byte, f.Size)
	n, err := f.ReadAt(b, 0)
	if err == io.EOF && int64(n) == f.Size {
		err = nil
	}
	return b[:n], err
}

// File binds a field of type file. A request that sends no file for it
// leaves the File zero (Given is false), unless the field is Required.
func (f *Fields) File(name string, p *File) Binding[File] { return bind[File](f, name, TypeFile, p) }

// fileFrom reads the upload map the host puts in the request record
// (ABI.md "Uploads").
func fileFrom(v any) (File, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return File{}, false
	}
	name, ok1 := m[abi.UploadName].(string)
	ctype, ok2 := m[abi.UploadContentType].(string)
	size, ok3 := m[abi.UploadSize].(int64)
	id, ok4 := m[abi.UploadID].(int64)
	if !ok1 || !ok2 || !ok3 || !ok4 || id < 1 || id > 1<<31 {
		return File{}, false
	}
	return File{Name: name, ContentType: ctype, Size: size, id: uint32(id)}, true
}

// appendFile writes a File in a walker's result: what the client sent,
// without the upload id, or null when no file was sent.
func appendFile(b []byte, f *File) ([]byte, error) {
	if f.id == 0 {
		return abi.AppendNull(b), nil
	}
	return appendValue(b, map[string]any{"name": f.Name, "content_type": f.ContentType, "size": f.Size})
}
