package server_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/identity"
	"github.com/walkerhost/walkerhost/internal/manifest"
	"github.com/walkerhost/walkerhost/internal/server"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestHostRoutes: the host routes a server registers are the ones module
// manifests are checked against (manifest.HostRoutes), so that no module
// that passed the check can make the router refuse a route.
func TestHostRoutes(t *testing.T) {
	ctx := context.Background()
	eng := newEngine(t)
	mod, err := eng.Load(ctx, "hello", testenv.Guest(t, "hello"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := server.New(server.Options{Module: mod, APIKeys: identity.NewAPIKeys(db, "pepper")})
	got := []manifest.Route{{Method: "GET", Path: "/docs/{file}"}, {Method: "GET", Path: "/redoc/{file}"}} // the docs' assets, not listed in Routes
	for _, r := range s.Routes() {
		if r.Kind != server.KindWalker && r.Kind != server.KindFunction && r.Kind != server.KindWebhook {
			got = append(got, manifest.Route{Method: r.Method, Path: r.Path})
		}
	}
	want := slices.Clone(manifest.HostRoutes)
	cmp := func(a, b manifest.Route) int { return strings.Compare(a.String(), b.String()) }
	slices.SortFunc(got, cmp)
	slices.SortFunc(want, cmp)
	if !slices.Equal(got, want) {
		t.Fatalf("server's host routes:\n%v\nmanifest.HostRoutes:\n%v", got, want)
	}
}
