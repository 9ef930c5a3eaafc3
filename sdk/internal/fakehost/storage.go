package fakehost

import (
	"slices"
	"strings"
	"time"

	"github.com/walkerhost/walkerhost/abi"
)

type storedFile struct {
	data     []byte
	modified int64 // Unix nanoseconds
}

// StoreCall is store_call on an in-memory tree of files: folders exist as
// long as a file is in them.
func (h *Host) StoreCall(op int32, args, buf []byte) int32 {
	l, err := callArgs(args)
	if err != nil {
		return h.fail(abi.ErrBadArgument, "store_call: "+err.Error())
	}
	if h.files == nil {
		h.files = map[string]*storedFile{}
	}
	v, e, msg := h.store(op, l)
	if e < 0 {
		return h.fail(e, "storage: "+msg)
	}
	return h.reply(v, buf)
}

func (h *Host) store(op int32, l []any) (any, abi.Errno, string) {
	p, e, msg := cleanPath(l, 0, op == abi.StoreList || op == abi.StoreExists || op == abi.StoreMetadata)
	if e < 0 {
		return nil, e, msg
	}
	switch op {
	case abi.StoreUpload:
		var data []byte
		switch src := l[1].(type) {
		case string:
			data = []byte(src)
		case int64:
			if src < 1 || src > int64(len(h.Uploads)) {
				return nil, abi.ErrNotFound, "no such upload"
			}
			data = slices.Clone(h.Uploads[src-1].Data)
		default:
			return nil, abi.ErrBadArgument, "upload takes a string or an upload id"
		}
		return h.put(p, data)
	case abi.StoreDownload:
		f := h.files[p]
		if f == nil {
			return nil, h.missing(p), "not found: " + p
		}
		return string(f.data), 0, ""
	case abi.StoreDelete:
		n := 0
		for k := range h.files {
			if k == p || strings.HasPrefix(k, p+"/") {
				delete(h.files, k)
				n++
			}
		}
		return n > 0, 0, ""
	case abi.StoreExists:
		return p == "" || h.files[p] != nil || h.isDir(p), 0, ""
	case abi.StoreList:
		recursive, _ := l[1].(bool)
		return h.list(l[0].(string), recursive), 0, ""
	case abi.StoreMetadata:
		return h.metadata(p)
	case abi.StoreCopy, abi.StoreMove:
		return h.copyMove(op, p, l)
	}
	return nil, abi.ErrBadArgument, "unknown operation"
}

func (h *Host) missing(p string) abi.Errno {
	if h.isDir(p) {
		return abi.ErrBadArgument
	}
	return abi.ErrNotFound
}

func (h *Host) put(p string, data []byte) (any, abi.Errno, string) {
	if h.isDir(p) {
		return nil, abi.ErrBadArgument, "is a folder: " + p
	}
	h.files[p] = &storedFile{data: data, modified: h.now()}
	return p, 0, ""
}

func (h *Host) isDir(p string) bool {
	for k := range h.files {
		if strings.HasPrefix(k, p+"/") {
			return true
		}
	}
	return false
}

// list follows the object-store rule of ABI.md: a string prefix, and
// without recursive no "/" after the prefix's folder.
func (h *Host) list(prefix string, recursive bool) []string {
	prefix = strings.TrimPrefix(prefix, "./")
	dir := prefix[:strings.LastIndexByte(prefix, '/')+1]
	out := []string{}
	for k := range h.files {
		if strings.HasPrefix(k, prefix) && (recursive || !strings.Contains(k[len(dir):], "/")) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func (h *Host) metadata(p string) (any, abi.Errno, string) {
	f := h.files[p]
	if f == nil && p != "" && !h.isDir(p) {
		return nil, abi.ErrNotFound, "not found: " + p
	}
	m := map[string]any{"name": p[strings.LastIndexByte(p, '/')+1:], "path": p, "size": int64(0), "is_dir": f == nil}
	t := time.Unix(0, h.now()).UTC()
	if f != nil {
		m["size"] = int64(len(f.data))
		t = time.Unix(0, f.modified).UTC()
	}
	m["modified"], m["created"] = t.Format(time.RFC3339Nano), t.Format(time.RFC3339Nano)
	return m, 0, ""
}

func (h *Host) copyMove(op int32, src string, l []any) (any, abi.Errno, string) {
	dst, e, msg := cleanPath(l, 1, false)
	if e < 0 {
		return nil, e, msg
	}
	f := h.files[src]
	switch {
	case f != nil:
		if _, e, msg := h.put(dst, slices.Clone(f.data)); e < 0 {
			return nil, e, msg
		}
		if op == abi.StoreMove {
			delete(h.files, src)
		}
	case op == abi.StoreMove && h.isDir(src):
		for k, v := range h.files {
			if strings.HasPrefix(k, src+"/") {
				delete(h.files, k)
				h.files[dst+k[len(src):]] = v
			}
		}
	default:
		return nil, h.missing(src), "not found: " + src
	}
	return dst, 0, ""
}

// cleanPath checks the path argument at i as the real host does, returning
// it clean: ".." names and absolute paths are ErrDenied; empty paths, NUL
// bytes and backslashes ErrBadArgument; the root ("") only where allowed.
func cleanPath(l []any, i int, rootOK bool) (string, abi.Errno, string) {
	p, ok := str(l, i)
	if !ok {
		return "", abi.ErrBadArgument, "a path must be a string"
	}
	if strings.HasPrefix(p, "/") {
		return "", abi.ErrDenied, "path " + p + " is absolute"
	}
	if strings.ContainsAny(p, "\x00\\") || (p == "" && !rootOK) {
		return "", abi.ErrBadArgument, "bad path " + p
	}
	var names []string
	for _, n := range strings.Split(p, "/") {
		switch n {
		case "", ".":
		case "..":
			return "", abi.ErrDenied, "path " + p + " leaves the app's storage root"
		default:
			names = append(names, n)
		}
	}
	c := strings.Join(names, "/")
	if c == "" && !rootOK {
		return "", abi.ErrBadArgument, "the path names the root"
	}
	return c, 0, ""
}

// StoredFile returns a copy of the bytes of the file at the clean path p.
func (h *Host) StoredFile(p string) ([]byte, bool) {
	f := h.files[p]
	if f == nil {
		return nil, false
	}
	return slices.Clone(f.data), true
}
