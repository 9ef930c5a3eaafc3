package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestProcField(t *testing.T) {
	path := filepath.Join(t.TempDir(), "smaps_rollup")
	rollup := "55d0c0000000-7ffd00000000 ---p 00000000 00:00 0 [rollup]\nRss:              231424 kB\nAnonymous:        184320 kB\nSwap:                  0 kB\n"
	if err := os.WriteFile(path, []byte(rollup), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, name string
		want       int64
	}{
		{path, "Anonymous:", 184320 << 10},
		{path, "Rss:", 231424 << 10},
		{path, "Shared_Dirty:", 0},
		{filepath.Join(t.TempDir(), "absent"), "Rss:", 0},
	} {
		if got := procField(c.path, c.name); got != c.want {
			t.Errorf("procField(%s, %q) = %d, want %d", filepath.Base(c.path), c.name, got, c.want)
		}
	}
}

func TestOnlyJac(t *testing.T) {
	want := sections("jac")
	for _, s := range []string{"http", "attack", "tenants", "tiers", "instance", "deploy"} {
		if want(s) {
			t.Errorf("-only jac runs section %s", s)
		}
	}
	if !want("jac") || !sections("")("jac") {
		t.Error("section jac is not run by -only jac or by default")
	}
}
