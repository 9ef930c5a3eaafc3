package sandbox

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/walkerhost/walkerhost/internal/testenv/wasmbomb"
)

// loadIn loads wasm in a new engine caching in dir, instantiates it once
// and closes the engine: one start of a host.
func loadIn(t *testing.T, dir string, wasm []byte) *Engine {
	t.Helper()
	ctx := context.Background()
	e, err := NewEngine(ctx, Options{CacheDir: dir, Limits: Limits{Timeout: 1e10, MemoryMB: 64, MaxHandles: 16, PoolSize: 1},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(ctx)
	if e.disk == nil {
		t.Skip("the test binary's build id is unknown: no disk cache")
	}
	m, err := e.Load(ctx, "cached", wasm)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Probe(ctx); err != nil {
		t.Fatal(err)
	}
	return e
}

// entryOf returns the path of the one disk cache entry in dir and the
// entry.
func entryOf(t *testing.T, dir string) (string, *prepared) {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(dir, "walkerhost", "*"))
	if len(paths) != 1 {
		t.Fatalf("disk cache entries: %v, want one", paths)
	}
	b, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	e, err := decodeEntry(b)
	if err != nil {
		t.Fatalf("entry %s: %v", paths[0], err)
	}
	return paths[0], e
}

// TestDiskCache_Damaged: a start after a cache file was truncated,
// garbled (anywhere, also where wazero's own checksum does not look),
// removed, or written by another build loads the module, notices what is
// damaged, and leaves a sound entry naming a sound wazero file.
func TestDiskCache_Damaged(t *testing.T) {
	wasm := wasmbomb.Spec{Manifest: wasmbomb.PublicManifest}.Build()
	garble := func(at func(n int) int) func(t *testing.T, path string) {
		return func(t *testing.T, path string) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			b[at(len(b))] ^= 0x5a
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	truncate := func(t *testing.T, path string) {
		if err := os.Truncate(path, 10); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name   string
		wazero bool // damage wazero's file, else the entry
		damage func(t *testing.T, path string)
		broken int // damaged files the second start must notice
	}{
		{"wazero file truncated", true, truncate, 1},
		{"wazero file emptied", true, func(t *testing.T, p string) { os.WriteFile(p, nil, 0o600) }, 1},
		{"wazero function offsets garbled", true, garble(func(int) int { return 30 }), 1},
		{"wazero machine code garbled", true, garble(func(n int) int { return n / 2 }), 1},
		{"wazero file removed", true, func(t *testing.T, p string) { os.Remove(p) }, 1},
		{"entry truncated", false, truncate, 1},
		{"entry garbled", false, garble(func(n int) int { return n / 2 }), 1},
		{"entry of another build", false, func(t *testing.T, p string) {
			os.Rename(p, filepath.Join(filepath.Dir(p), "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"))
		}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			loadIn(t, dir, wasm)
			path, e := entryOf(t, dir)
			if e.file == "" || checkFile(filepath.Join(dir, e.file), e.size, e.crc) != nil {
				t.Fatalf("first start: the entry names wazero file %q", e.file)
			}
			if tc.wazero {
				path = filepath.Join(dir, e.file)
			}
			tc.damage(t, path)

			eng := loadIn(t, dir, wasm)
			if eng.disk.broken != tc.broken {
				t.Errorf("noticed %d damaged files, want %d", eng.disk.broken, tc.broken)
			}
			if tc.name == "entry of another build" {
				os.Remove(filepath.Join(dir, "walkerhost", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"))
			}
			_, e = entryOf(t, dir)
			if e.file == "" || checkFile(filepath.Join(dir, e.file), e.size, e.crc) != nil {
				t.Fatalf("after the restart: the entry names wazero file %q, unsound", e.file)
			}
			if eng := loadIn(t, dir, wasm); eng.disk.broken != 0 {
				t.Fatalf("third start noticed %d damaged files", eng.disk.broken)
			}
		})
	}
}

// TestDiskCache_WazeroUnreadable: a wazero cache file that no entry
// vouches for (an older cache) and that wazero cannot read is removed and
// the module compiled again, where wazero alone would fail the load.
func TestDiskCache_WazeroUnreadable(t *testing.T) {
	wasm := wasmbomb.Spec{Manifest: wasmbomb.PublicManifest}.Build()
	dir := t.TempDir()
	loadIn(t, dir, wasm)
	entry, e := entryOf(t, dir)
	os.Remove(entry)
	if err := os.Truncate(filepath.Join(dir, e.file), 20); err != nil {
		t.Fatal(err)
	}
	if eng := loadIn(t, dir, wasm); eng.disk.broken == 0 {
		t.Fatal("the unreadable file went unnoticed")
	}
	if _, e := entryOf(t, dir); checkFile(filepath.Join(dir, e.file), e.size, e.crc) != nil {
		t.Fatal("no sound wazero file after the restart")
	}
}

// TestDiskCache_Hammer: hosts starting at once on one cache directory, as
// processes sharing it do, each load the module, whatever the others are
// writing; the cache is sound afterwards.
func TestDiskCache_Hammer(t *testing.T) {
	wasm := wasmbomb.Spec{Manifest: wasmbomb.PublicManifest}.Build()
	dir := t.TempDir()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				loadIn(t, dir, wasm)
			}
		}()
	}
	wg.Wait()
	if eng := loadIn(t, dir, wasm); eng.disk.broken != 0 {
		t.Fatalf("a start after the hammer noticed %d damaged files", eng.disk.broken)
	}
}

// TestEntry_Roundtrip: an entry decodes to what was encoded, and every
// shorter prefix is refused.
func TestEntry_Roundtrip(t *testing.T) {
	e := &prepared{wasm: []byte("\x00asm code"), globals: []uint32{3, 7}, file: "wazero-x/abc", size: 12, crc: 99}
	e.shape.Functions, e.shape.MaxDepth, e.shape.MaxLocals = 5, 6, 7
	b := encodeEntry(e)
	d, err := decodeEntry(b)
	if err != nil || string(d.wasm) != string(e.wasm) || len(d.globals) != 2 || d.globals[1] != 7 || d.file != e.file ||
		d.size != 12 || d.crc != 99 || d.shape.MaxLocals != 7 {
		t.Fatalf("roundtrip: %+v %v", d, err)
	}
	for n := range len(b) {
		if _, err := decodeEntry(b[:n]); err == nil {
			t.Fatalf("a %d-byte prefix decoded", n)
		}
	}
}

// FuzzDecodeEntry: the entry decoder never panics and only accepts what
// encodes back to the same bytes.
func FuzzDecodeEntry(f *testing.F) {
	f.Add(encodeEntry(&prepared{wasm: []byte("x"), globals: []uint32{1}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := decodeEntry(b)
		if err == nil && string(encodeEntry(e)) != string(b) {
			t.Fatal("accepted bytes that do not encode back")
		}
	})
}
