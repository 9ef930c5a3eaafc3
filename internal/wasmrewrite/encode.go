package wasmrewrite

// A merged segment is encoded as flags 0 (active, memory 0), i32.const
// offset, end, then the data vector.

// mergedHeader appends the header of a merged segment.
func mergedHeader(dst []byte, r run) []byte {
	dst = append(dst, 0x00, opI32Const)
	dst = appendSLEB(dst, int64(int32(r.start)))
	dst = append(dst, opEnd)
	return appendULEB(dst, uint64(r.size))
}

// dataSize returns the payload size of the rewritten data section.
func (m *module) dataSize(runs []run) uint64 {
	size := uint64(ulebLen(uint64(m.newCount(runs))))
	for _, r := range runs {
		size += uint64(r.size)
		if r.n > 1 {
			size += uint64(len(mergedHeader(make([]byte, 0, 16), r)))
			if m.preserve {
				size += 2 * uint64(r.n-1)
			}
		}
	}
	return size
}

// emitter writes the rewritten data section while scanData visits the
// input segments a second time.
type emitter struct {
	dst      []byte
	runs     []run
	preserve bool
	k        int    // current run
	left     uint32 // segments of the current run still to visit
	body     []byte // data of the current merged segment
}

func (e *emitter) visit(_ int, s *segment) {
	r := e.runs[e.k]
	if r.n == 1 {
		e.dst = append(e.dst, s.raw...)
		e.k++
		return
	}
	if e.left == 0 {
		e.dst = mergedHeader(e.dst, r)
		e.dst = appendZeros(e.dst, int(r.size))
		e.body = e.dst[len(e.dst)-int(r.size):]
		e.left = r.n
	}
	copy(e.body[s.offset-r.start:], s.data)
	if e.left--; e.left > 0 {
		return
	}
	if e.preserve {
		for i := uint32(1); i < r.n; i++ {
			e.dst = append(e.dst, 0x01, 0x00) // empty passive placeholder
		}
	}
	e.k++
}

// appendZeros appends n zero bytes; it does not reallocate when dst has
// the capacity (assemble sizes the output exactly).
func appendZeros(dst []byte, n int) []byte {
	if n <= cap(dst)-len(dst) {
		dst = dst[:len(dst)+n]
		clear(dst[len(dst)-n:])
		return dst
	}
	return append(dst, make([]byte, n)...)
}
