package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// open opens a store in a fresh directory and closes it when the test ends.
func open(t testing.TB) *DB {
	t.Helper()
	db, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// put writes key=val into (app, kind) in its own Update.
func put(t testing.TB, db *DB, app, kind, key, val string) {
	t.Helper()
	err := db.Update(func(tx *Tx) error { return tx.Bucket(app, kind).Put([]byte(key), []byte(val)) })
	if err != nil {
		t.Fatal(err)
	}
}

// get reads key from (app, kind) in its own View; "" when absent.
func get(t testing.TB, db *DB, app, kind, key string) string {
	t.Helper()
	var v []byte
	if err := db.View(func(tx *Tx) error { v = tx.Bucket(app, kind).Get([]byte(key)); return nil }); err != nil {
		t.Fatal(err)
	}
	return string(v)
}

func TestOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
		t.Fatalf("got %v, want %s created", err, FileName)
	}
	if db.Dir() != dir {
		t.Fatalf("got Dir %q, want %q", db.Dir(), dir)
	}
}

func TestOpen_Errors(t *testing.T) {
	old := lockTimeout
	lockTimeout = 50 * time.Millisecond
	defer func() { lockTimeout = old }()

	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, dir string
		want      error
	}{
		{"locked by another open", dir, ErrLocked},
		{"directory is a file", file, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db2, err := Open(tc.dir)
			if err == nil {
				db2.Close()
				t.Fatal("got nil error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestDB_Persistence(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	put(t, db, "app", "kind", "k", "v")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := get(t, db, "app", "kind", "k"); got != "v" {
		t.Fatalf("got %q after reopen, want %q", got, "v")
	}
}

func TestValidName(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"simple", "todo", true},
		{"mixed", "My_App-2.v1", true},
		{"max length", "a" + repeat('b', maxName-1), true},
		{"empty", "", false},
		{"too long", repeat('a', maxName+1), false},
		{"leading dot", ".app", false},
		{"leading underscore", "_host", false},
		{"slash", "a/b", false},
		{"space", "a b", false},
		{"non ascii", "äpp", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidName(tc.in)
			if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrBadName)) {
				t.Fatalf("got %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func repeat(c byte, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = c
	}
	return string(b)
}
