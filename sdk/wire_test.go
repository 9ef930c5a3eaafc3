package sdk

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
)

// skipSeeds are encodings, valid and not, for the validators' tests.
func skipSeeds() [][]byte {
	enc := func(v any) []byte {
		b, err := abi.AppendValue(nil, v)
		if err != nil {
			panic(err)
		}
		return b
	}
	nested := func(depth int, leaf any, inMap bool) []byte {
		v := leaf
		for range depth {
			if inMap {
				v = map[string]any{"k": v}
			} else {
				v = []any{v}
			}
		}
		return enc(v)
	}
	seeds := [][]byte{
		nil, {0xFF}, {abi.TagMap}, {abi.TagMap, 0xFF, 0xFF, 0xFF, 0xFF},
		enc(nil), enc(true), enc(int64(-1)), enc(1.5), enc("héllo"), enc(abi.Ref{Tag: abi.TagNode, Handle: 7}),
		enc([]any{}), enc(map[string]any{}),
		enc(map[string]any{"a": "x", "b": int64(2), "c": 2.5, "d": false, "e": nil, "f": []any{"y", map[string]any{}}}),
		enc([]any{1, "two", 3.0, nil, true, []string{"a"}}),
		nested(abi.MaxDepth, "leaf", true), nested(abi.MaxDepth+1, "leaf", true),
		nested(abi.MaxDepth, nil, false), nested(abi.MaxDepth+1, nil, false),
		nested(abi.MaxDepth-1, "leaf", true), nested(abi.MaxDepth-1, []any{}, false),
	}
	for _, s := range append([][]byte(nil), seeds...) {
		for cut := 1; cut < len(s); cut += 1 + len(s)/8 {
			seeds = append(seeds, s[:len(s)-cut])
		}
	}
	return seeds
}

// checkSkip compares the validators with abi.Reader on b.
func checkSkip(t *testing.T, b []byte) {
	t.Helper()
	end := func(r *abi.Reader, n int) int {
		if r.Err() != nil {
			return -1
		}
		return n - r.Len()
	}
	r := abi.NewReader(b)
	r.Skip()
	want := end(r, len(b))
	if got := skipValue(b, 0, 0); got != want {
		t.Fatalf("skipValue(%x) = %d, want %d", b, got, want)
	}
	wantMap := -1
	if len(b) > 0 && b[0] == abi.TagMap {
		wantMap = want
	}
	if got := skipMap(b, 0); got != wantMap {
		t.Fatalf("skipMap(%x) = %d, want %d", b, got, wantMap)
	}
	if len(b) > 0 {
		// As the element of a list, b is one level deeper.
		in := append(abi.AppendListHeader(nil, 1), b...)
		r := abi.NewReader(in)
		r.Skip()
		wantElem := end(r, len(in))
		if wantElem >= 0 {
			wantElem -= 5
		}
		got := skipElem(b, 0, 1)
		if got > len(b) {
			got = -1
		}
		if got != wantElem {
			t.Fatalf("skipElem(%x, depth 1) = %d, want %d", b, got, wantElem)
		}
	}
}

func TestSkipValue(t *testing.T) {
	for _, b := range skipSeeds() {
		checkSkip(t, b)
	}
}

// FuzzSkipValue checks that the SDK's validators accept exactly what
// abi.Reader accepts, and end where it ends.
func FuzzSkipValue(f *testing.F) {
	for _, b := range skipSeeds() {
		f.Add(b)
	}
	f.Fuzz(checkSkip)
}

// appendValue must encode what abi.AppendValue encodes, byte for byte.
func TestAppendValue_MatchesABI(t *testing.T) {
	bigMap := func(n int) map[string]any {
		m := map[string]any{}
		for i := range n {
			m["key"+strconv.Itoa(i*7919%1000)] = i
		}
		return m
	}
	tests := []any{
		nil, true, false, 0, -1, int64(math.MaxInt64), int32(-5), float32(1.5), 2.5, math.Inf(-1), "", "héllo",
		strings.Repeat("x", 300), []any{}, []any{1, "a", nil}, []string{"a", "b"}, abi.Ref{Tag: abi.TagEdge, Handle: 9},
		map[string]any{}, map[string]any{"k": "v"}, map[string]any{"b": 1, "a": 2, "ab": 3, "": 4, "é": 5, "B": 6},
		bigMap(8), bigMap(9), bigMap(100),
		map[string]any{"outer": bigMap(20), "list": []any{bigMap(3), bigMap(12)}},
	}
	for i, v := range tests {
		want, err := abi.AppendValue(nil, v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendValue([]byte{0xAA}, v)
		if err != nil || !bytes.Equal(got[1:], want) || got[0] != 0xAA {
			t.Errorf("%d: appendValue(%v) = %x, %v\nwant %x", i, v, got, err, want)
		}
	}
	if len(keySpans) != 0 || len(keyBuf) != 0 {
		t.Errorf("key stack not emptied: %d spans, %d bytes", len(keySpans), len(keyBuf))
	}
}

// Entries live in pages indexed by handle: an entry keeps its address as
// pages are added, and a request starts with none.
func TestRequest_Entries(t *testing.T) {
	var r request
	r.begin(1, 1, abi.TypeRoot)
	handles := []uint32{0, 2, pageSize - 1, pageSize, 5 * pageSize, maxDense - 1, maxDense, 1<<32 - 1}
	entries := map[uint32]*object{}
	for _, h := range handles {
		o := r.obj(h)
		o.setNode(h)
		entries[h] = o
	}
	for _, h := range handles {
		if o := r.obj(h); o != entries[h] || o.typ != h || !o.typed {
			t.Fatalf("handle %d: entry moved or changed", h)
		}
	}
	if k := r.obj(1); k.typ != abi.TypeRoot || !k.typed {
		t.Fatal("root not typed")
	}
	r.obj(pageSize).setData(0, 0, 0, 0)
	if r.known(pageSize) == nil || r.known(2) != nil {
		t.Fatal("known")
	}
	r.forget(pageSize)
	if r.known(pageSize) != nil || r.obj(pageSize).typed {
		t.Fatal("forget")
	}
	r.begin(1, 3, 1)
	for _, h := range handles {
		switch h {
		case 1, 3:
			continue
		}
		if o := r.obj(h); o.typed || o.data || o.kind != 0 || o.typ != 0 {
			t.Fatalf("handle %d kept %+v into the next request", h, *o)
		}
	}
	if o := r.obj(3); o.typ != 1 || o.kind != abi.ObjNode {
		t.Fatal("here not typed")
	}
}

func TestNewString(t *testing.T) {
	var got, want []string
	for i := range 3 * strChunkSize {
		s := strings.Repeat(strconv.Itoa(i%10), i%(strMaxShared+8))
		got = append(got, newString([]byte(s)))
		want = append(want, s)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("string %d changed: %q, want %q", i, got[i], want[i])
		}
	}
}
