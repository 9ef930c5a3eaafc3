package sdk_test

import (
	"testing"

	"github.com/walkerhost/walkerhost/sdk"
)

// The permission calls' behaviour on the host is in the conformance kit
// (internal/tck, "Permissions").

func TestPermLevel_String(t *testing.T) {
	for l, want := range map[sdk.PermLevel]string{
		sdk.NoAccess: "NO_ACCESS", sdk.Read: "READ", sdk.Connect: "CONNECT", sdk.Write: "WRITE", 7: "PermLevel(7)",
	} {
		if got := l.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(l), got, want)
		}
	}
	if sdk.NoAccess != -1 || sdk.Read != 0 || sdk.Connect != 1 || sdk.Write != 2 {
		t.Error("levels differ from docs/PERMISSIONS.md")
	}
}
