package sdk

import (
	"encoding/binary"

	"github.com/walkerhost/walkerhost/abi"
)

// Storage is the app's file storage (store_call, ABI.md "Storage"): a
// folder of its own on the host, which no path leaves. Paths are relative
// and "/"-separated; a path with "..", an absolute path or one through a
// symbolic link leading out fails with ErrDenied.
type Storage struct{}

// Store returns the app's file storage.
func Store() Storage { return Storage{} }

func (Storage) call(code int32, name string, a *args) (any, error) {
	return a.decoded(hostStoreCall, code, "store "+name)
}

// Upload writes data to the file at path, replacing it atomically and
// creating missing folders (unless the host is configured not to), and
// returns the path in clean form.
func (s Storage) Upload(path string, data []byte) (string, error) {
	v, err := s.call(abi.StoreUpload, "upload", newArgs(2).str(path).bytes(data))
	return asString("store upload", v, err)
}

// UploadFile stores an uploaded file (a walker field of type file) at
// path; its bytes go from the request to storage without passing through
// the module's memory.
func (s Storage) UploadFile(path string, f File) (string, error) {
	v, err := s.call(abi.StoreUpload, "upload", newArgs(2).str(path).val(int64(f.id)))
	return asString("store upload", v, err)
}

// Download returns the bytes of the file at path. A file larger than the
// module's memory limit fails with ErrTooLarge.
func (Storage) Download(path string) ([]byte, error) {
	b, err := newArgs(1).str(path).call(hostStoreCall, abi.StoreDownload, "store download")
	if err != nil {
		return nil, err
	}
	if len(b) < 5 || b[0] != abi.TagString || int(binary.LittleEndian.Uint32(b[1:])) != len(b)-5 {
		return nil, errMalformed("store download")
	}
	return append([]byte(nil), b[5:]...), nil
}

// Delete removes the file or folder (with everything in it) at path and
// reports whether there was one.
func (s Storage) Delete(path string) (bool, error) {
	v, err := s.call(abi.StoreDelete, "delete", newArgs(1).str(path))
	return asBool("store delete", v, err)
}

// Exists reports whether a file or folder is at path.
func (s Storage) Exists(path string) (bool, error) {
	v, err := s.call(abi.StoreExists, "exists", newArgs(1).str(path))
	return asBool("store exists", v, err)
}

// ListFiles returns the paths whose path starts with prefix, sorted:
// "img/", and "img" when img is a folder, list the folder img; "img/ca"
// also finds img/cat.png; "" lists the root. Without recursive the entries
// directly in the folder are listed, subfolders included ("img/old");
// with recursive every file below, and no folders.
func (s Storage) ListFiles(prefix string, recursive bool) ([]string, error) {
	v, err := s.call(abi.StoreList, "list_files", newArgs(2).str(prefix).val(recursive))
	return asStrings("store list_files", v, err)
}

// FileInfo describes a file or folder. Times are RFC 3339 in UTC.
type FileInfo struct {
	Name     string // the last name of Path
	Path     string
	Size     int64 // bytes; 0 for a folder
	IsDir    bool
	Modified string
	Created  string // birth time where the filesystem records it, else the last status change
}

// GetMetadata describes the file or folder at path.
func (s Storage) GetMetadata(path string) (FileInfo, error) {
	v, err := s.call(abi.StoreMetadata, "get_metadata", newArgs(1).str(path))
	m, err := asDoc("store get_metadata", v, err)
	if err != nil {
		return FileInfo{}, err
	}
	var fi FileInfo
	var ok [6]bool
	fi.Name, ok[0] = m["name"].(string)
	fi.Path, ok[1] = m["path"].(string)
	fi.Size, ok[2] = m["size"].(int64)
	fi.IsDir, ok[3] = m["is_dir"].(bool)
	fi.Modified, ok[4] = m["modified"].(string)
	fi.Created, ok[5] = m["created"].(string)
	if ok != [6]bool{true, true, true, true, true, true} {
		return FileInfo{}, errMalformed("store get_metadata")
	}
	return fi, nil
}

// Copy copies the file at src to dst, replacing dst, and returns dst in
// clean form. Folders are not copied.
func (s Storage) Copy(src, dst string) (string, error) {
	v, err := s.call(abi.StoreCopy, "copy", newArgs(2).str(src).str(dst))
	return asString("store copy", v, err)
}

// Move moves the file or folder at src to dst, replacing a file at dst,
// and returns dst in clean form.
func (s Storage) Move(src, dst string) (string, error) {
	v, err := s.call(abi.StoreMove, "move", newArgs(2).str(src).str(dst))
	return asString("store move", v, err)
}
