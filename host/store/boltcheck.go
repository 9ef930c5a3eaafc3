package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// ErrCorrupt means the data file is damaged: truncated, overwritten or not
// a database at all. Opening it would crash the process (bbolt panics or
// faults on damaged pages), so Open refuses it instead.
var ErrCorrupt = errors.New("store: data file is corrupted")

// The parts of bbolt's file format (go.etcd.io/bbolt/internal/common) that
// checkBoltFile reads. A page starts with a 16-byte header: id u64, flags
// u16, count u16, overflow u32. Pages 0 and 1 are meta pages; their meta
// follows the header: magic u32, version u32, page size u32, flags u32,
// root bucket (page id u64, sequence u64), freelist page id u64, high-water
// page id u64, txid u64, and an FNV-64a checksum of the bytes before it.
const (
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	boltHeaderSize   = 16
	boltMetaSize     = 64
	boltMetaFlag     = 0x04
	boltBranchFlag   = 0x01
	boltLeafFlag     = 0x02
	boltFreelistFlag = 0x10
	boltNoFreelist   = ^uint64(0)
	boltMinPageSize  = 1024
	boltMaxPageSize  = 1024 << 14 // the largest page size bbolt looks for
)

// boltMeta is the part of a meta page checkBoltFile uses.
type boltMeta struct {
	pageSize             uint64
	root, freelist, pgid uint64
	txid                 uint64
}

// parseBoltMeta decodes and validates the meta page at the start of b,
// as bbolt's Meta.Validate does, and returns what is wrong with it.
func parseBoltMeta(b []byte) (boltMeta, string) {
	if len(b) < boltHeaderSize+boltMetaSize {
		return boltMeta{}, "too short"
	}
	m := b[boltHeaderSize : boltHeaderSize+boltMetaSize]
	le := binary.LittleEndian
	switch {
	case le.Uint32(m[0:]) != boltMagic:
		return boltMeta{}, "not a database file"
	case le.Uint32(m[4:]) != boltVersion:
		return boltMeta{}, fmt.Sprintf("unsupported version %d", le.Uint32(m[4:]))
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != le.Uint64(m[56:]) {
		return boltMeta{}, "checksum mismatch"
	}
	meta := boltMeta{pageSize: uint64(le.Uint32(m[8:])), root: le.Uint64(m[16:]),
		freelist: le.Uint64(m[32:]), pgid: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}
	if meta.pageSize < boltMinPageSize || meta.pageSize > boltMaxPageSize || meta.pageSize&(meta.pageSize-1) != 0 {
		return boltMeta{}, fmt.Sprintf("impossible page size %d", meta.pageSize)
	}
	return meta, ""
}

// corrupt is the error for a damaged data file: what is wrong, and what to
// do about it.
func corrupt(path, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s: restore it from a backup, or move it aside to start with an empty store",
		ErrCorrupt, path, fmt.Sprintf(format, args...))
}

// checkBoltFile reads the meta pages of the bbolt file at path, and the
// pages they point to, and refuses a file bbolt would crash on: both meta
// pages invalid, a file shorter than the pages its meta claims or not a
// whole number of pages, a root or freelist page that is not one. A
// missing or empty file is a new store: bbolt initialises it.
func checkBoltFile(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: open [%s]: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: open [%s]: %w", path, err)
	}
	return checkBoltImage(path, f, info.Size())
}

// checkBoltImage is checkBoltFile over any reader of a file of size bytes.
func checkBoltImage(path string, r io.ReaderAt, size int64) error {
	if size == 0 {
		return nil
	}
	meta, err := chooseBoltMeta(path, r, size)
	if err != nil {
		return err
	}
	ps := meta.pageSize
	switch {
	case uint64(size)%ps != 0:
		return corrupt(path, "truncated: %d bytes is not a whole number of %d-byte pages", size, ps)
	case meta.pgid < 2 || meta.pgid > uint64(size)/ps:
		return corrupt(path, "truncated: %d bytes, but the database has %d pages of %d bytes", size, meta.pgid, ps)
	case meta.root < 2 || meta.root >= meta.pgid:
		return corrupt(path, "the meta page names root page %d of %d", meta.root, meta.pgid)
	}
	if err := checkBoltPage(path, r, ps, meta.root, boltBranchFlag|boltLeafFlag, "root"); err != nil {
		return err
	}
	if meta.freelist == boltNoFreelist {
		return nil
	}
	if meta.freelist < 2 || meta.freelist >= meta.pgid {
		return corrupt(path, "the meta page names freelist page %d of %d", meta.freelist, meta.pgid)
	}
	return checkBoltPage(path, r, ps, meta.freelist, boltFreelistFlag, "freelist")
}

// chooseBoltMeta returns the meta page bbolt would use: the valid one of
// the two with the higher txid. The second meta page is where the first
// says, or, when the first is damaged, at one of the page sizes bbolt
// tries.
func chooseBoltMeta(path string, r io.ReaderAt, size int64) (boltMeta, error) {
	buf := make([]byte, boltHeaderSize+boltMetaSize)
	read := func(off int64) (boltMeta, string) {
		if off+int64(len(buf)) > size {
			return boltMeta{}, "missing"
		}
		if _, err := r.ReadAt(buf, off); err != nil {
			return boltMeta{}, err.Error()
		}
		if binary.LittleEndian.Uint16(buf[8:]) != boltMetaFlag {
			return boltMeta{}, "not a meta page"
		}
		return parseBoltMeta(buf)
	}
	if size < int64(len(buf)) {
		return boltMeta{}, corrupt(path, "too short to be a database file (%d bytes)", size)
	}
	m0, why0 := read(0)
	m1, why1 := read(int64(os.Getpagesize())) // where bbolt puts it by default
	if why0 == "" {
		m1, why1 = read(int64(m0.pageSize))
	}
	for ps := int64(boltMinPageSize); ps <= boltMaxPageSize && why0 != "" && why1 != ""; ps <<= 1 {
		if m, why := read(ps); why == "" {
			m1, why1 = m, why
		}
	}
	switch {
	case why0 != "" && why1 != "":
		if why0 == why1 {
			return boltMeta{}, corrupt(path, "both meta pages are damaged (%s)", why0)
		}
		return boltMeta{}, corrupt(path, "both meta pages are damaged (first: %s; second: %s)", why0, why1)
	case why0 != "":
		return m1, nil
	case why1 != "" || m0.txid >= m1.txid:
		return m0, nil
	}
	if m0.pageSize != m1.pageSize {
		return boltMeta{}, corrupt(path, "the meta pages disagree on the page size (%d, %d)", m0.pageSize, m1.pageSize)
	}
	return m1, nil
}

// checkBoltPage checks that page id has its own id and one of the flags in
// want.
func checkBoltPage(path string, r io.ReaderAt, pageSize, id uint64, want uint16, what string) error {
	var h [boltHeaderSize]byte
	if _, err := r.ReadAt(h[:], int64(id*pageSize)); err != nil {
		return corrupt(path, "cannot read the %s page %d: %v", what, id, err)
	}
	got, flags := binary.LittleEndian.Uint64(h[0:]), binary.LittleEndian.Uint16(h[8:])
	if got != id || flags&want == 0 || flags&^(boltBranchFlag|boltLeafFlag|boltMetaFlag|boltFreelistFlag) != 0 {
		return corrupt(path, "the %s page %d is damaged (id %d, flags %#x)", what, id, got, flags)
	}
	return nil
}
