package main

import "github.com/walkerhost/walkerhost/sdk"

// program is the module's walker.program section, read during
// _initialize (program_wasip1.go); empty natively.
var program string

var _ = sdk.Walker("program", newEmpty).
	OnRoot(func(_ *Empty, v *sdk.Visit) error { return v.Report(program) })

// StoreOp runs one storage call (ABI.md "Storage"): op with args.
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
	case "upload_id":
		return st.UploadFile(str(a, 0), sdk.File{})
	case "download":
		b, err := st.Download(str(a, 0))
		return string(b), err
	case "delete":
		return st.Delete(str(a, 0))
	case "exists":
		return st.Exists(str(a, 0))
	case "list":
		recursive, _ := val(a, 1).(bool)
		return st.ListFiles(str(a, 0), recursive)
	case "metadata":
		fi, err := st.GetMetadata(str(a, 0))
		return map[string]any{"name": fi.Name, "path": fi.Path, "size": fi.Size, "is_dir": fi.IsDir,
			"modified": fi.Modified, "created": fi.Created}, err
	case "copy":
		return st.Copy(str(a, 0), str(a, 1))
	case "move":
		return st.Move(str(a, 0), str(a, 1))
	}
	return nil, unknownOp(op)
}

// KVOp runs one key-value call (ABI.md "Key-value stores"): op on the
// store db of kind (at uri, when given) with args.
type KVOp struct {
	Kind, DB, Op string
	URI          *string
	Args         []any
}

func (w *KVOp) Fields(f *sdk.Fields) {
	f.String("kind", &w.Kind).Required()
	f.String("db", &w.DB).Default("tck")
	f.OptString("uri", &w.URI)
	f.String("op", &w.Op).Required()
	f.List("args", &w.Args)
}

var _ = sdk.Walker("kv", func() *KVOp { return new(KVOp) }).
	OnRoot(func(w *KVOp, v *sdk.Visit) error {
		var uri []string
		if w.URI != nil {
			uri = []string{*w.URI}
		}
		return v.Report(outcome(runKV(sdk.KVStore(w.DB, sdk.KVKind(w.Kind), uri...), w.Op, w.Args)))
	})

func runKV(kv sdk.KV, op string, a []any) (any, error) {
	switch op {
	case "get":
		return kv.Get(str(a, 0))
	case "set":
		return nil, kv.Set(str(a, 0), val(a, 1))
	case "set_root":
		return nil, kv.Set(str(a, 0), sdk.Root())
	case "delete":
		return kv.Delete(str(a, 0))
	case "exists":
		return kv.Exists(str(a, 0))
	case "set_with_ttl":
		return nil, kv.SetWithTTL(str(a, 0), val(a, 1), num(a, 2))
	case "expire":
		return kv.Expire(str(a, 0), num(a, 1))
	case "incr":
		return kv.Incr(str(a, 0))
	case "incr_by":
		return kv.IncrBy(str(a, 0), int64(num(a, 1)))
	case "scan_keys":
		return kv.ScanKeys(str(a, 0))
	}
	return runMongo(kv, op, a)
}

func runMongo(kv sdk.KV, op string, a []any) (any, error) {
	coll := str(a, 0)
	switch op {
	case "find_one":
		d, err := kv.FindOne(coll, obj(a, 1))
		return doc(d), err
	case "find":
		o := obj(a, 2)
		opts := sdk.FindOptions{Limit: num([]any{o["limit"]}, 0), Skip: num([]any{o["skip"]}, 0)}
		sorts, _ := o["sort"].([]any)
		for i := range sorts {
			opts.Sort = append(opts.Sort, str(sorts, i))
		}
		docs, err := kv.Find(coll, obj(a, 1), opts)
		l := make([]any, len(docs))
		for i, d := range docs {
			l[i] = d
		}
		return l, err
	case "insert_one":
		return kv.InsertOne(coll, obj(a, 1))
	case "insert_many":
		l, _ := val(a, 1).([]any)
		docs := make([]map[string]any, len(l))
		for i := range l {
			docs[i] = obj(l, i)
		}
		return kv.InsertMany(coll, docs)
	case "update_one":
		return update(kv.UpdateOne(coll, obj(a, 1), obj(a, 2)))
	case "update_many":
		return update(kv.UpdateMany(coll, obj(a, 1), obj(a, 2)))
	case "delete_one":
		return kv.DeleteOne(coll, obj(a, 1))
	case "delete_many":
		return kv.DeleteMany(coll, obj(a, 1))
	case "find_by_id":
		d, err := kv.FindByID(coll, val(a, 1))
		return doc(d), err
	case "update_by_id":
		return update(kv.UpdateByID(coll, val(a, 1), obj(a, 2)))
	case "delete_by_id":
		return kv.DeleteByID(coll, val(a, 1))
	}
	return nil, unknownOp(op)
}

// doc is a document, or null for none (a nil map would be {}).
func doc(d map[string]any) any {
	if d == nil {
		return nil
	}
	return d
}

func update(r sdk.UpdateResult, err error) (any, error) {
	return map[string]any{"matched": r.Matched, "modified": r.Modified}, err
}

type unknownOp string

func (e unknownOp) Error() string { return "conformance: unknown op " + string(e) }

// Attach stores its uploaded file (ABI.md "Uploads") and reads it back in
// three ways.
type Attach struct {
	Doc, Extra sdk.File
	Path       string
}

func (w *Attach) Fields(f *sdk.Fields) {
	f.File("doc", &w.Doc).Required()
	f.File("extra", &w.Extra)
	f.String("path", &w.Path).Default("up/doc.bin")
}

var _ = sdk.Walker("attach", func() *Attach { return new(Attach) }).
	OnRoot(func(w *Attach, v *sdk.Visit) error {
		all, err := w.Doc.Bytes()
		if err != nil {
			return err
		}
		var chunks []any
		buf := make([]byte, 3)
		for {
			n, err := w.Doc.Read(buf)
			if n > 0 {
				chunks = append(chunks, string(buf[:n]))
			}
			if err != nil {
				break
			}
		}
		tail := make([]byte, 2)
		n, _ := w.Doc.ReadAt(tail, w.Doc.Size-2)
		stored, err := sdk.Store().UploadFile(w.Path, w.Doc)
		if err != nil {
			return err
		}
		return v.Report(map[string]any{
			"name": w.Doc.Name, "type": w.Doc.ContentType, "size": w.Doc.Size, "all": string(all),
			"chunks": chunks, "tail": string(tail[:n]), "stored": stored, "extra": w.Extra.Given(),
		})
	})
