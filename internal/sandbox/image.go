package sandbox

import (
	"bytes"

	"github.com/tetratelabs/wazero/experimental"
)

// memImage is a linear memory's contents that instances start from: a
// module's data (wasmrewrite.DataImage) before its first instance has run
// _initialize, its snapshot after. On Linux it lives in a sealed memfd
// that every instance maps copy-on-write (image_linux.go): the pages an
// instance never writes are shared by all of them, and a new instance
// copies nothing. Elsewhere, or when the memfd cannot be made, each
// instance gets a copy on the Go heap.
type memImage struct {
	data []byte // the contents, read-only (a shared mapping of fd, or heap)
	fd   int    // memfd holding data, rounded up to pages; -1: none
}

// heapImage is the portable image: a copy of b.
func heapImage(b []byte) *memImage { return &memImage{data: bytes.Clone(b), fd: -1} }

// sliceMemory is the portable linear memory: a Go slice holding a copy of
// an image, grown by copying, up to the memory's maximum.
type sliceMemory struct {
	buf []byte
	max uint64
}

func newSliceMemory(img *memImage, capacity, maxBytes uint64) *sliceMemory {
	buf := make([]byte, len(img.data), max(capacity, uint64(len(img.data))))
	copy(buf, img.data)
	return &sliceMemory{buf: buf, max: maxBytes}
}

func (m *sliceMemory) Reallocate(size uint64) []byte {
	switch {
	case size > m.max:
		return nil
	case size > uint64(cap(m.buf)):
		buf := make([]byte, size)
		copy(buf, m.buf)
		m.buf = buf
	case size > uint64(len(m.buf)):
		m.buf = m.buf[:size] // capacity from make: zeros
	}
	return m.buf[:size]
}

func (m *sliceMemory) Free() { m.buf = nil }

// imageAllocator starts an instance's memory holding its image.
type imageAllocator struct {
	inst *instance
	cow  bool // map the image copy-on-write when it is in a memfd
}

func (a imageAllocator) Allocate(capacity, maxBytes uint64) experimental.LinearMemory {
	img := a.inst.img
	if a.cow && img.fd >= 0 {
		if m := mapImage(img, maxBytes); m != nil {
			a.inst.mapped = true
			return m
		}
	}
	return newSliceMemory(img, capacity, maxBytes)
}

// newImage makes an image of b: in a memfd when the engine maps images
// copy-on-write, else on the heap.
func (e *Engine) newImage(b []byte) *memImage {
	if !e.cow {
		return heapImage(b)
	}
	return newImage(b)
}
