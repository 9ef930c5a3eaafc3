package main

import (
	"errors"
	"fmt"

	"github.com/walkerhost/walkerhost/lang/interp"
	"github.com/walkerhost/walkerhost/sdk"
)

// storeCall serves the methods of a store() object (jac-scale's storage
// interface) with the app's storage.
func (h *sdkHost) storeCall(method string, arg func(i int, key string) any) (any, error) {
	s := sdk.Store()
	str := func(i int, key string) string { v, _ := arg(i, key).(string); return v }
	switch method {
	case "upload":
		// upload(source, destination): source is the data, or an uploaded
		// file, which goes to storage by its upload id
		path := str(1, "destination")
		switch d := arg(0, "source").(type) {
		case string:
			return s.Upload(path, []byte(d))
		case []byte:
			return s.Upload(path, d)
		case *interp.Upload:
			if f, ok := d.Ref.(*sdk.File); ok {
				return s.UploadFile(path, *f)
			}
		}
		return nil, fmt.Errorf("store.upload: the source must be str, bytes or a file")
	case "download":
		b, err := s.Download(str(0, "source"))
		if errors.Is(err, sdk.ErrNotFound) {
			return nil, fileNotFound(str(0, "source"))
		}
		return b, err
	case "delete":
		return s.Delete(str(0, "path"))
	case "exists":
		return s.Exists(str(0, "path"))
	case "list_files":
		rec, _ := arg(1, "recursive").(bool)
		files, err := s.ListFiles(str(0, "prefix"), rec)
		out := make([]any, len(files))
		for i, f := range files {
			out[i] = f
		}
		return out, err
	case "get_metadata":
		fi, err := s.GetMetadata(str(0, "path"))
		if errors.Is(err, sdk.ErrNotFound) {
			return nil, fileNotFound(str(0, "path"))
		}
		if err != nil {
			return nil, err
		}
		return map[string]any{"name": fi.Name, "path": fi.Path, "size": fi.Size, "is_dir": fi.IsDir,
			"modified": fi.Modified, "created": fi.Created}, nil
	case "copy":
		return copied(s.Copy(str(0, "source"), str(1, "destination")))
	case "move":
		return copied(s.Move(str(0, "source"), str(1, "destination")))
	}
	return nil, fmt.Errorf("store has no method %s", method)
}

// fileNotFound is the exception local storage raises for a missing file.
func fileNotFound(path string) error {
	return &interp.Error{Type: "FileNotFoundError", Msg: "File not found: " + path}
}

// copied is copy's and move's answer: True, or False when the source is
// missing.
func copied(_ string, err error) (any, error) {
	if errors.Is(err, sdk.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// kvCall serves the methods of a kvstore() object.
func kvCall(kv sdk.KV, method string, arg func(i int, key string) any) (any, error) {
	str := func(i int, key string) string { v, _ := arg(i, key).(string); return v }
	obj := func(i int, key string) map[string]any { v, _ := arg(i, key).(map[string]any); return v }
	num := func(i int, key string) int64 { v, _ := arg(i, key).(int64); return v }
	update := func(r sdk.UpdateResult, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		return map[string]any{"matched_count": r.Matched, "modified_count": r.Modified}, nil
	}
	switch method {
	case "get":
		return kv.Get(str(0, "key"))
	case "set":
		return nil, kv.Set(str(0, "key"), arg(1, "value"))
	case "delete":
		return kv.Delete(str(0, "key"))
	case "exists":
		return kv.Exists(str(0, "key"))
	case "set_with_ttl":
		return nil, kv.SetWithTTL(str(0, "key"), arg(1, "value"), int(num(2, "ttl")))
	case "expire":
		return kv.Expire(str(0, "key"), int(num(1, "seconds")))
	case "incr":
		return kv.Incr(str(0, "key"))
	case "scan_keys":
		keys, err := kv.ScanKeys(str(0, "pattern"))
		out := make([]any, len(keys))
		for i, k := range keys {
			out[i] = k
		}
		return out, err
	case "find_one":
		return nilMap(kv.FindOne(str(0, "collection"), obj(1, "filter")))
	case "find":
		docs, err := kv.Find(str(0, "collection"), obj(1, "filter"))
		out := make([]any, len(docs))
		for i, d := range docs {
			out[i] = d
		}
		return out, err
	case "insert_one":
		return kv.InsertOne(str(0, "collection"), obj(1, "document"))
	case "insert_many":
		list, _ := arg(1, "documents").([]any)
		docs := make([]map[string]any, 0, len(list))
		for _, d := range list {
			m, _ := d.(map[string]any)
			docs = append(docs, m)
		}
		ids, err := kv.InsertMany(str(0, "collection"), docs)
		return ids, err
	case "update_one":
		return update(kv.UpdateOne(str(0, "collection"), obj(1, "filter"), obj(2, "update")))
	case "update_many":
		return update(kv.UpdateMany(str(0, "collection"), obj(1, "filter"), obj(2, "update")))
	case "delete_one":
		return kv.DeleteOne(str(0, "collection"), obj(1, "filter"))
	case "delete_many":
		return kv.DeleteMany(str(0, "collection"), obj(1, "filter"))
	case "find_by_id":
		return nilMap(kv.FindByID(str(0, "collection"), arg(1, "id")))
	case "update_by_id":
		return update(kv.UpdateByID(str(0, "collection"), arg(1, "id"), obj(2, "update")))
	case "delete_by_id":
		return kv.DeleteByID(str(0, "collection"), arg(1, "id"))
	}
	return nil, fmt.Errorf("kvstore has no method %s", method)
}

// nilMap turns a missing document into None rather than an empty map.
func nilMap(m map[string]any, err error) (any, error) {
	if m == nil || err != nil {
		return nil, err
	}
	return m, nil
}
