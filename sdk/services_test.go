package sdk_test

import (
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/sdk"
	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

// Storage, uploads and key-value stores on the host are in the conformance
// kit (internal/tck, "Storage", "Uploads", "Key-value stores"); what stays
// here is the SDK's own checks, made before any host call.

func TestFile_FieldChecks(t *testing.T) {
	h := sdktest.New()
	if res := h.Call("attach", map[string]any{}); res.Err() == nil || !strings.Contains(res.Err().Error(), `missing required field "doc"`) {
		t.Fatalf("without the file: %v", res.Err())
	}
	if res := h.Call("attach", map[string]any{"doc": "text"}); res.Err() == nil || !strings.Contains(res.Err().Error(), `"doc" is not of type file`) {
		t.Fatalf("text for a file: %v", res.Err())
	}
}

func TestKV_UnencodableValue(t *testing.T) {
	sdktest.New()
	if err := sdk.KVStore("shop", sdk.MongoDB).Set("k", struct{}{}); err == nil {
		t.Fatal("a value the SDK cannot encode was accepted")
	}
}
