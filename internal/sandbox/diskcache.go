package sandbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/walkerhost/walkerhost/internal/wasmrewrite"
)

// diskCache keeps, beside wazero's compiled code in the cache directory,
// what the host made of a module's code before compiling it: the
// instrumented module, its exported globals and its shape. A restart with
// an unchanged module then skips the rewrites (a third of a load's CPU)
// and goes straight to wazero, whose own cache holds the machine code.
//
// An entry also names the wazero cache file its code was compiled to, with
// a checksum of the whole file: wazero checks only the machine code, and a
// file damaged elsewhere (its function offsets) would be run. A damaged or
// missing file is removed before wazero looks for it, so wazero compiles
// again; a damaged entry is ignored and rewritten. Entries are keyed by the
// host's build too: another build may instrument differently.
type diskCache struct {
	dir    string // the engine's cache directory
	build  []byte // the host executable's build id
	log    *slog.Logger
	mu     sync.Mutex // serialises the listings around a compilation
	broken int        // entries and wazero files found damaged (tests)
}

// entryMagic starts an entry; the version after it changes with its layout.
const entryMagic = "walkerhost prepared 1\n"

// prepared is a diskCache entry.
type prepared struct {
	wasm    []byte // instrumented module
	globals []uint32
	shape   wasmrewrite.Shape
	file    string // wazero's cache file, relative to the cache directory; "" unknown
	size    int64
	crc     uint32
}

var hostBuild = sync.OnceValue(func() []byte {
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	f, err := elf.Open(exe)
	if err != nil {
		return nil
	}
	defer f.Close()
	s := f.Section(".note.go.buildid")
	if s == nil {
		return nil
	}
	b, err := s.Data()
	if err != nil {
		return nil
	}
	return b
})

// newDiskCache returns the cache of dir, or nil when the host's build is
// unknown (then every load prepares its code).
func newDiskCache(dir string, log *slog.Logger) *diskCache {
	b := hostBuild()
	if dir == "" || len(b) == 0 {
		return nil
	}
	return &diskCache{dir: dir, build: b, log: log}
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func (d *diskCache) path(key codeKey) string {
	h := sha256.New()
	h.Write(d.build)
	h.Write(key.sum[:])
	fmt.Fprintf(h, "/%d/%d", key.memoryMB, key.tableEntries)
	return filepath.Join(d.dir, "walkerhost", hex.EncodeToString(h.Sum(nil)))
}

// get returns the entry of key, or nil. A damaged entry is removed, and a
// wazero file that no longer matches its entry is removed with it.
func (d *diskCache) get(key codeKey) *prepared {
	p := d.path(key)
	b, err := os.ReadFile(p)
	if err != nil {
		return nil
	}
	e, err := decodeEntry(b)
	if err != nil {
		d.damaged("entry", p, err)
		return nil
	}
	if e.file != "" {
		wf := filepath.Join(d.dir, e.file)
		if err := checkFile(wf, e.size, e.crc); err != nil {
			d.damaged("compiled code", wf, err)
			os.Remove(p)
			return nil
		}
	}
	return e
}

func (d *diskCache) damaged(what, path string, err error) {
	d.mu.Lock()
	d.broken++
	d.mu.Unlock()
	d.log.Warn("compilation cache: "+what+" damaged, compiling again", "file", path, "err", err)
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		d.log.Warn("compilation cache: cannot remove a damaged file", "file", path, "err", err)
	}
}

// checkFile reports whether path has size bytes that sum to crc.
func checkFile(path string, size int64, crc uint32) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if int64(len(b)) != size || crc32.Checksum(b, castagnoli) != crc {
		return fmt.Errorf("%d bytes, checksum mismatch", len(b))
	}
	return nil
}

// wazeroFiles lists wazero's cache files under the cache directory.
func (d *diskCache) wazeroFiles() map[string]bool {
	files := map[string]bool{}
	dirs, _ := filepath.Glob(filepath.Join(d.dir, "wazero-*-"+runtime.GOARCH+"-"+runtime.GOOS))
	for _, dir := range dirs {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if e.Type().IsRegular() && !strings.HasSuffix(e.Name(), ".tmp") {
				rel, _ := filepath.Rel(d.dir, filepath.Join(dir, e.Name()))
				files[rel] = true
			}
		}
	}
	return files
}

// compile compiles wasm in rt and returns the wazero cache file it wrote:
// the one new file in the listing, if there is exactly one (concurrent
// compilations may leave it unknown). wazero fails a compilation whose
// cache file it cannot read (compilationcache: ...) instead of compiling
// again: the files no entry vouches for are then removed, and it compiles
// once more.
func (d *diskCache) compile(rt wazero.Runtime, wasm []byte) (wazero.CompiledModule, string, error) {
	before := d.wazeroFiles()
	c, err := rt.CompileModule(context.Background(), wasm)
	if err != nil && strings.Contains(err.Error(), "compilationcache") {
		for f := range before {
			d.damaged("compiled code", filepath.Join(d.dir, f), err)
		}
		before = map[string]bool{}
		c, err = rt.CompileModule(context.Background(), wasm)
	}
	if err != nil {
		return nil, "", err
	}
	var added []string
	for f := range d.wazeroFiles() {
		if !before[f] {
			added = append(added, f)
		}
	}
	if len(added) != 1 {
		return c, "", nil
	}
	return c, added[0], nil
}

// fileOf returns the wazero cache file of wasm, which a compilation found
// in wazero's cache while it had no entry (damaged, of another build, or
// from an older cache): the file of a sound entry of the same module, else
// the one file no sound entry names, else "".
func (d *diskCache) fileOf(wasm []byte, except string) string {
	files := d.wazeroFiles()
	paths, _ := filepath.Glob(filepath.Join(d.dir, "walkerhost", "*"))
	for _, p := range paths {
		if p == except || strings.HasSuffix(p, ".tmp") {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		e, err := decodeEntry(b)
		if err != nil || e.file == "" {
			continue
		}
		if bytes.Equal(e.wasm, wasm) && checkFile(filepath.Join(d.dir, e.file), e.size, e.crc) == nil {
			return e.file
		}
		delete(files, e.file)
	}
	if len(files) != 1 {
		return ""
	}
	for f := range files {
		return f
	}
	return ""
}

// put writes the entry of key, naming wazero's file when it is known.
func (d *diskCache) put(key codeKey, e *prepared) {
	if e.file == "" {
		e.file = d.fileOf(e.wasm, d.path(key))
	}
	if e.file != "" {
		b, err := os.ReadFile(filepath.Join(d.dir, e.file))
		if err != nil {
			e.file = ""
		} else {
			e.size, e.crc = int64(len(b)), crc32.Checksum(b, castagnoli)
		}
	}
	p := d.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		d.log.Warn("compilation cache: cannot write", "err", err)
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), filepath.Base(p)+".*.tmp")
	if err != nil {
		d.log.Warn("compilation cache: cannot write", "err", err)
		return
	}
	_, err = tmp.Write(encodeEntry(e))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err != nil {
		os.Remove(tmp.Name())
		d.log.Warn("compilation cache: cannot write", "err", err)
	}
}

// encodeEntry lays an entry out as: magic, then u32-counted lists and
// strings in little endian, then the SHA-256 of all before it.
func encodeEntry(e *prepared) []byte {
	b := []byte(entryMagic)
	u32 := func(v uint32) { b = binary.LittleEndian.AppendUint32(b, v) }
	u64 := func(v uint64) { b = binary.LittleEndian.AppendUint64(b, v) }
	u32(uint32(len(e.globals)))
	for _, g := range e.globals {
		u32(g)
	}
	u64(uint64(e.shape.Functions))
	u64(uint64(e.shape.MaxDepth))
	u64(e.shape.MaxLocals)
	u32(uint32(len(e.shape.Tables)))
	for _, t := range e.shape.Tables {
		u32(t.Min)
		u32(t.Max)
		if t.HasMax {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
	}
	u32(uint32(len(e.file)))
	b = append(b, e.file...)
	u64(uint64(e.size))
	u32(e.crc)
	u32(uint32(len(e.wasm)))
	b = append(b, e.wasm...)
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

var errEntry = errors.New("malformed entry")

// decodeEntry reads an entry made by encodeEntry; any other bytes are an
// error.
func decodeEntry(b []byte) (*prepared, error) {
	if len(b) < len(entryMagic)+sha256.Size || !bytes.HasPrefix(b, []byte(entryMagic)) {
		return nil, errEntry
	}
	body := b[:len(b)-sha256.Size]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], b[len(body):]) {
		return nil, errors.New("checksum mismatch")
	}
	r := body[len(entryMagic):]
	bad := false
	u32 := func() uint32 {
		if len(r) < 4 {
			bad = true
			return 0
		}
		v := binary.LittleEndian.Uint32(r)
		r = r[4:]
		return v
	}
	u64 := func() uint64 {
		if len(r) < 8 {
			bad = true
			return 0
		}
		v := binary.LittleEndian.Uint64(r)
		r = r[8:]
		return v
	}
	take := func(n uint32) []byte {
		if uint64(len(r)) < uint64(n) {
			bad = true
			return nil
		}
		v := r[:n]
		r = r[n:]
		return v
	}
	e := &prepared{}
	n := u32()
	if uint64(n)*4 > uint64(len(r)) {
		return nil, errEntry
	}
	for range n {
		e.globals = append(e.globals, u32())
	}
	e.shape.Functions, e.shape.MaxDepth, e.shape.MaxLocals = int(u64()), int(u64()), u64()
	n = u32()
	if uint64(n)*9 > uint64(len(r)) {
		return nil, errEntry
	}
	for range n {
		t := wasmrewrite.Table{Min: u32(), Max: u32()}
		hm := take(1)
		t.HasMax = len(hm) == 1 && hm[0] == 1
		e.shape.Tables = append(e.shape.Tables, t)
	}
	e.file = string(take(u32()))
	e.size, e.crc = int64(u64()), u32()
	e.wasm = slices.Clone(take(u32()))
	if bad || len(r) != 0 || strings.Contains(e.file, "..") {
		return nil, errEntry
	}
	return e, nil
}
