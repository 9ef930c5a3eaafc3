package sdk_test

import (
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

// FuzzHandleRequest feeds arbitrary bytes as a request record: the SDK must
// never panic out of HandleRecord, and must answer StatusBadRequest to any
// record that does not decode.
func FuzzHandleRequest(f *testing.F) {
	f.Add(echoRecord(map[string]any{"s": "x"}))
	f.Add(sdktest.Record(abi.KindWalker, "tour", 1, 1, 0, map[string]any{"skip_at": "a"}))
	f.Add(sdktest.Record(abi.KindWalker, "call_secret", 1, 1, 0, nil))
	f.Add(sdktest.Record(abi.KindFunction, "add", 1, 1, 0, map[string]any{"a": 1, "b": 2}))
	f.Add([]byte{1, 0xFF, 0xFF, 0xFF, 0xFF})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, record []byte) {
		res := sdktest.New().Run(record)
		switch res.Status {
		case abi.StatusOK, abi.StatusFailed, abi.StatusBadRequest, abi.StatusPanicked:
		default:
			t.Fatalf("status %d is not an ABI status", res.Status)
		}
		if !decodes(record) && res.Status != abi.StatusBadRequest {
			t.Fatalf("undecodable record got status %d", res.Status)
		}
	})
}

// decodes is an independent check that record has the shape of ABI.md's
// request record.
func decodes(record []byte) bool {
	r := abi.NewReader(record)
	kind := r.Byte()
	r.Str()
	r.U32()
	r.U32()
	r.U32()
	if r.Peek() != abi.TagMap {
		return false
	}
	r.Skip()
	return (kind == abi.KindWalker || kind == abi.KindFunction) && r.Done() == nil
}
