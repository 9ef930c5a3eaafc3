package wasmrewrite

import "fmt"

// segKind classifies a data segment for merging.
type segKind uint8

const (
	segConst    segKind = iota // active, memory 0, i32.const offset, in range: mergeable
	segOpaque                  // active, memory 0, any other offset: writes anywhere
	segOtherMem                // active, another memory: irrelevant to memory 0
	segPassive                 // passive: writes nothing at instantiation
)

// segment is one parsed data segment. raw is its full encoding, copied
// verbatim when the segment is not merged.
type segment struct {
	raw    []byte
	data   []byte
	offset uint32 // segConst only
	kind   segKind
}

// end returns the first byte past a constant segment's data.
func (s *segment) end() uint64 { return uint64(s.offset) + uint64(len(s.data)) }

// Opcodes allowed in constant expressions.
const (
	opEnd       = 0x0b
	opGlobalGet = 0x23
	opI32Const  = 0x41
	opI64Const  = 0x42
	opF32Const  = 0x43
	opF64Const  = 0x44
	opRefNull   = 0xd0
	opRefFunc   = 0xd2
)

// scanData parses the payload of a data section, calling visit for every
// segment in order. The segment's slices alias payload and are only valid
// during the call. It returns the number of segments.
func scanData(payload []byte, visit func(i int, s *segment)) (int, error) {
	r := reader{buf: payload}
	count, err := r.u32()
	if err != nil {
		return 0, fmt.Errorf("segment count: %w", err)
	}
	for i := uint32(0); i < count; i++ { // each segment takes >= 2 bytes
		s, err := readSegment(&r)
		if err != nil {
			return 0, fmt.Errorf("segment %d: %w", i, err)
		}
		visit(int(i), &s)
	}
	if n := r.remaining(); n != 0 {
		return 0, fmt.Errorf("%w: %d trailing bytes after segment %d", ErrMalformed, n, count)
	}
	return int(count), nil
}

// readSegment reads one data segment and classifies it.
func readSegment(r *reader) (segment, error) {
	start := r.pos
	flags, err := r.u32()
	if err != nil {
		return segment{}, fmt.Errorf("flags: %w", err)
	}
	s := segment{kind: segPassive}
	switch flags {
	case 0:
		err = readActive(r, &s, 0)
	case 1:
	case 2:
		var mem uint32
		if mem, err = r.u32(); err != nil {
			return segment{}, fmt.Errorf("memory index: %w", err)
		}
		err = readActive(r, &s, mem)
	default:
		return segment{}, fmt.Errorf("%w: unknown segment flags %d", ErrMalformed, flags)
	}
	if err != nil {
		return segment{}, err
	}
	if s.data, err = r.vec(); err != nil {
		return segment{}, fmt.Errorf("data: %w", err)
	}
	s.raw = r.buf[start:r.pos:r.pos]
	if s.kind == segConst && s.end() > 1<<32 {
		s.kind = segOpaque // always out of bounds; leave it to trap as before
	}
	return s, nil
}

// readActive reads the offset expression of an active segment for memory mem.
func readActive(r *reader, s *segment, mem uint32) error {
	off, isConst, err := readConstExpr(r)
	if err != nil {
		return fmt.Errorf("offset expression: %w", err)
	}
	switch {
	case mem != 0:
		s.kind = segOtherMem
	case isConst:
		s.kind, s.offset = segConst, uint32(off)
	default:
		s.kind = segOpaque
	}
	return nil
}

// readConstExpr skips a constant expression up to and including its end
// opcode. isConst reports whether it is exactly "i32.const off; end".
func readConstExpr(r *reader) (off int32, isConst bool, err error) {
	for n := 0; ; n++ {
		op, err := r.byte()
		if err != nil {
			return 0, false, err
		}
		if op == opEnd {
			return off, isConst && n == 1, nil
		}
		v, err := skipImmediate(r, op)
		if err != nil {
			return 0, false, err
		}
		if n == 0 && op == opI32Const {
			off, isConst = int32(v), true
		}
	}
}

// skipImmediate reads the immediate of a constant-expression opcode and
// returns it when it is an integer.
func skipImmediate(r *reader, op byte) (int64, error) {
	switch op {
	case opI32Const:
		return r.sleb(32)
	case opI64Const:
		return r.sleb(64)
	case opF32Const:
		_, err := r.bytes(4)
		return 0, err
	case opF64Const:
		_, err := r.bytes(8)
		return 0, err
	case opGlobalGet, opRefFunc:
		v, err := r.u32()
		return int64(v), err
	case opRefNull:
		return r.sleb(33) // heap type
	case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e: // extended-const add/sub/mul
		return 0, nil
	}
	return 0, fmt.Errorf("%w: %#02x", ErrUnsupportedExpr, op)
}
