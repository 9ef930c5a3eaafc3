package capability

import (
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
)

func encodeArgs(t testing.TB, args ...any) []byte {
	t.Helper()
	b, err := abi.AppendValue(nil, args)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOpArgs(t *testing.T) {
	a := NewArgs(encodeArgs(t, "redis", nil, int64(7), true, []any{"x"}, map[string]any{"k": 1.5}), "kv_call get")
	if s, u, n, b, l, v := a.Str(), a.OptStr(), a.Int(), a.Bool(), a.List(), a.Value(); s != "redis" || u != "" || n != 7 || !b ||
		len(l) != 1 || v.(map[string]any)["k"] != 1.5 {
		t.Fatalf("read %q %q %d %v %v %v", s, u, n, b, l, v)
	}
	if err := a.Done(); err != nil {
		t.Fatal(err)
	}
	up := NewArgs(encodeArgs(t, "p", int64(1)), "store_call upload")
	if up.Str(); func() bool { tag, ok := up.Peek(); return tag != abi.TagInt || !ok }() {
		t.Fatal("peek does not see the int")
	}
}

func TestOpArgs_Errors(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
		read func(a *Args)
		want string
	}{
		{"not a list", encodeArgs(t)[:0], func(a *Args) { a.Str() }, "the arguments must be a list value"},
		{"a map", []byte{abi.TagMap, 0, 0, 0, 0}, func(a *Args) {}, "must be a list value"},
		{"missing", encodeArgs(t, "a"), func(a *Args) { a.Str(); a.Str() }, "argument 2 is missing"},
		{"extra", encodeArgs(t, "a", "b"), func(a *Args) { a.Str() }, "takes 1 arguments, got 2"},
		{"wrong kind", encodeArgs(t, int64(1)), func(a *Args) { a.Str() }, "argument 1 must be a string, got an int"},
		{"bool for int", encodeArgs(t, true), func(a *Args) { a.Int() }, "must be an int, got a bool"},
		{"string for bool", encodeArgs(t, "x"), func(a *Args) { a.Bool() }, "must be a bool, got a string"},
		{"map for list", encodeArgs(t, map[string]any{}), func(a *Args) { a.List() }, "must be a list, got a map"},
		{"truncated", encodeArgs(t, "abc")[:8], func(a *Args) { a.Str() }, "malformed arguments"},
		{"trailing", append(encodeArgs(t, "a"), 0), func(a *Args) { a.Str() }, "takes 1 arguments"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := NewArgs(tc.b, "store_call test")
			tc.read(a)
			if err := a.Done(); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "sandbox: store_call test: ") {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// FuzzOpArgs reads arbitrary bytes as the arguments of each operation's
// shape: it never panics, and a clean read consumed exactly the input.
func FuzzOpArgs(f *testing.F) {
	f.Add(encodeArgs(f, "redis", "db", nil, "k"), uint8(0))
	f.Add(encodeArgs(f, "p", int64(3)), uint8(1))
	f.Add(encodeArgs(f, "mongodb", "db", "uri", "c", map[string]any{"a": []any{int64(1)}}), uint8(2))
	f.Add([]byte{abi.TagList, 0xff, 0xff, 0xff, 0xff}, uint8(3))
	f.Fuzz(func(t *testing.T, b []byte, shape uint8) {
		a := NewArgs(b, "fuzz")
		switch shape % 4 {
		case 0:
			a.Str()
			a.Str()
			a.OptStr()
			a.Str()
		case 1:
			a.Bytes()
			if tag, _ := a.Peek(); tag == abi.TagInt {
				a.Int()
			} else {
				a.Bool()
			}
		case 2:
			a.Str()
			a.Value()
			a.List()
		default:
			for range 3 {
				a.Value()
			}
		}
		if a.Done() == nil && (a.r.Len() != 0 || a.i != a.n) {
			t.Fatalf("done without consuming the input: %d bytes, %d of %d arguments", a.r.Len(), a.i, a.n)
		}
	})
}
