package wasmrewrite

import "fmt"

// maxLEBLen is the most bytes a LEB128 value of the given bit width may use.
func maxLEBLen(bits uint) int { return int((bits + 6) / 7) }

// decodeULEB decodes an unsigned LEB128 value of at most bits bits from the
// start of b. It returns the value and the number of bytes used. Non-minimal
// encodings are accepted, as the wasm spec requires, as long as they fit in
// maxLEBLen(bits) bytes and the unused bits of the last byte are zero.
func decodeULEB(b []byte, bits uint) (uint64, int, error) {
	n := maxLEBLen(bits)
	var v uint64
	for i := 0; i < n; i++ {
		if i >= len(b) {
			return 0, 0, ErrTruncated
		}
		c := b[i]
		if i == n-1 {
			if c&0x80 != 0 {
				return 0, 0, fmt.Errorf("%w: longer than %d bytes", ErrLEB128, n)
			}
			if rem := bits - 7*uint(i); uint64(c)>>rem != 0 {
				return 0, 0, fmt.Errorf("%w: value overflows u%d", ErrLEB128, bits)
			}
		}
		v |= uint64(c&0x7f) << (7 * uint(i))
		if c&0x80 == 0 {
			return v, i + 1, nil
		}
	}
	return 0, 0, fmt.Errorf("%w: longer than %d bytes", ErrLEB128, n) // unreachable
}

// decodeSLEB decodes a signed LEB128 value of at most bits bits (bits < 64
// or 64) from the start of b. The unused bits of a maximal-length encoding
// must all equal the sign bit.
func decodeSLEB(b []byte, bits uint) (int64, int, error) {
	n := maxLEBLen(bits)
	var v uint64
	for i := 0; i < n; i++ {
		if i >= len(b) {
			return 0, 0, ErrTruncated
		}
		c := b[i]
		if i == n-1 {
			if err := checkLastSLEBByte(c, bits-7*uint(i), bits); err != nil {
				return 0, 0, err
			}
		}
		v |= uint64(c&0x7f) << (7 * uint(i))
		if c&0x80 == 0 {
			if shift := 7 * uint(i+1); shift < 64 && c&0x40 != 0 {
				v |= ^uint64(0) << shift
			}
			return int64(v), i + 1, nil
		}
	}
	return 0, 0, fmt.Errorf("%w: longer than %d bytes", ErrLEB128, n) // unreachable
}

// checkLastSLEBByte checks the last byte of a maximal signed encoding: no
// continuation bit, and the bits above the rem value bits equal the sign bit.
func checkLastSLEBByte(c byte, rem, bits uint) error {
	if c&0x80 != 0 {
		return fmt.Errorf("%w: longer than %d bytes", ErrLEB128, maxLEBLen(bits))
	}
	if rem >= 7 {
		return nil
	}
	v := c & 0x7f
	upper := v >> rem
	want := byte(0)
	if v>>(rem-1)&1 == 1 {
		want = 0x7f >> rem
	}
	if upper != want {
		return fmt.Errorf("%w: value overflows s%d", ErrLEB128, bits)
	}
	return nil
}

// appendULEB appends the minimal unsigned LEB128 encoding of v.
func appendULEB(dst []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(dst, c)
		}
		dst = append(dst, c|0x80)
	}
}

// appendSLEB appends the minimal signed LEB128 encoding of v.
func appendSLEB(dst []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(dst, c)
		}
		dst = append(dst, c|0x80)
	}
}

// ulebLen and slebLen return the length of the minimal encodings.
func ulebLen(v uint64) int { return len(appendULEB(make([]byte, 0, 10), v)) }
func slebLen(v int64) int  { return len(appendSLEB(make([]byte, 0, 10), v)) }
