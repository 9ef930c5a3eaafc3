package wasmrewrite

// reader is a bounds-checked cursor over a byte slice. It never panics:
// every read checks the remaining length first.
type reader struct {
	buf []byte
	pos int
}

func (r *reader) remaining() int { return len(r.buf) - r.pos }

func (r *reader) byte() (byte, error) {
	if r.pos >= len(r.buf) {
		return 0, ErrTruncated
	}
	c := r.buf[r.pos]
	r.pos++
	return c, nil
}

// bytes returns the next n bytes (capacity-limited, so appends cannot
// overwrite the input).
func (r *reader) bytes(n uint64) ([]byte, error) {
	if n > uint64(r.remaining()) {
		return nil, ErrTruncated
	}
	end := r.pos + int(n)
	s := r.buf[r.pos:end:end]
	r.pos = end
	return s, nil
}

func (r *reader) u32() (uint32, error) {
	v, n, err := decodeULEB(r.buf[r.pos:], 32)
	if err != nil {
		return 0, err
	}
	r.pos += n
	return uint32(v), nil
}

func (r *reader) u64() (uint64, error) {
	v, n, err := decodeULEB(r.buf[r.pos:], 64)
	if err != nil {
		return 0, err
	}
	r.pos += n
	return v, nil
}

func (r *reader) sleb(bits uint) (int64, error) {
	v, n, err := decodeSLEB(r.buf[r.pos:], bits)
	if err != nil {
		return 0, err
	}
	r.pos += n
	return v, nil
}

// vec reads a u32 length followed by that many bytes.
func (r *reader) vec() ([]byte, error) {
	n, err := r.u32()
	if err != nil {
		return nil, err
	}
	return r.bytes(uint64(n))
}
