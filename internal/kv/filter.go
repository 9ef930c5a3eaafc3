package kv

import (
	"fmt"
	"slices"
	"strings"

	"github.com/walkerhost/walkerhost/abi"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// The comparison operators a filter may use on a field, and the logical
// ones it may use at its top (or inside $and/$or).
var (
	comparisons = []string{"$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in"}
	logicals    = []string{"$and", "$or"}
)

const allowedOps = "$eq $ne $gt $gte $lt $lte $in $and $or"

// Filter checks a guest filter (a decoded map value) against the grammar of
// abi/ABI.md "Key-value stores" and returns it as BSON. Entries are sorted
// by key so that equal filters give equal BSON.
func Filter(v any) (bson.D, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: filter: want a map, got %s", ErrInvalid, kindOf(v))
	}
	return filter(m)
}

func filter(m map[string]any) (bson.D, error) {
	d := make(bson.D, 0, len(m))
	for _, k := range sortedKeys(m) {
		e, err := clause(k, m[k])
		if err != nil {
			return nil, err
		}
		d = append(d, e)
	}
	return d, nil
}

func clause(k string, v any) (bson.E, error) {
	if slices.Contains(logicals, k) {
		l, ok := v.([]any)
		if !ok || len(l) == 0 {
			return bson.E{}, fmt.Errorf("%w: filter: %s takes a non-empty list of filters", ErrInvalid, k)
		}
		a := make(bson.A, len(l))
		for i, sub := range l {
			m, ok := sub.(map[string]any)
			if !ok {
				return bson.E{}, fmt.Errorf("%w: filter: %s takes a list of filters, got %s in it", ErrInvalid, k, kindOf(sub))
			}
			d, err := filter(m)
			if err != nil {
				return bson.E{}, err
			}
			a[i] = d
		}
		return bson.E{Key: k, Value: a}, nil
	}
	if strings.HasPrefix(k, "$") {
		return bson.E{}, notAllowed(k)
	}
	if err := checkField("filter", k); err != nil {
		return bson.E{}, err
	}
	if ops, ok := v.(map[string]any); ok && hasOperator(ops) {
		d, err := comparison(ops)
		return bson.E{Key: k, Value: d}, err
	}
	lit, err := literal(v)
	return bson.E{Key: k, Value: lit}, err
}

// comparison converts {op: value, ...} on one field; every key must be one
// of the comparison operators.
func comparison(ops map[string]any) (bson.D, error) {
	d := make(bson.D, 0, len(ops))
	for _, op := range sortedKeys(ops) {
		if !slices.Contains(comparisons, op) {
			if strings.HasPrefix(op, "$") {
				return nil, notAllowed(op)
			}
			return nil, fmt.Errorf("%w: filter: %q mixes operators and fields in one map", ErrInvalid, op)
		}
		v := ops[op]
		if _, isList := v.([]any); op == "$in" && !isList {
			return nil, fmt.Errorf("%w: filter: $in takes a list, got %s", ErrInvalid, kindOf(v))
		}
		lit, err := literal(v)
		if err != nil {
			return nil, err
		}
		d = append(d, bson.E{Key: op, Value: lit})
	}
	return d, nil
}

func notAllowed(op string) error {
	return fmt.Errorf("%w: filter: operator %q is not allowed (allowed: %s)", ErrInvalid, op, allowedOps)
}

func hasOperator(m map[string]any) bool {
	for k := range m {
		if strings.HasPrefix(k, "$") {
			return true
		}
	}
	return false
}

// checkField refuses field paths MongoDB would read as something else: an
// empty path or name, a name starting with $ or holding a NUL.
func checkField(where, f string) error {
	for name := range strings.SplitSeq(f, ".") {
		if name == "" || strings.HasPrefix(name, "$") || strings.IndexByte(name, 0) >= 0 {
			return fmt.Errorf("%w: %s: field %q is not a field path (names separated by dots, none empty or starting with $)", ErrInvalid, where, f)
		}
	}
	return nil
}

// literal converts a decoded value to BSON. Maps may not have keys starting
// with $ at any depth, so no operator hides inside a value, and handles
// (abi.Ref) have no meaning outside their request.
func literal(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, int64, float64, string:
		return x, nil
	case []any:
		a := make(bson.A, len(x))
		for i, e := range x {
			var err error
			if a[i], err = literal(e); err != nil {
				return nil, err
			}
		}
		return a, nil
	case map[string]any:
		d := make(bson.D, 0, len(x))
		for _, k := range sortedKeys(x) {
			if k == "" || strings.HasPrefix(k, "$") || strings.IndexByte(k, 0) >= 0 {
				return nil, fmt.Errorf("%w: key %q in a value: keys may not be empty or start with $", ErrInvalid, k)
			}
			e, err := literal(x[k])
			if err != nil {
				return nil, err
			}
			d = append(d, bson.E{Key: k, Value: e})
		}
		return d, nil
	case abi.Ref:
		return nil, fmt.Errorf("%w: a node or edge cannot be stored; store its id", ErrInvalid)
	}
	return nil, fmt.Errorf("%w: %s has no stored form", ErrInvalid, kindOf(v))
}

// Update checks an update, {"$set": {field: value, ...}}, and returns it as
// BSON.
func Update(v any) (bson.D, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: update: want a map, got %s", ErrInvalid, kindOf(v))
	}
	for k := range m {
		if k != "$set" {
			if strings.HasPrefix(k, "$") {
				return nil, fmt.Errorf("%w: update: operator %q is not allowed (only $set)", ErrInvalid, k)
			}
			return nil, fmt.Errorf("%w: update: want {\"$set\": {...}}, got the field %q", ErrInvalid, k)
		}
	}
	set, ok := m["$set"].(map[string]any)
	if !ok || len(set) == 0 {
		return nil, fmt.Errorf("%w: update: $set takes a non-empty map of fields", ErrInvalid)
	}
	d := make(bson.D, 0, len(set))
	for _, f := range sortedKeys(set) {
		if err := checkField("update", f); err != nil {
			return nil, err
		}
		if f == "_id" || strings.HasPrefix(f, "_id.") {
			return nil, fmt.Errorf("%w: update: _id cannot be changed", ErrInvalid)
		}
		lit, err := literal(set[f])
		if err != nil {
			return nil, err
		}
		d = append(d, bson.E{Key: f, Value: lit})
	}
	return bson.D{{Key: "$set", Value: d}}, nil
}

// Document checks a document to insert and returns it as BSON with its _id
// first, giving it a new ObjectId's hex string when it has none. It
// returns the _id too.
func Document(v any) (bson.D, any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, nil, fmt.Errorf("%w: document: want a map, got %s", ErrInvalid, kindOf(v))
	}
	id, has := m["_id"]
	switch id.(type) {
	case string, int64:
	default:
		if has {
			return nil, nil, fmt.Errorf("%w: document: _id must be a string or an int, got %s", ErrInvalid, kindOf(id))
		}
		id = bson.NewObjectID().Hex()
	}
	rest := make(map[string]any, len(m))
	for k, e := range m {
		if k != "_id" {
			rest[k] = e
		}
	}
	lit, err := literal(rest)
	if err != nil {
		return nil, nil, err
	}
	return append(bson.D{{Key: "_id", Value: id}}, lit.(bson.D)...), id, nil
}

// FindOptions are the options of find.
type FindOptions struct {
	Limit, Skip int64
	Sort        bson.D
}

// ParseFindOptions checks the options map of find: limit and skip (ints,
// not negative; a limit of 0 means none) and sort (a list of "field" for
// ascending and "-field" for descending order).
func ParseFindOptions(v any) (FindOptions, error) {
	var o FindOptions
	if v == nil {
		return o, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return o, fmt.Errorf("%w: find options: want a map, got %s", ErrInvalid, kindOf(v))
	}
	for _, k := range sortedKeys(m) {
		switch k {
		case "limit", "skip":
			n, ok := m[k].(int64)
			if !ok || n < 0 {
				return o, fmt.Errorf("%w: find options: %s must be an int of at least 0", ErrInvalid, k)
			}
			if k == "limit" {
				o.Limit = n
			} else {
				o.Skip = n
			}
		case "sort":
			l, ok := m[k].([]any)
			if !ok {
				return o, fmt.Errorf("%w: find options: sort must be a list of \"field\" or \"-field\"", ErrInvalid)
			}
			for _, e := range l {
				f, ok := e.(string)
				dir := 1
				if ok && strings.HasPrefix(f, "-") {
					f, dir = f[1:], -1
				}
				if !ok || checkField("sort", f) != nil {
					return o, fmt.Errorf("%w: find options: sort must be a list of \"field\" or \"-field\"", ErrInvalid)
				}
				o.Sort = append(o.Sort, bson.E{Key: f, Value: dir})
			}
		default:
			return o, fmt.Errorf("%w: find options: unknown option %q (want limit, skip, sort)", ErrInvalid, k)
		}
	}
	return o, nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// kindOf names the kind of a decoded value for messages.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a bool"
	case int64:
		return "an int"
	case float64:
		return "a float"
	case string:
		return "a string"
	case []any:
		return "a list"
	case map[string]any:
		return "a map"
	case abi.Ref:
		return "a node or edge"
	}
	return fmt.Sprintf("a %T", v)
}
