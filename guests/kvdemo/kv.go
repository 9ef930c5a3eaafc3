package main

import "github.com/walkerhost/walkerhost/sdk"

// KVOp runs one kvstore method: op on the store db of kind (and uri, when
// given) with args, repeat times; it reports the outcome of the last run.
type KVOp struct {
	Kind, DB, Op string
	URI          *string
	Args         []any
	Repeat       int
}

func (w *KVOp) Fields(f *sdk.Fields) {
	f.String("kind", &w.Kind).Required()
	f.String("db", &w.DB).Default("demo")
	f.OptString("uri", &w.URI)
	f.String("op", &w.Op).Required()
	f.List("args", &w.Args)
	f.Int("repeat", &w.Repeat).Default(1)
}

var _ = sdk.Walker("kv", func() *KVOp { return new(KVOp) }).
	OnRoot(func(w *KVOp, v *sdk.Visit) error {
		var uri []string
		if w.URI != nil {
			uri = []string{*w.URI}
		}
		kv := sdk.KVStore(w.DB, sdk.KVKind(w.Kind), uri...)
		var res map[string]any
		for range max(w.Repeat, 1) {
			res = outcome(runKV(kv, w.Op, w.Args))
		}
		return v.Report(res)
	})

func runKV(kv sdk.KV, op string, a []any) (any, error) {
	switch op {
	case "get":
		return kv.Get(str(a, 0))
	case "set":
		return nil, kv.Set(str(a, 0), val(a, 1))
	case "delete":
		return kv.Delete(str(a, 0))
	case "exists":
		return kv.Exists(str(a, 0))
	case "set_with_ttl":
		return nil, kv.SetWithTTL(str(a, 0), val(a, 1), num(a, 2))
	case "expire":
		return kv.Expire(str(a, 0), num(a, 1))
	case "incr":
		if len(a) > 1 {
			return kv.IncrBy(str(a, 0), int64(num(a, 1)))
		}
		return kv.Incr(str(a, 0))
	case "scan_keys":
		return kv.ScanKeys(str(a, 0))
	}
	return runMongo(kv, op, a)
}

func runMongo(kv sdk.KV, op string, a []any) (any, error) {
	coll := str(a, 0)
	switch op {
	case "find_one":
		return doc(kv.FindOne(coll, obj(a, 1)))
	case "find":
		o := obj(a, 2)
		opts := sdk.FindOptions{Limit: num([]any{o["limit"]}, 0), Skip: num([]any{o["skip"]}, 0)}
		sorts, _ := o["sort"].([]any)
		for i := range sorts {
			opts.Sort = append(opts.Sort, str(sorts, i))
		}
		docs, err := kv.Find(coll, obj(a, 1), opts)
		return list(docs), err
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
		return doc(kv.FindByID(coll, val(a, 1)))
	case "update_by_id":
		return update(kv.UpdateByID(coll, val(a, 1), obj(a, 2)))
	case "delete_by_id":
		return kv.DeleteByID(coll, val(a, 1))
	}
	return nil, errUnknownOp(op)
}

// doc reports a document, or null for none (a nil map would be {}).
func doc(d map[string]any, err error) (any, error) {
	if d == nil {
		return nil, err
	}
	return d, err
}

func list(docs []map[string]any) []any {
	l := make([]any, len(docs))
	for i, d := range docs {
		l[i] = d
	}
	return l
}

func update(r sdk.UpdateResult, err error) (any, error) {
	return map[string]any{"matched": r.Matched, "modified": r.Modified}, err
}

type errUnknownOp string

func (e errUnknownOp) Error() string { return "kvdemo: unknown op " + string(e) }
