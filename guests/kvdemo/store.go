package main

import (
	"encoding/base64"
	"hash/crc32"

	"github.com/walkerhost/walkerhost/sdk"
)

// StoreOp runs one storage method: op with args.
type StoreOp struct {
	Op   string
	Args []any
}

func (w *StoreOp) Fields(f *sdk.Fields) {
	f.String("op", &w.Op).Required()
	f.List("args", &w.Args)
}

var _ = sdk.Walker("store", func() *StoreOp { return new(StoreOp) }).
	OnRoot(func(w *StoreOp, v *sdk.Visit) error {
		return v.Report(outcome(runStore(w.Op, w.Args)))
	})

func runStore(op string, a []any) (any, error) {
	st := sdk.Store()
	switch op {
	case "upload":
		return st.Upload(str(a, 0), []byte(str(a, 1)))
	case "download":
		b, err := st.Download(str(a, 0))
		if err != nil {
			return nil, err
		}
		return map[string]any{"text": string(b), "size": len(b)}, nil
	case "delete":
		return st.Delete(str(a, 0))
	case "exists":
		return st.Exists(str(a, 0))
	case "list_files":
		recursive, _ := val(a, 1).(bool)
		return st.ListFiles(str(a, 0), recursive)
	case "get_metadata":
		fi, err := st.GetMetadata(str(a, 0))
		return map[string]any{"name": fi.Name, "path": fi.Path, "size": fi.Size, "is_dir": fi.IsDir,
			"modified": fi.Modified, "created": fi.Created}, err
	case "copy":
		return st.Copy(str(a, 0), str(a, 1))
	case "move":
		return st.Move(str(a, 0), str(a, 1))
	}
	return nil, errUnknownOp(op)
}

// SaveFile stores an uploaded file at path without copying it through the
// module's memory, then reads the upload itself to report its CRC-32
// (hash/crc32 rather than crypto/sha256, which links package os, whose
// WASI imports the host does not offer).
type SaveFile struct {
	File sdk.File
	Path string
}

func (w *SaveFile) Fields(f *sdk.Fields) {
	f.File("file", &w.File).Required()
	f.String("path", &w.Path).Required()
}

var _ = sdk.Walker("save_file", func() *SaveFile { return new(SaveFile) }).
	OnRoot(func(w *SaveFile, v *sdk.Visit) error {
		stored, err := sdk.Store().UploadFile(w.Path, w.File)
		if err != nil {
			return err
		}
		b, err := w.File.Bytes()
		if err != nil {
			return err
		}
		return v.Report(map[string]any{"path": stored, "name": w.File.Name, "content_type": w.File.ContentType,
			"size": w.File.Size, "crc32": int64(crc32.ChecksumIEEE(b))})
	})

// LoadFile reports a stored file as base64, for clients that want its
// exact bytes back through JSON.
type LoadFile struct{ Path string }

func (w *LoadFile) Fields(f *sdk.Fields) { f.String("path", &w.Path).Required() }

var _ = sdk.Walker("load_file", func() *LoadFile { return new(LoadFile) }).
	Method("GET").
	OnRoot(func(w *LoadFile, v *sdk.Visit) error {
		b, err := sdk.Store().Download(w.Path)
		if err != nil {
			return err
		}
		return v.Report(map[string]any{"size": len(b), "base64": base64.StdEncoding.EncodeToString(b)})
	})
