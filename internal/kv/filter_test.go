package kv

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestFilter(t *testing.T) {
	tests := []struct {
		name string
		in   map[string]any
		want bson.D
	}{
		{"empty matches all", map[string]any{}, bson.D{}},
		{"equality", map[string]any{"a": "x", "b": int64(1)}, bson.D{{Key: "a", Value: "x"}, {Key: "b", Value: int64(1)}}},
		{"dotted field", map[string]any{"addr.city": "Oslo"}, bson.D{{Key: "addr.city", Value: "Oslo"}}},
		{"comparisons", map[string]any{"n": map[string]any{"$gt": int64(1), "$lte": 9.5, "$ne": nil}},
			bson.D{{Key: "n", Value: bson.D{{Key: "$gt", Value: int64(1)}, {Key: "$lte", Value: 9.5}, {Key: "$ne", Value: nil}}}}},
		{"in", map[string]any{"s": map[string]any{"$in": []any{"a", "b"}}},
			bson.D{{Key: "s", Value: bson.D{{Key: "$in", Value: bson.A{"a", "b"}}}}}},
		{"eq and gte lt", map[string]any{"s": map[string]any{"$eq": "a"}, "t": map[string]any{"$gte": int64(0), "$lt": int64(5)}},
			bson.D{{Key: "s", Value: bson.D{{Key: "$eq", Value: "a"}}}, {Key: "t", Value: bson.D{{Key: "$gt" + "e", Value: int64(0)}, {Key: "$lt", Value: int64(5)}}}}},
		{"and or", map[string]any{"$or": []any{map[string]any{"a": int64(1)}, map[string]any{"$and": []any{map[string]any{"b": true}}}}},
			bson.D{{Key: "$or", Value: bson.A{bson.D{{Key: "a", Value: int64(1)}}, bson.D{{Key: "$and", Value: bson.A{bson.D{{Key: "b", Value: true}}}}}}}}},
		{"literal document", map[string]any{"d": map[string]any{"x": []any{int64(1)}}},
			bson.D{{Key: "d", Value: bson.D{{Key: "x", Value: bson.A{int64(1)}}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Filter(tc.in)
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Filter = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestFilter_Errors(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"not a map", []any{}, "want a map"},
		{"where", map[string]any{"$where": "sleep(1000)"}, `operator "$where" is not allowed`},
		{"function", map[string]any{"a": map[string]any{"$function": map[string]any{}}}, `operator "$function" is not allowed`},
		{"expr", map[string]any{"$expr": map[string]any{"$eq": []any{"$a", "$b"}}}, `operator "$expr" is not allowed`},
		{"regex", map[string]any{"a": map[string]any{"$regex": ".*"}}, `operator "$regex" is not allowed`},
		{"nin", map[string]any{"a": map[string]any{"$nin": []any{}}}, `operator "$nin" is not allowed`},
		{"exists", map[string]any{"a": map[string]any{"$exists": true}}, `operator "$exists" is not allowed`},
		{"unknown", map[string]any{"a": map[string]any{"$bogus": 1}}, `operator "$bogus" is not allowed`},
		{"nor at top", map[string]any{"$nor": []any{}}, `operator "$nor" is not allowed`},
		{"where inside or", map[string]any{"$or": []any{map[string]any{"$where": "x"}}}, `operator "$where" is not allowed`},
		{"and not a list", map[string]any{"$and": map[string]any{}}, "$and takes a non-empty list"},
		{"and empty", map[string]any{"$and": []any{}}, "$and takes a non-empty list"},
		{"or of strings", map[string]any{"$or": []any{"a"}}, "takes a list of filters, got a string"},
		{"in not a list", map[string]any{"a": map[string]any{"$in": "x"}}, "$in takes a list"},
		{"mixed operators and fields", map[string]any{"a": map[string]any{"$gt": int64(1), "b": int64(2)}}, "mixes operators and fields"},
		{"dollar field", map[string]any{"a.$b": 1}, "is not a field path"},
		{"empty field", map[string]any{"": 1}, "is not a field path"},
		{"empty name in path", map[string]any{"a..b": 1}, "is not a field path"},
		{"operator hidden in a value", map[string]any{"a": []any{map[string]any{"$where": "x"}}}, "keys may not be empty or start with $"},
		{"operator hidden in an in list", map[string]any{"a": map[string]any{"$in": []any{map[string]any{"$expr": 1}}}}, "keys may not be empty or start with $"},
		{"handle", map[string]any{"a": abi.Ref{Tag: abi.TagNode, Handle: 1}}, "a node or edge cannot be stored"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Filter(tc.in)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Filter(%v) = %v, want ErrInvalid mentioning %q", tc.in, err, tc.want)
			}
		})
	}
}

func TestUpdate(t *testing.T) {
	got, err := Update(map[string]any{"$set": map[string]any{"b.c": int64(2), "a": "x"}})
	want := bson.D{{Key: "$set", Value: bson.D{{Key: "a", Value: "x"}, {Key: "b.c", Value: int64(2)}}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Update = %v, %v", got, err)
	}
}

func TestUpdate_Errors(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"not a map", "x", "want a map"},
		{"replacement document", map[string]any{"a": 1}, `want {"$set": {...}}`},
		{"inc", map[string]any{"$inc": map[string]any{"n": int64(1)}}, `operator "$inc" is not allowed (only $set)`},
		{"unset with set", map[string]any{"$set": map[string]any{"a": 1}, "$unset": map[string]any{"b": ""}}, `operator "$unset" is not allowed`},
		{"set not a map", map[string]any{"$set": "x"}, "$set takes a non-empty map"},
		{"set empty", map[string]any{"$set": map[string]any{}}, "$set takes a non-empty map"},
		{"set id", map[string]any{"$set": map[string]any{"_id": "x"}}, "_id cannot be changed"},
		{"set dollar field", map[string]any{"$set": map[string]any{"$where": "x"}}, "is not a field path"},
		{"operator in a value", map[string]any{"$set": map[string]any{"a": map[string]any{"$expr": 1}}}, "start with $"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Update(tc.in)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Update(%v) = %v, want ErrInvalid mentioning %q", tc.in, err, tc.want)
			}
		})
	}
}

func TestDocument(t *testing.T) {
	d, id, err := Document(map[string]any{"b": int64(1), "a": "x"})
	if err != nil {
		t.Fatal(err)
	}
	s, ok := id.(string)
	if _, perr := bson.ObjectIDFromHex(s); !ok || perr != nil {
		t.Fatalf("generated _id %v is not an ObjectId's hex", id)
	}
	want := bson.D{{Key: "_id", Value: s}, {Key: "a", Value: "x"}, {Key: "b", Value: int64(1)}}
	if !reflect.DeepEqual(d, want) {
		t.Fatalf("document %v", d)
	}
	if _, id, err := Document(map[string]any{"_id": int64(7)}); err != nil || id != int64(7) {
		t.Fatalf("int _id: %v, %v", id, err)
	}
	for _, bad := range []any{"x", map[string]any{"_id": 1.5}, map[string]any{"$set": 1}, map[string]any{"a": map[string]any{"$x": 1}}} {
		if _, _, err := Document(bad); !errors.Is(err, ErrInvalid) {
			t.Fatalf("Document(%v) = %v", bad, err)
		}
	}
}

func TestParseFindOptions(t *testing.T) {
	o, err := ParseFindOptions(map[string]any{"limit": int64(5), "skip": int64(2), "sort": []any{"a", "-b.c"}})
	want := FindOptions{Limit: 5, Skip: 2, Sort: bson.D{{Key: "a", Value: 1}, {Key: "b.c", Value: -1}}}
	if err != nil || !reflect.DeepEqual(o, want) {
		t.Fatalf("options %+v, %v", o, err)
	}
	if o, err := ParseFindOptions(nil); err != nil || !reflect.DeepEqual(o, FindOptions{}) {
		t.Fatalf("nil options %+v, %v", o, err)
	}
	for _, bad := range []any{"x", map[string]any{"limit": int64(-1)}, map[string]any{"skip": "1"},
		map[string]any{"sort": "a"}, map[string]any{"sort": []any{"$a"}}, map[string]any{"sort": []any{1}},
		map[string]any{"projection": map[string]any{}}} {
		if _, err := ParseFindOptions(bad); !errors.Is(err, ErrInvalid) {
			t.Fatalf("ParseFindOptions(%v) = %v", bad, err)
		}
	}
}

// FuzzFilter decodes arbitrary bytes as a value and parses it as a filter
// and as an update: either is refused, or every $ key in the BSON they give
// is an allowed operator.
func FuzzFilter(f *testing.F) {
	seeds := []any{
		map[string]any{"a": int64(1)},
		map[string]any{"a": map[string]any{"$gt": int64(1), "$in": []any{"x"}}},
		map[string]any{"$or": []any{map[string]any{"a": "b"}, map[string]any{"$and": []any{map[string]any{"c": nil}}}}},
		map[string]any{"$where": "1"},
		map[string]any{"$set": map[string]any{"a.b": []any{1.5}}},
		map[string]any{"a": map[string]any{"b": map[string]any{"$expr": true}}},
	}
	for _, s := range seeds {
		b, err := abi.AppendValue(nil, s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	allowed := append(append(append([]string{}, comparisons...), logicals...), "$set")
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := abi.DecodeValue(b)
		if err != nil {
			return
		}
		if d, err := Filter(v); err == nil {
			checkOperators(t, d, allowed)
		} else if !errors.Is(err, ErrInvalid) {
			t.Fatalf("Filter: unexpected error %v", err)
		}
		if d, err := Update(v); err == nil {
			checkOperators(t, d, allowed)
		} else if !errors.Is(err, ErrInvalid) {
			t.Fatalf("Update: unexpected error %v", err)
		}
	})
}

func checkOperators(t *testing.T, v any, allowed []string) {
	switch x := v.(type) {
	case bson.D:
		for _, e := range x {
			if strings.HasPrefix(e.Key, "$") && !contains(allowed, e.Key) {
				t.Fatalf("operator %q got through", e.Key)
			}
			checkOperators(t, e.Value, allowed)
		}
	case bson.A:
		for _, e := range x {
			checkOperators(t, e, allowed)
		}
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
