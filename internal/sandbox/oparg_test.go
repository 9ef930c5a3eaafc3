package sandbox

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
	a := newOpArgs(encodeArgs(t, "redis", nil, int64(7), true, []any{"x"}, map[string]any{"k": 1.5}), "kv_call get")
	if s, u, n, b, l, v := a.str(), a.optStr(), a.int(), a.bool(), a.list(), a.value(); s != "redis" || u != "" || n != 7 || !b ||
		len(l) != 1 || v.(map[string]any)["k"] != 1.5 {
		t.Fatalf("read %q %q %d %v %v %v", s, u, n, b, l, v)
	}
	if err := a.done(); err != nil {
		t.Fatal(err)
	}
	up := newOpArgs(encodeArgs(t, "p", int64(1)), "store_call upload")
	if up.str(); func() bool { tag, ok := up.peek(); return tag != abi.TagInt || !ok }() {
		t.Fatal("peek does not see the int")
	}
}

func TestOpArgs_Errors(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
		read func(a *opArgs)
		want string
	}{
		{"not a list", encodeArgs(t)[:0], func(a *opArgs) { a.str() }, "the arguments must be a list value"},
		{"a map", []byte{abi.TagMap, 0, 0, 0, 0}, func(a *opArgs) {}, "must be a list value"},
		{"missing", encodeArgs(t, "a"), func(a *opArgs) { a.str(); a.str() }, "argument 2 is missing"},
		{"extra", encodeArgs(t, "a", "b"), func(a *opArgs) { a.str() }, "takes 1 arguments, got 2"},
		{"wrong kind", encodeArgs(t, int64(1)), func(a *opArgs) { a.str() }, "argument 1 must be a string, got an int"},
		{"bool for int", encodeArgs(t, true), func(a *opArgs) { a.int() }, "must be an int, got a bool"},
		{"string for bool", encodeArgs(t, "x"), func(a *opArgs) { a.bool() }, "must be a bool, got a string"},
		{"map for list", encodeArgs(t, map[string]any{}), func(a *opArgs) { a.list() }, "must be a list, got a map"},
		{"truncated", encodeArgs(t, "abc")[:8], func(a *opArgs) { a.str() }, "malformed arguments"},
		{"trailing", append(encodeArgs(t, "a"), 0), func(a *opArgs) { a.str() }, "takes 1 arguments"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newOpArgs(tc.b, "store_call test")
			tc.read(a)
			if err := a.done(); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "sandbox: store_call test: ") {
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
		a := newOpArgs(b, "fuzz")
		switch shape % 4 {
		case 0:
			a.str()
			a.str()
			a.optStr()
			a.str()
		case 1:
			a.bytes()
			if tag, _ := a.peek(); tag == abi.TagInt {
				a.int()
			} else {
				a.bool()
			}
		case 2:
			a.str()
			a.value()
			a.list()
		default:
			for range 3 {
				a.value()
			}
		}
		if a.done() == nil && (a.r.Len() != 0 || a.i != a.n) {
			t.Fatalf("done without consuming the input: %d bytes, %d of %d arguments", a.r.Len(), a.i, a.n)
		}
	})
}
