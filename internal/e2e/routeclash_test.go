package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/host"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// The modules whose routes clash, and the loader's sentence for each.
var clashes = []struct{ guest, msg string }{
	{"hostroute", `walker "x" route GET /healthz clashes with the host route GET /healthz`},
	{"duproute", `walker "b" route POST /dup clashes with walker "a" route POST /dup`},
}

// TestAdmin_RouteClash: a module with a walker on a host route, or two on
// one method and path, is refused at upload with a sentence naming both
// routes; the app keeps its version and the host keeps serving.
func TestAdmin_RouteClash(t *testing.T) {
	h := startTwoApps(t)
	if r := upload(t, h.URL, "svc", testenv.VersionGuest(t, "v1")); r.Status != 201 {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	for _, tc := range clashes {
		t.Run(tc.guest, func(t *testing.T) {
			wantErr(t, tc.guest, upload(t, h.URL, "svc", testenv.BadGuest(t, tc.guest)), 422, "VALIDATION_ERROR", tc.msg)
			if list := modules(t, h.URL, "svc"); list.Active != 1 || len(list.Versions) != 1 {
				t.Fatalf("after a refused upload: %+v, want version 1 alone and active", list)
			}
			if got := version(t, h.URL+"/apps/svc"); got != "v1" {
				t.Fatalf("serving %q after a refused upload", got)
			}
			if r := testenv.Do(t, "GET", h.URL+"/healthz", nil, ""); r.Status != 200 {
				t.Fatalf("healthz: %d %s", r.Status, r.Body)
			}
		})
	}
}

// TestStart_RouteClash: the same modules given to jac start, or to an app
// of the configuration, stop the start with the same sentence.
func TestStart_RouteClash(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range clashes {
		t.Run(tc.guest, func(t *testing.T) {
			wasm := testenv.BadGuest(t, tc.guest)
			_, err := host.Open(context.Background(), testenv.Config(t), tc.guest, wasm, log)
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("module given to start: %v, want %q", err, tc.msg)
			}
			cfg := testenv.Config(t)
			cfg.Apps = []config.App{{Name: "shop", Module: moduleFile(t, tc.guest, wasm), Limits: cfg}}
			_, err = host.Open(context.Background(), cfg, "hello", testenv.Guest(t, "hello"), log)
			if err == nil || !strings.HasPrefix(err.Error(), "host: apps.shop.module ") || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("module of [apps.shop]: %v, want host: apps.shop.module FILE: ... %q", err, tc.msg)
			}
		})
	}
}

// TestStart_UnservableActiveVersion: a store whose active version of an
// app cannot be served (written by a host that did not check routes) does
// not stop the start: the other apps serve, and /readyz and /metrics name
// the app.
func TestStart_UnservableActiveVersion(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.AdminToken = adminToken
	h := testenv.Start(t, cfg, "hello", testenv.Guest(t, "hello"))
	for _, app := range []string{"svc", "other"} {
		if r := upload(t, h.URL, app, testenv.VersionGuest(t, "v1")); r.Status != 201 {
			t.Fatalf("upload: %d %s", r.Status, r.Body)
		}
	}
	h.Stop()
	storeActive(t, cfg.DataDir, "svc", 2, testenv.BadGuest(t, "hostroute"))

	h = testenv.Start(t, cfg, "hello", testenv.Guest(t, "hello"))
	if got := version(t, h.URL+"/apps/other"); got != "v1" {
		t.Fatalf("other app: serving %q", got)
	}
	var ready struct {
		Status string
		Checks map[string]string
	}
	r := testenv.Do(t, "GET", h.URL+"/readyz", nil, "")
	r.Decode(t, &ready)
	want := "app svc: version 2 cannot be served on this replica, serving none: "
	if r.Status != 200 || ready.Status != "degraded" || !strings.HasPrefix(ready.Checks["activation"], want) ||
		!strings.Contains(ready.Checks["activation"], clashes[0].msg) {
		t.Fatalf("readyz: %d %s, want 200 degraded with %q", r.Status, r.Body, want)
	}
	if got := scrape(t, h.URL)[`jac_app_activation_failed{app="svc"}`]; got != 1 {
		t.Fatalf("jac_app_activation_failed of svc: %v, want 1", got)
	}
	if r := upload(t, h.URL, "svc", testenv.VersionGuest(t, "v2")); r.Status != 201 || version(t, h.URL+"/apps/svc") != "v2" {
		t.Fatalf("a new version: %d %s", r.Status, r.Body)
	}
	r = testenv.Do(t, "GET", h.URL+"/readyz", nil, "")
	r.Decode(t, &ready)
	if ready.Status != "ready" || scrape(t, h.URL)[`jac_app_activation_failed{app="svc"}`] != 0 {
		t.Fatalf("after a new version: %s", r.Body)
	}
}

// storeActive writes wasm as version n of app, active, into the store of
// the data directory dir, as a host that did not check modules would have
// (the layout of internal/apps/versions.go).
func storeActive(t *testing.T, dir, app string, n uint64, wasm []byte) {
	t.Helper()
	db, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *store.Tx) error {
		b := tx.Bucket(app, "modules")
		meta := fmt.Sprintf(`{"version":%d,"size":%d,"sha256":"","created":"2026-01-01T00:00:00Z"}`, n, len(wasm))
		for k, v := range map[string][]byte{fmt.Sprintf("w/%016d", n): wasm, fmt.Sprintf("m/%016d", n): []byte(meta), "active": []byte(strconv.FormatUint(n, 10))} {
			if err := b.Put([]byte(k), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAdmin_DrainDeadline: a walker that spins until its time limit is in
// the version being replaced: the activation succeeds, and the spinning
// request ends at its own deadline with the time limit's error.
func TestAdmin_DrainDeadline(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.AdminToken = adminToken
	cfg.RequestTimeout = 2 * time.Second
	h := testenv.Start(t, cfg, "hello", testenv.Guest(t, "hello"))
	if r := upload(t, h.URL, "spinner", testenv.Guest(t, "hostile")); r.Status != 201 {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	if r := testenv.DoRaw(t, "POST", h.URL+"/admin/apps/spinner/modules", "application/wasm", testenv.VersionGuest(t, "v1"), adminToken); r.Status != 201 {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	spun := make(chan *testenv.Response, 1)
	go func() { spun <- testenv.Do(t, "POST", h.URL+"/apps/spinner/walker/spin", `{}`, "") }()
	for scrape(t, h.URL)[`jac_pool_instances{module="spinner",state="in_use"}`] != 1 {
		if len(spun) > 0 {
			t.Fatalf("spin ended before it was seen running: %s", (<-spun).Body)
		}
		time.Sleep(5 * time.Millisecond) // until the spin runs
	}
	activate(t, h.URL, "spinner", "2")
	if got := version(t, h.URL+"/apps/spinner"); got != "v1" {
		t.Fatalf("after the activation: serving %q", got)
	}
	wantErr(t, "spin", <-spun, 504, "LIMIT_EXCEEDED", "time limit exceeded (2s)")
}
