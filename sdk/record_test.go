package sdk_test

import (
	"reflect"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

func echoRecord(fields map[string]any) []byte {
	return sdktest.Record(abi.KindWalker, "echo", 1, 1, abi.TypeRoot, fields)
}

func TestHandleRecord_Status(t *testing.T) {
	valid := echoRecord(map[string]any{"s": "x"})
	listFields := append(abi.AppendU32(abi.AppendStr([]byte{abi.KindWalker}, "echo"), 1), abi.AppendU32(abi.AppendU32(nil, 1), 0)...)
	listFields = abi.AppendListHeader(listFields, 0)
	tests := []struct {
		name   string
		record []byte
		want   abi.Status
	}{
		{"valid walker", valid, abi.StatusOK},
		{"valid function", sdktest.Record(abi.KindFunction, "add", 1, 1, 0, map[string]any{"a": 1, "b": 2}), abi.StatusOK},
		{"empty", nil, abi.StatusBadRequest},
		{"truncated", valid[:len(valid)-1], abi.StatusBadRequest},
		{"trailing byte", append(append([]byte(nil), valid...), 0), abi.StatusBadRequest},
		{"fields not a map", listFields, abi.StatusBadRequest},
		{"kind 0", sdktest.Record(0, "echo", 1, 1, 0, map[string]any{"s": "x"}), abi.StatusBadRequest},
		{"kind 3", sdktest.Record(3, "echo", 1, 1, 0, map[string]any{"s": "x"}), abi.StatusBadRequest},
		{"walker as function", sdktest.Record(abi.KindFunction, "echo", 1, 1, 0, map[string]any{"s": "x"}), abi.StatusBadRequest},
		{"unknown walker", sdktest.Record(abi.KindWalker, "nope", 1, 1, 0, nil), abi.StatusBadRequest},
		{"missing required field", echoRecord(nil), abi.StatusBadRequest},
		{"string field given an int", echoRecord(map[string]any{"s": 5}), abi.StatusBadRequest},
		{"int field given a fraction", echoRecord(map[string]any{"s": "x", "i": 2.5}), abi.StatusBadRequest},
		{"int field given an integral float", echoRecord(map[string]any{"s": "x", "i": 2.0}), abi.StatusOK},
		{"string list given a number", echoRecord(map[string]any{"s": "x", "sl": []any{"a", 1}}), abi.StatusBadRequest},
		{"list field given a map", echoRecord(map[string]any{"s": "x", "l": map[string]any{}}), abi.StatusBadRequest},
		{"unknown field ignored", echoRecord(map[string]any{"s": "x", "zzz": 1}), abi.StatusOK},
		{"null for optional field", echoRecord(map[string]any{"s": "x", "os": nil, "i": nil}), abi.StatusOK},
	}
	h := sdktest.New()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := h.Run(tc.record)
			if res.Status != tc.want {
				t.Fatalf("status = %d, want %d (output %v)", res.Status, tc.want, res.Output)
			}
			if tc.want == abi.StatusBadRequest {
				if _, ok := res.Output.(string); !ok {
					t.Errorf("bad request output = %#v, want a message", res.Output)
				}
			}
		})
	}
}

func TestHandleRecord_Fields(t *testing.T) {
	tests := []struct {
		name   string
		fields map[string]any
		want   map[string]any
	}{
		{"defaults", map[string]any{"s": "x"}, map[string]any{
			"s": "x", "i": int64(7), "i64": int64(0), "f": 1.5, "b": true, "l": []any{"x", "walked"},
			"o": map[string]any{}, "a": nil, "os": nil, "ob": nil, "oi": nil, "of": nil, "sl": []any{},
		}},
		{"all given", map[string]any{
			"s": "y", "i": -1, "i64": int64(1 << 40), "f": 2, "b": false, "l": []any{1}, "o": map[string]any{"k": "v"},
			"a": []any{nil}, "os": "", "ob": false, "oi": 0, "of": 0.5, "sl": []any{"p", "q"},
		}, map[string]any{
			"s": "y", "i": int64(-1), "i64": int64(1 << 40), "f": 2.0, "b": false, "l": []any{int64(1), "walked"},
			"o": map[string]any{"k": "v"}, "a": []any{nil}, "os": "", "ob": false, "oi": int64(0), "of": 0.5, "sl": []any{"p", "q"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := sdktest.New().Call("echo", tc.fields)
			if err := res.Err(); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res.Output, tc.want) {
				t.Errorf("output = %#v\nwant %#v", res.Output, tc.want)
			}
		})
	}
}

func TestHandleRecord_DefaultsAreNotShared(t *testing.T) {
	h := sdktest.New()
	for range 2 {
		out := h.Call("echo", map[string]any{"s": "x"}).Output.(map[string]any)
		if l := out["l"].([]any); len(l) != 2 {
			t.Fatalf("list default changed by an earlier request: %v", l)
		}
	}
}
