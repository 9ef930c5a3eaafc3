package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goodImage returns the bytes of a closed store holding some data, and its
// meta.
func goodImage(t testing.TB) ([]byte, boltMeta) {
	t.Helper()
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		put(t, db, "app", "kind", fmt.Sprintf("key-%04d", i), strings.Repeat("v", 200))
	}
	if err := db.Update(func(tx *Tx) error { return tx.Bucket("app", "kind").Delete([]byte("key-0001")) }); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	m, why := parseBoltMeta(b)
	if why != "" {
		t.Fatalf("the store's own meta page: %s", why)
	}
	if m1, _ := parseBoltMeta(b[m.pageSize:]); m1.txid > m.txid {
		m = m1
	}
	return b, m
}

// openImage writes b as data.db in a fresh directory and opens it.
func openImage(t testing.TB, b []byte) (string, *DB, error) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := Open(dir)
	if err == nil {
		t.Cleanup(func() { db.Close() })
	}
	return path, db, err
}

// TestOpen_Corrupted: a damaged data.db is refused with an error naming the
// file, what is wrong and what to do; it never panics or faults. A file
// with one good meta page, or an empty one, opens.
func TestOpen_Corrupted(t *testing.T) {
	good, m := goodImage(t)
	ps := int(m.pageSize)
	edit := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	zero := func(off, n int) []byte {
		return edit(func(b []byte) []byte { clear(b[off : off+n]); return b })
	}
	flip := func(offs ...int) []byte {
		return edit(func(b []byte) []byte {
			for _, o := range offs {
				b[o] ^= 0xff
			}
			return b
		})
	}
	garbage := make([]byte, 64<<10)
	for i := range garbage {
		garbage[i] = byte(rand.N(256))
	}
	meta := boltHeaderSize  // where a meta page's meta starts
	end := int(m.pgid) * ps // the end of the last page in use
	tests := []struct {
		name string
		file []byte
		want string // "" when the file must open
	}{
		{"intact", good, ""},
		{"empty file is a new store", []byte{}, ""},
		{"first meta page damaged, second good", flip(meta + 20), ""},
		{"one byte", good[:1], "too short"},
		{"100 bytes", good[:100], "truncated"},
		{"79 bytes", good[:79], "too short"},
		{"one page", good[:ps], "truncated"},
		{"two pages", good[:2*ps], "truncated"},
		{"half", good[:len(good)/2/ps*ps], "truncated"},
		{"last page missing", good[:end-ps], "truncated"},
		{"one byte short", good[:end-1], "not a whole number"},
		{"slack after the last page cut", good[:end], ""},
		{"both checksums", flip(meta+60, ps+meta+60), "checksum mismatch"},
		{"both meta pages zeroed", edit(func(b []byte) []byte {
			clear(b[:2*ps])
			return b
		}), "damaged"},
		{"both magics", flip(meta, ps+meta), "not a database file"},
		{"freelist page zeroed", zero(int(m.freelist)*ps, ps), "freelist page"},
		{"freelist page flags", flip(int(m.freelist)*ps + 8), "freelist page"},
		{"root page zeroed", zero(int(m.root)*ps, ps), "root page"},
		{"random bytes", garbage, "both meta pages are damaged"},
		{"a text file", []byte("not a database\n"), "too short"},
		{"a longer text file", bytes.Repeat([]byte("not a database\n"), 1000), "both meta pages are damaged (not a meta page)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path, db, err := openImage(t, tc.file)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if err := db.View(func(*Tx) error { return nil }); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("a damaged file was opened")
			}
			msg := err.Error()
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(msg, path) || !strings.Contains(msg, tc.want) ||
				!strings.Contains(msg, "restore it from a backup, or move it aside") {
				t.Fatalf("got %q, want ErrCorrupt naming %s and %q", msg, path, tc.want)
			}
		})
	}
}

// TestOpen_CorruptedMetaPageSize: a first meta page with a valid checksum
// but a page size bbolt cannot use is damage, not a reason to read pages at
// arbitrary offsets.
func TestOpen_CorruptedMetaPageSize(t *testing.T) {
	good, _ := goodImage(t)
	for _, ps := range []uint32{0, 3, 512, 1 << 30} {
		b := bytes.Clone(good)
		for _, off := range []int{0, int(binary.LittleEndian.Uint32(good[boltHeaderSize+8:]))} {
			m := b[off+boltHeaderSize:]
			binary.LittleEndian.PutUint32(m[8:], ps)
			binary.LittleEndian.PutUint64(m[56:], fnv64a(m[:56]))
		}
		if _, _, err := openImage(t, b); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("page size %d: got %v", ps, err)
		}
	}
}

func fnv64a(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// FuzzOpen: whatever data.db holds, Open returns a store or an error; it
// never panics or faults. Accepted files answer a read transaction.
func FuzzOpen(f *testing.F) {
	good, m := goodImage(f)
	ps := int(m.pageSize)
	f.Add(good)
	f.Add(good[:2*ps])
	f.Add(good[:len(good)-ps])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := checkBoltImage("data.db", bytes.NewReader(b), int64(len(b))); err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("not ErrCorrupt: %v", err)
			}
			return
		}
		_, db, err := openImage(t, b)
		if err == nil {
			err = db.View(func(*Tx) error { return nil })
		}
		_ = err
	})
}
