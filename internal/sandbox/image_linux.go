//go:build linux

package sandbox

import (
	"os"
	"runtime"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// cowAvailable reports whether this build can map images copy-on-write.
const cowAvailable = true

var pageSize = os.Getpagesize()

// newImage puts b in a sealed memfd and maps it read-only as the image's
// contents. When the memfd cannot be made (seccomp, old kernels) the image
// is a heap copy and instances copy it.
func newImage(b []byte) *memImage {
	if len(b) == 0 {
		return heapImage(b)
	}
	fd, err := unix.MemfdCreate("walker-image", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return heapImage(b)
	}
	size := roundPage(len(b))
	view, err := func() ([]byte, error) {
		if err := unix.Ftruncate(fd, int64(size)); err != nil {
			return nil, err
		}
		for off := 0; off < len(b); {
			n, err := unix.Pwrite(fd, b[off:], int64(off))
			if err != nil {
				return nil, err
			}
			off += n
		}
		seals := unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_WRITE | unix.F_SEAL_SEAL
		if _, err := unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS, seals); err != nil {
			return nil, err
		}
		return unix.Mmap(fd, 0, size, unix.PROT_READ, unix.MAP_SHARED)
	}()
	if err != nil {
		unix.Close(fd)
		return heapImage(b)
	}
	img := &memImage{data: view[:len(b)], fd: fd}
	// Instances hold their image, so it is released after the last one.
	runtime.AddCleanup(img, func(r struct {
		fd   int
		view []byte
	}) {
		unix.Munmap(r.view)
		unix.Close(r.fd)
	}, struct {
		fd   int
		view []byte
	}{fd, view})
	return img
}

func roundPage(n int) int { return (n + pageSize - 1) &^ (pageSize - 1) }

// mmapMemory is a linear memory in its own reservation of the memory's
// maximum (address space only: MAP_NORESERVE, untouched pages cost
// nothing), with the image mapped copy-on-write over its front.
type mmapMemory struct {
	buf []byte // the whole reservation
}

// mapImage reserves maxBytes and maps img over the front; nil on failure.
func mapImage(img *memImage, maxBytes uint64) *mmapMemory {
	size := roundPage(len(img.data))
	if maxBytes < uint64(size) || maxBytes > 1<<32 {
		return nil
	}
	buf, err := unix.Mmap(-1, 0, int(maxBytes), unix.PROT_READ|unix.PROT_WRITE,
		unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_NORESERVE)
	if err != nil {
		return nil
	}
	if !remap(buf[:size], img.fd) {
		unix.Munmap(buf)
		return nil
	}
	return &mmapMemory{buf: buf}
}

// remap maps the start of fd copy-on-write over b, dropping b's pages.
func remap(b []byte, fd int) bool {
	_, err := unix.MmapPtr(fd, 0, unsafe.Pointer(unsafe.SliceData(b)), uintptr(len(b)),
		unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_FIXED)
	return err == nil
}

func (m *mmapMemory) Reallocate(size uint64) []byte {
	if size > uint64(len(m.buf)) {
		return nil
	}
	return m.buf[:size:size]
}

func (m *mmapMemory) Free() {
	if m.buf != nil {
		unix.Munmap(m.buf)
		m.buf = nil
	}
}

// rebase maps img copy-on-write over mem, which must hold img's contents
// already (the instance img was just captured from): its private copies of
// the pages are dropped and it shares them with the instances to come.
func rebase(mem []byte, img *memImage) bool {
	size := roundPage(len(img.data))
	if img.fd < 0 || len(mem) < size || uintptr(unsafe.Pointer(unsafe.SliceData(mem)))%uintptr(pageSize) != 0 {
		return false
	}
	return remap(mem[:size], img.fd)
}

// pagemap is /proc/self/pagemap, opened once; nil when unavailable.
var pagemap = sync.OnceValue(func() *os.File {
	f, err := os.Open("/proc/self/pagemap")
	if err != nil {
		return nil
	}
	return f
})

// Bits of a pagemap entry (Documentation/admin-guide/mm/pagemap.rst).
const (
	pmPresent = 1 << 63
	pmSwap    = 1 << 62
	pmFile    = 1 << 61 // file page or shared anonymous: not a private copy
)

// privatePages calls visit with the start of every page of mem, a memory
// mapped copy-on-write from an image, that holds a private copy: the only
// pages whose contents may differ from the image. buf is scratch space for
// the page table entries. It reports false when the page tables cannot be
// read; the caller then compares every page.
func privatePages(mem []byte, buf *[]byte, visit func(off int)) bool {
	f := pagemap()
	if f == nil || len(mem) == 0 {
		return false
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(mem)))
	if base%uintptr(pageSize) != 0 {
		return false
	}
	n := (len(mem) + pageSize - 1) / pageSize
	if cap(*buf) < 8*n {
		*buf = make([]byte, 8*n)
	}
	b := (*buf)[:8*n]
	if got, err := f.ReadAt(b, int64(base/uintptr(pageSize))*8); err != nil || got != len(b) {
		return false
	}
	for i := range n {
		e := *(*uint64)(unsafe.Pointer(&b[8*i]))
		if e&(pmPresent|pmSwap) != 0 && e&pmFile == 0 {
			for off := i * pageSize; off < min((i+1)*pageSize, len(mem)); off += restorePage {
				visit(off)
			}
		}
	}
	return true
}
