package fakehost

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/walkerhost/walkerhost/abi"
)

// mongo serves the MongoDB methods on in-memory collections, with the
// filter and update grammar of ABI.md "Key-value stores".
func (h *Host) mongo(st *kvStore, op int32, l []any) (any, *kvErr) {
	coll, ok := str(l, 0)
	if !ok || coll == "" {
		return nil, badArg("a collection name is needed")
	}
	docs := st.colls[coll]
	switch op {
	case abi.KVInsertOne, abi.KVInsertMany:
		return h.insert(st, coll, op, l)
	case abi.KVFindByID, abi.KVUpdateByID, abi.KVDeleteByID:
		if len(l) < 2 {
			return nil, badArg("an id is needed")
		}
		switch l[1].(type) {
		case string, int64:
		default:
			return nil, badArg("an id is a string or an int")
		}
		l = append([]any{coll, map[string]any{"_id": l[1]}}, l[2:]...)
	}
	var filter map[string]any
	if len(l) > 1 && l[1] != nil {
		if filter, ok = l[1].(map[string]any); !ok {
			return nil, badArg("filter: want a map")
		}
	}
	if err := checkFilter(filter); err != nil {
		return nil, badArg("filter: %v", err)
	}
	var hits []int
	for i, d := range docs {
		m, err := matches(d, filter)
		if err != nil {
			return nil, badArg("filter: %v", err)
		}
		if m {
			hits = append(hits, i)
		}
	}
	switch op {
	case abi.KVFindOne, abi.KVFindByID:
		if len(hits) == 0 {
			return nil, nil
		}
		return docs[hits[0]], nil
	case abi.KVFind:
		return find(docs, hits, l)
	case abi.KVUpdateOne, abi.KVUpdateMany, abi.KVUpdateByID:
		if op != abi.KVUpdateMany && len(hits) > 1 {
			hits = hits[:1]
		}
		if len(l) < 3 {
			return nil, badArg("an update is needed")
		}
		modified, err := update(docs, hits, l[2])
		if err != nil {
			return nil, badArg("update: %v", err)
		}
		return map[string]any{"matched": int64(len(hits)), "modified": modified}, nil
	}
	if op != abi.KVDeleteMany && len(hits) > 1 {
		hits = hits[:1]
	}
	for j := len(hits) - 1; j >= 0; j-- {
		docs = slices.Delete(docs, hits[j], hits[j]+1)
	}
	st.colls[coll] = docs
	if op == abi.KVDeleteByID {
		return len(hits) > 0, nil
	}
	return int64(len(hits)), nil
}

func (h *Host) insert(st *kvStore, coll string, op int32, l []any) (any, *kvErr) {
	in := l[1:]
	if op == abi.KVInsertMany {
		list, ok := l[1].([]any)
		if !ok || len(list) == 0 {
			return nil, badArg("insert_many takes a non-empty list of documents")
		}
		in = list
	}
	ids := []any{}
	for _, v := range in {
		d, ok := v.(map[string]any)
		if !ok || abi.HasRef(d) {
			return nil, badArg("document: want a map without nodes or edges")
		}
		if _, has := d["_id"]; !has {
			h.seq++
			d["_id"] = fmt.Sprintf("%024x", h.seq)
		}
		for _, o := range st.colls[coll] {
			if o["_id"] == d["_id"] {
				return nil, badArg("mongodb: a document with this _id exists")
			}
		}
		st.colls[coll] = append(st.colls[coll], d)
		ids = append(ids, d["_id"])
	}
	if op == abi.KVInsertOne {
		return ids[0], nil
	}
	return ids, nil
}

func find(docs []map[string]any, hits []int, l []any) (any, *kvErr) {
	out := make([]map[string]any, len(hits))
	for i, j := range hits {
		out[i] = docs[j]
	}
	opts, _ := l[2].(map[string]any)
	if sorts, ok := opts["sort"].([]any); ok {
		slices.SortStableFunc(out, func(a, b map[string]any) int {
			for _, s := range sorts {
				f, _ := s.(string)
				dir := 1
				if strings.HasPrefix(f, "-") {
					f, dir = f[1:], -1
				}
				av, _ := lookup(a, f)
				bv, _ := lookup(b, f)
				if c, _ := compareValues(av, bv); c != 0 {
					return c * dir
				}
			}
			return 0
		})
	}
	skip, _ := opts["skip"].(int64)
	limit, _ := opts["limit"].(int64)
	out = out[min(int(skip), len(out)):]
	if limit > 0 && int(limit) < len(out) {
		out = out[:limit]
	}
	res := make([]any, len(out))
	for i, d := range out {
		res[i] = d
	}
	return res, nil
}

// checkFilter refuses a filter with an operator the grammar lacks, even
// when no document is there to match it against.
func checkFilter(filter map[string]any) error {
	for k, v := range filter {
		switch {
		case k == "$and" || k == "$or":
			l, _ := v.([]any)
			for _, sub := range l {
				if f, ok := sub.(map[string]any); ok {
					if err := checkFilter(f); err != nil {
						return err
					}
				}
			}
		case strings.HasPrefix(k, "$"):
			return fmt.Errorf("operator %q is not allowed", k)
		default:
			if ops, ok := v.(map[string]any); ok && hasOperator(ops) {
				for op := range ops {
					if !slices.Contains([]string{"$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in"}, op) {
						return fmt.Errorf("operator %q is not allowed", op)
					}
				}
			}
		}
	}
	return nil
}

// matches reports whether doc matches filter, or refuses the filter.
func matches(doc, filter map[string]any) (bool, error) {
	for k, v := range filter {
		var ok bool
		var err error
		switch {
		case k == "$and" || k == "$or":
			ok, err = logical(doc, k, v)
		case strings.HasPrefix(k, "$"):
			return false, fmt.Errorf("operator %q is not allowed", k)
		default:
			val, present := lookup(doc, k)
			ok, err = condition(val, present, v)
		}
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func logical(doc map[string]any, op string, v any) (bool, error) {
	l, ok := v.([]any)
	if !ok || len(l) == 0 {
		return false, fmt.Errorf("%s takes a non-empty list of filters", op)
	}
	found := false
	for _, sub := range l {
		f, ok := sub.(map[string]any)
		if !ok {
			return false, fmt.Errorf("%s takes a list of filters", op)
		}
		m, err := matches(doc, f)
		if err != nil {
			return false, err
		}
		if op == "$and" && !m {
			return false, nil
		}
		found = found || m
	}
	return op == "$and" || found, nil
}

func condition(val any, present bool, c any) (bool, error) {
	ops, isMap := c.(map[string]any)
	if !isMap || !hasOperator(ops) {
		return equal(val, c), nil
	}
	for op, arg := range ops {
		var ok bool
		switch op {
		case "$eq":
			ok = equal(val, arg)
		case "$ne":
			ok = !equal(val, arg)
		case "$in":
			l, isList := arg.([]any)
			if !isList {
				return false, fmt.Errorf("$in takes a list")
			}
			ok = slices.ContainsFunc(l, func(e any) bool { return equal(val, e) })
		case "$gt", "$gte", "$lt", "$lte":
			c, comparable := compareValues(val, arg)
			ok = present && comparable && map[string]bool{"$gt": c > 0, "$gte": c >= 0, "$lt": c < 0, "$lte": c <= 0}[op]
		default:
			return false, fmt.Errorf("operator %q is not allowed", op)
		}
		if !ok {
			return false, nil
		}
	}
	return true, nil
}

func hasOperator(m map[string]any) bool {
	for k := range m {
		if strings.HasPrefix(k, "$") {
			return true
		}
	}
	return false
}

// equal compares as MongoDB does for the kinds values have: numbers by
// value, and an array field matches an element too.
func equal(val, want any) bool {
	if c, ok := compareValues(val, want); ok {
		return c == 0
	}
	if reflect.DeepEqual(val, want) {
		return true
	}
	if l, ok := val.([]any); ok {
		return slices.ContainsFunc(l, func(e any) bool { return equal(e, want) })
	}
	return false
}

// lookup follows a dotted path through maps.
func lookup(doc map[string]any, path string) (any, bool) {
	var cur any = doc
	for _, name := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[name]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// update applies {"$set": {...}} to the documents at hits.
func update(docs []map[string]any, hits []int, u any) (int64, error) {
	m, ok := u.(map[string]any)
	set, isMap := m["$set"].(map[string]any)
	if !ok || len(m) != 1 || !isMap || len(set) == 0 {
		for k := range m {
			if k != "$set" {
				return 0, fmt.Errorf("operator %q is not allowed (only $set)", k)
			}
		}
		return 0, fmt.Errorf(`want {"$set": {...}}`)
	}
	if _, has := set["_id"]; has {
		return 0, fmt.Errorf("_id cannot be changed")
	}
	var modified int64
	for _, i := range hits {
		changed := false
		for path, v := range set {
			old, _ := lookup(docs[i], path)
			if !reflect.DeepEqual(old, v) {
				changed = true
				setPath(docs[i], path, v)
			}
		}
		if changed {
			modified++
		}
	}
	return modified, nil
}

func setPath(doc map[string]any, path string, v any) {
	names := strings.Split(path, ".")
	for _, n := range names[:len(names)-1] {
		next, ok := doc[n].(map[string]any)
		if !ok {
			next = map[string]any{}
			doc[n] = next
		}
		doc = next
	}
	doc[names[len(names)-1]] = v
}
