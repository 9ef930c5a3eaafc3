package sdk_test

import (
	"reflect"
	"testing"

	"github.com/walkerhost/walkerhost/sdk"
	"github.com/walkerhost/walkerhost/sdk/internal/fakehost"
	"github.com/walkerhost/walkerhost/sdk/sdktest"
)

const otherRoot = "0123456789abcdef0123456789abcdef"

func runPerms(t *testing.T, h *sdktest.Host, fields map[string]any) map[string]any {
	t.Helper()
	res := h.Call("perms", fields)
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	if len(res.Reports) != 1 {
		t.Fatalf("reports = %v, want one", res.Reports)
	}
	return res.Reports[0].(map[string]any)
}

func TestPerm_CallsReachTheHost(t *testing.T) {
	h := sdktest.New()
	out := runPerms(t, h, map[string]any{"root": otherRoot, "level": int(sdk.Connect)})
	for _, k := range []string{"grant", "allow", "edge_grant", "root_allow"} {
		if out[k] != "ok" {
			t.Errorf("%s = %v, want ok", k, out[k])
		}
	}
	want := sdktest.ACL{Everyone: sdk.Connect, HasEveryone: true, Roots: map[string]sdk.PermLevel{otherRoot: sdk.Connect}}
	if got := h.ACL(out["id"].(string)); !reflect.DeepEqual(got, want) {
		t.Errorf("item ACL = %+v, want %+v", got, want)
	}
	if got := h.ACL(out["edge"].(string)); got.Everyone != sdk.Read || !got.HasEveryone {
		t.Errorf("edge ACL = %+v, want a READ grant to everyone", got)
	}
	if got := h.ACL(h.RootID()); got.Roots[otherRoot] != sdk.Connect {
		t.Errorf("root ACL = %+v, want CONNECT for %s", got, otherRoot)
	}
}

func TestPerm_RevokeAndDisallow(t *testing.T) {
	h := sdktest.New()
	out := runPerms(t, h, map[string]any{"root": otherRoot, "level": int(sdk.Write), "undo": true})
	if out["revoke"] != "ok" || out["disallow"] != "ok" {
		t.Fatalf("undo = %v / %v, want ok", out["revoke"], out["disallow"])
	}
	if got := h.ACL(out["id"].(string)); got.HasEveryone || len(got.Roots) != 0 {
		t.Errorf("item ACL after undo = %+v, want empty", got)
	}
}

func TestPerm_BadArguments(t *testing.T) {
	h := sdktest.New()
	out := runPerms(t, h, map[string]any{"root": otherRoot, "level": 3})
	if out["grant"] != "bad argument" || out["allow"] != "bad argument" {
		t.Errorf("level 3: grant %v, allow %v, want bad argument", out["grant"], out["allow"])
	}
	out = runPerms(t, h, map[string]any{"root": "", "level": 0})
	if out["grant"] != "ok" || out["allow"] != "bad argument" {
		t.Errorf("empty root id: grant %v, allow %v, want ok and bad argument", out["grant"], out["allow"])
	}
}

func TestPerm_DeniedIsErrDenied(t *testing.T) {
	h := sdktest.New()
	h.DenyPermissions(true)
	out := runPerms(t, h, map[string]any{"root": otherRoot, "level": 0, "undo": true})
	for _, k := range []string{"grant", "allow", "edge_grant", "root_allow", "revoke", "disallow"} {
		if out[k] != "denied" {
			t.Errorf("%s = %v, want denied", k, out[k])
		}
	}
	if got := h.ACL(out["id"].(string)); got.HasEveryone || got.Roots != nil {
		t.Errorf("a denied call changed the ACL: %+v", got)
	}
}

// A denial the guest ignores is not taken, so the host lists it as a
// warning; one it looks at is taken.
func TestPerm_IgnoredDenialIsNotTaken(t *testing.T) {
	h := sdktest.New()
	h.DenyPermissions(true)
	h.Call("perms", map[string]any{"ignore": true})
	if fakehost.Active().ErrorTaken {
		t.Error("ignored denial was taken")
	}
	runPerms(t, h, map[string]any{"root": otherRoot})
	if !fakehost.Active().ErrorTaken {
		t.Error("inspected denial was not taken")
	}
}

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
