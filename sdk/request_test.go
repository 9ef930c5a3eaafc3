package sdk_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

// rawRecord encodes a walker record spawned on the root whose field map
// holds the key/value pairs kv in order, repeated keys included.
func rawRecord(walker string, kv ...any) []byte {
	b := abi.AppendStr([]byte{abi.KindWalker}, walker)
	b = abi.AppendU32(abi.AppendU32(abi.AppendU32(b, 1), 1), abi.TypeRoot)
	b = abi.AppendMapHeader(b, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		b = abi.AppendStr(b, kv[i].(string))
		b, _ = abi.AppendValue(b, kv[i+1])
	}
	return b
}

func TestPanicked(t *testing.T) {
	const nilMap = "panic: assignment to entry in nil map"
	tests := []struct {
		name   string
		run    func(h *sdktest.Host) sdktest.Result
		status abi.Status
		output string
	}{
		{"walker", func(h *sdktest.Host) sdktest.Result { return h.Call("panic", nil) }, abi.StatusPanicked, nilMap},
		{"function", func(h *sdktest.Host) sdktest.Result { return h.Func("panic_fn", nil) }, abi.StatusPanicked, nilMap},
		{"spawned walker's, returned", func(h *sdktest.Host) sdktest.Result { return h.Call("spawn_panic", nil) },
			abi.StatusPanicked, nilMap},
		{"spawned walker's, wrapped", func(h *sdktest.Host) sdktest.Result {
			return h.Call("spawn_panic", map[string]any{"wrap": true})
		}, abi.StatusPanicked, "spawned: " + nilMap},
		{"returned error", func(h *sdktest.Host) sdktest.Result { return h.Call("fail", nil) }, abi.StatusFailed, "boom"},
		{"while binding", func(h *sdktest.Host) sdktest.Result {
			panicInFields = true
			defer func() { panicInFields = false }()
			return h.Call("bad_fields", nil)
		}, abi.StatusBadRequest, "sdk: bad request: bad_fields: panic: no fields today"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := tourGraph()
			res := tc.run(h)
			if res.Status != tc.status || res.Output != tc.output {
				t.Fatalf("status %d output %#v, want %d %q", res.Status, res.Output, tc.status, tc.output)
			}
			// The SDK recovers: the next request on the instance walks as usual.
			next := h.Call("tour", nil)
			if err := next.Err(); err != nil || len(next.Reports) != 5 {
				t.Fatalf("next request: %v, reports %v", err, next.Reports)
			}
		})
	}
}

func TestResultErr_NamesPanicked(t *testing.T) {
	err := sdktest.New().Call("panic", nil).Err()
	if err == nil || !strings.Contains(err.Error(), "status panicked") {
		t.Fatalf("Err() = %v", err)
	}
}

// Fields are decoded straight into the walker's bindings; a request must
// still behave as if its field map had been decoded into a Go map first.
func TestHandleRecord_AsIfDecodedIntoAMap(t *testing.T) {
	tests := []struct {
		name   string
		record []byte
		status abi.Status
		output any // the whole output for a failure, else the value of "s" (and "i" when given as a pair)
	}{
		{"repeated key: last wins", rawRecord("echo", "s", 5, "s", "x"), abi.StatusOK, "x"},
		{"repeated key: last is checked", rawRecord("echo", "s", "x", "s", 5), abi.StatusBadRequest,
			`sdk: bad request: echo: field "s" is not of type string`},
		{"repeated key: last null leaves it unset", rawRecord("echo", "s", "x", "s", nil), abi.StatusBadRequest,
			`sdk: bad request: echo: missing required field "s"`},
		{"repeated int", rawRecord("echo", "s", "y", "i", 1, "i", 2), abi.StatusOK, []any{"y", int64(2)}},
		{"first bad field in declaration order", rawRecord("echo", "b", "no", "i", "no", "s", "x"), abi.StatusBadRequest,
			`sdk: bad request: echo: field "i" is not of type int`},
		{"a bad field before a missing one", rawRecord("echo", "i", "no"), abi.StatusBadRequest,
			`sdk: bad request: echo: field "i" is not of type int`},
		{"optional fields", rawRecord("echo", "s", "z", "os", "o", "ob", true, "oi", 3.0, "of", 2), abi.StatusOK, "z"},
		{"optional field of the wrong type", rawRecord("echo", "s", "z", "oi", 3.5), abi.StatusBadRequest,
			`sdk: bad request: echo: field "oi" is not of type int`},
		{"malformed record of an unknown walker", append(rawRecord("nope"), 0), abi.StatusBadRequest,
			"sdk: bad request: malformed request record"},
	}
	h := sdktest.New()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := h.Run(tc.record)
			if res.Status != tc.status {
				t.Fatalf("status %d (%v), want %d", res.Status, res.Output, tc.status)
			}
			if res.Status != abi.StatusOK {
				if res.Output != tc.output {
					t.Fatalf("output %#v, want %#v", res.Output, tc.output)
				}
				return
			}
			out := res.Output.(map[string]any)
			got := out["s"]
			if _, pair := tc.output.([]any); pair {
				got = []any{out["s"], out["i"]}
			}
			if !reflect.DeepEqual(got, tc.output) {
				t.Fatalf("got %#v, want %#v (output %v)", got, tc.output, out)
			}
		})
	}
}

func TestHandleRecord_OptionalFields(t *testing.T) {
	res := sdktest.New().Run(rawRecord("echo", "s", "z", "os", "o", "ob", true, "oi", 3.0, "of", 2))
	out, _ := res.Output.(map[string]any)
	want := map[string]any{"os": "o", "ob": true, "oi": int64(3), "of": 2.0}
	for k, v := range want {
		if out[k] != v {
			t.Errorf("%s = %#v, want %#v", k, out[k], v)
		}
	}
}

// Node fields stay encoded until read; every accessor must answer as it
// would from the decoded map, before and after Fields decodes it.
func TestNodeFields_Accessors(t *testing.T) {
	h := sdktest.New()
	item := h.AddNode("Item", map[string]any{
		"name": "a", "count": 300, "w": 2.5, "ok": true, "tags": []any{"x"}, "meta": map[string]any{"k": 1},
	})
	h.AddEdge(h.RootID(), item, "Has", nil)
	res := h.Call("inspect", nil)
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"name": "a", "count": int64(300), "w": 2.5, "ok": true, "tags": []any{"x"}, "meta": map[string]any{"k": int64(1)},
		"absent": nil, "str": "a", "str_of_int": "", "int": int64(300), "int_of_float": int64(0), "float": 2.5,
		"float_of_int": 300.0, "bool": true, "bool_of_str": false,
	}
	if !reflect.DeepEqual(res.Reports, []any{[]any{want, want, true}}) {
		t.Fatalf("reports %#v\nwant before and after: %#v", res.Reports, want)
	}
}

func TestDiscard(t *testing.T) {
	h := tourGraph()
	h.Discard(true)
	res := h.Call("tour", nil)
	if res.Status != abi.StatusOK || res.Output != nil || res.Reports != nil || res.Discarded != 5 {
		t.Fatalf("discarding: %+v", res)
	}
	h.Discard(false)
	res = h.Call("tour", nil)
	if res.Discarded != 0 || len(res.Reports) != 5 || res.Output == nil {
		t.Fatalf("keeping: %+v", res)
	}
}
