package graph

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
)

func sampleObjects() map[string]*Object {
	a, b := NewID(), NewID()
	return map[string]*Object{
		"root":  {ID: a, Kind: KindNode, Type: RootType, Owner: a, Fields: map[string]any{}, Version: 1},
		"node":  {ID: NewID(), Kind: KindNode, Type: "Todo", Owner: a, Fields: map[string]any{"title": "milk", "done": false, "n": int64(-3), "f": 2.5}, Version: 7},
		"empty": {ID: NewID(), Kind: KindNode, Type: "T", Owner: a, Fields: map[string]any{}},
		"acl": {ID: NewID(), Kind: KindNode, Type: "Doc", Owner: a, Fields: map[string]any{},
			ACL: ACL{Everyone: Connect, HasEveryone: true, Roots: map[ID]Level{a: Write, b: NoAccess}}},
		"nested": {ID: NewID(), Kind: KindNode, Type: "N", Owner: a, Fields: map[string]any{
			"l": []any{nil, true, "x", []any{int64(1)}}, "m": map[string]any{"k": map[string]any{}}}},
		"edge": {ID: NewID(), Kind: KindEdge, Type: "", Owner: b, Src: a, Dst: b, Fields: map[string]any{"w": 1.0}, Version: 2},
	}
}

func TestObject_RoundTrip(t *testing.T) {
	for name, o := range sampleObjects() {
		t.Run(name, func(t *testing.T) {
			b, err := AppendObject(nil, o)
			if err != nil {
				t.Fatal(err)
			}
			got, err := DecodeObject(b)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, o) {
				t.Fatalf("got %+v, want %+v", got, o)
			}
		})
	}
}

func TestAppendObject_Errors(t *testing.T) {
	id := NewID()
	node := func(typ string, a ACL, fields map[string]any) *Object {
		return &Object{ID: id, Kind: KindNode, Type: typ, Owner: id, ACL: a, Fields: fields}
	}
	tests := []struct {
		name string
		in   *Object
		want error
	}{
		{"type too long", node(strings.Repeat("t", MaxTypeLen+1), ACL{}, nil), ErrBadType},
		{"bad everyone level", node("T", ACL{Everyone: 3, HasEveryone: true}, nil), ErrBadLevel},
		{"bad root level", node("T", ACL{Roots: map[ID]Level{id: -5}}, nil), ErrBadLevel},
		{"Go type without encoding", node("T", ACL{}, map[string]any{"c": make(chan int)}), ErrBadField},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := AppendObject(nil, tc.in); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestDecodeObject_Errors(t *testing.T) {
	good, err := AppendObject(nil, sampleObjects()["acl"])
	if err != nil {
		t.Fatal(err)
	}
	edit := func(i int, v byte) []byte { b := bytes.Clone(good); b[i] = v; return b }
	aclAt := 2 + 32 + 8 + 1 + len("Doc") // flags byte
	withRef := append(append(bytes.Clone(good[:len(good)-5]), abi.TagMap, 1, 0, 0, 0), 1, 0, 0, 0, 'r', abi.TagNode, 0, 0, 0, 0)
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"unknown format", edit(0, 9)},
		{"unknown kind", edit(1, 3)},
		{"truncated header", good[:20]},
		{"truncated fields", good[:len(good)-1]},
		{"trailing bytes", append(bytes.Clone(good), 0)},
		{"unknown acl flag", edit(aclAt, 2)},
		{"bad everyone level", edit(aclAt+1, 7)},
		{"huge acl count", edit(aclAt+5, 0xff)},
		{"fields not a map", append(bytes.Clone(good[:len(good)-5]), abi.TagNull)},
		{"handle in fields", withRef},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := DecodeObject(tc.in); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("got %v, want ErrCorrupt", err)
			}
		})
	}
}

// FuzzDecodeObject checks that no input panics and that whatever decodes
// encodes again to a stable form.
func FuzzDecodeObject(f *testing.F) {
	for _, o := range sampleObjects() {
		b, err := AppendObject(nil, o)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{1, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := DecodeObject(b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("got %v, want ErrCorrupt", err)
			}
			return
		}
		once, err := AppendObject(nil, o)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		o2, err := DecodeObject(once)
		if err != nil {
			t.Fatalf("decode re-encoded: %v", err)
		}
		twice, err := AppendObject(nil, o2)
		if err != nil || !bytes.Equal(once, twice) {
			t.Fatalf("unstable encoding: %x vs %x (%v)", once, twice, err)
		}
	})
}

func TestObject_Clone(t *testing.T) {
	o := sampleObjects()["nested"]
	o.ACL.Roots = map[ID]Level{NewID(): Read}
	c := o.Clone()
	c.Fields["l"].([]any)[1] = false
	c.Fields["m"].(map[string]any)["k"] = 1.0
	for id := range c.ACL.Roots {
		c.ACL.Roots[id] = Write
	}
	if o.Fields["l"].([]any)[1] != true {
		t.Fatal("Clone shares lists with the original")
	}
	if o.Fields["m"].(map[string]any)["k"] == 1.0 {
		t.Fatal("Clone shares maps with the original")
	}
	for _, l := range o.ACL.Roots {
		if l != Read {
			t.Fatal("Clone shares the ACL with the original")
		}
	}
}
