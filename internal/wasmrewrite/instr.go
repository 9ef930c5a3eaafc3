package wasmrewrite

import "fmt"

// Instruction decoding for InjectInterrupt: enough to find every loop
// opcode in a function body, which means decoding every instruction's
// immediates exactly.
//
// The scanner only has to agree with the engine on where instructions
// start. A LEB128 immediate ends at its first byte without the
// continuation bit whatever its signedness, so two decoders that both
// accept it agree on its length; the scanner is as strict as the spec (or
// stricter), so whenever the engine accepts an instruction it sees the
// same boundaries. Where wazero v1.12 departs from the spec the scanner is
// stricter still: wazero reads the SIMD sub-opcode as a single byte, so the
// scanner requires its minimal LEB128 encoding (for sub-opcodes >= 0x80
// the second byte is then 0x01, which wazero runs as a nop).

// Opcodes the scanner acts on or InjectInterrupt inserts, and the empty
// block type.
const (
	opBlock        = 0x02
	opLoop         = 0x03
	opIf           = 0x04
	opMiscPrefix   = 0xfc
	opSIMDPrefix   = 0xfd
	opAtomicPrefix = 0xfe
	blockTypeEmpty = 0x40
	opUnreachable  = 0x00
	opMemoryGrow   = 0x40
)

// immKind says what follows an opcode.
type immKind uint8

const (
	immInvalid    immKind = iota // unknown opcode
	immNone                      // no immediate
	immBlock                     // block type; opens a block (block, loop, if)
	immEnd                       // end: closes a block or the function
	immU32                       // one u32 (index, label)
	immU32x2                     // two u32 (call_indirect, return_call_indirect)
	immBrTable                   // vec(label) label
	immSelectT                   // vec(valtype)
	immMemarg                    // memarg
	immI32                       // s32
	immI64                       // s64
	immF32                       // 4 bytes
	immF64                       // 8 bytes
	immHeapType                  // s33 heap type (ref.null)
	immMisc                      // 0xfc u32 sub-opcode, then its immediates
	immSIMD                      // 0xfd u32 sub-opcode, then its immediates
	immAtomic                    // 0xfe: threads, rejected
	immEH                        // exception handling, rejected
	immV128                      // SIMD: 16 bytes (v128.const, i8x16.shuffle)
	immLane                      // SIMD: lane index byte
	immMemargLane                // SIMD: memarg, lane index byte
)

// opImm gives the immediate kind of every single-byte opcode.
var opImm = func() (t [256]immKind) {
	set := func(k immKind, ops ...int) {
		for _, op := range ops {
			t[op] = k
		}
	}
	span := func(k immKind, lo, hi int) {
		for op := lo; op <= hi; op++ {
			t[op] = k
		}
	}
	// unreachable nop else return drop select ref.is_null ref.as_non_null
	set(immNone, 0x00, 0x01, 0x05, 0x0f, 0x1a, 0x1b, 0xd1, 0xd4)
	set(immBlock, opBlock, opLoop, opIf)
	set(immEnd, opEnd)
	// br br_if call return_call call_ref return_call_ref ref.func
	// br_on_null br_on_non_null
	set(immU32, 0x0c, 0x0d, 0x10, 0x12, 0x14, 0x15, 0xd2, 0xd5, 0xd6)
	span(immU32, 0x20, 0x26) // local.get/set/tee, global.get/set, table.get/set
	set(immU32, 0x3f, 0x40)  // memory.size, memory.grow: memory index
	set(immU32x2, 0x11, 0x13)
	set(immBrTable, 0x0e)
	set(immSelectT, 0x1c)
	span(immMemarg, 0x28, 0x3e)
	set(immI32, 0x41)
	set(immI64, 0x42)
	set(immF32, 0x43)
	set(immF64, 0x44)
	span(immNone, 0x45, 0xc4) // numeric, conversions, sign extension
	set(immHeapType, 0xd0)
	set(immMisc, opMiscPrefix)
	set(immSIMD, opSIMDPrefix)
	set(immAtomic, opAtomicPrefix)
	// try catch throw rethrow throw_ref delegate catch_all try_table
	set(immEH, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x18, 0x19, 0x1f)
	return t
}()

// simdImm gives the immediate kind of every SIMD sub-opcode (0xfd prefix,
// final SIMD proposal). Sub-opcodes above 0xff (relaxed SIMD) are rejected.
var simdImm = func() (t [256]immKind) {
	for op := range t {
		t[op] = immNone
	}
	for op := 0x00; op <= 0x0b; op++ { // v128.load*, v128.store
		t[op] = immMemarg
	}
	t[0x5c], t[0x5d] = immMemarg, immMemarg // v128.load32_zero, load64_zero
	t[0x0c], t[0x0d] = immV128, immV128     // v128.const, i8x16.shuffle
	for op := 0x15; op <= 0x22; op++ {      // extract_lane, replace_lane
		t[op] = immLane
	}
	for op := 0x54; op <= 0x5b; op++ { // v128.load*_lane, store*_lane
		t[op] = immMemargLane
	}
	for _, op := range []int{0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4,
		0xbb, 0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2, 0xee} {
		t[op] = immInvalid // unassigned
	}
	return t
}()

// codeScanner decodes function bodies and records where checks go.
type codeScanner struct {
	base    int      // module offset of the code section payload (error messages)
	inserts []uint32 // payload offsets of the checks, ascending
	entries int      // how many of them are function entries
	// grows: record the position after every memory.grow of memory 0
	// instead of loops and entries (FlagFailedGrow).
	grows bool
}

// scanBody decodes one function body. r covers the code section payload up
// to the end of the body and is positioned at its first byte. It appends to
// s.inserts the position after every loop's block type and the function's
// entry, just past its locals. The entry check is left out when the body
// opens a loop before any other instruction but block and loop: the loop's
// check runs first thing anyway.
func (s *codeScanner) scanBody(r *reader) error {
	n, err := r.u32()
	if err != nil {
		return fmt.Errorf("locals: %w", err)
	}
	for i := uint32(0); i < n; i++ { // each entry takes >= 2 bytes
		if _, err := r.u32(); err != nil {
			return fmt.Errorf("locals: entry %d: %w", i, err)
		}
		if err := skipValType(r); err != nil {
			return fmt.Errorf("locals: entry %d: type: %w", i, err)
		}
	}
	if !s.grows {
		s.inserts = append(s.inserts, uint32(r.pos))
	}
	entry, lead := !s.grows, true // entry: the entry check stands; lead: only block and loop so far
	depth := 0                    // open blocks, not counting the function's own
	for {
		at := r.pos
		op, err := r.byte()
		if err != nil {
			return fmt.Errorf("%w: body ends before its end opcode (%d open blocks)", ErrTruncated, depth+1)
		}
		kind := opImm[op]
		if lead && op == opLoop && entry {
			s.inserts, entry = s.inserts[:len(s.inserts)-1], false
		}
		lead = lead && (op == opBlock || op == opLoop)
		switch kind {
		case immEnd:
			if depth == 0 {
				if entry {
					s.entries++
				}
				if n := r.remaining(); n != 0 {
					return fmt.Errorf("offset %#x: %w: %d bytes after the function's final end",
						s.base+r.pos, ErrMalformed, n)
				}
				return nil
			}
			depth--
			continue
		case immBlock:
			depth++
		}
		if err := skipImmediates(r, kind); err != nil {
			return fmt.Errorf("offset %#x: opcode %#02x: %w", s.base+at, op, err)
		}
		switch {
		case s.grows && op == opMemoryGrow && memoryIndex(r.buf, at) == 0:
			s.inserts = append(s.inserts, uint32(r.pos))
		case !s.grows && op == opLoop:
			s.inserts = append(s.inserts, uint32(r.pos))
		}
	}
}

// memoryIndex decodes the memory index of the memory.grow at buf[at],
// already read once without error.
func memoryIndex(buf []byte, at int) uint32 {
	r := reader{buf: buf, pos: at + 1}
	idx, _ := r.u32()
	return idx
}

// skipImmediates reads the immediates of an instruction of the given kind.
func skipImmediates(r *reader, kind immKind) error {
	var err error
	switch kind {
	case immNone:
	case immBlock:
		err = skipBlockType(r)
	case immU32:
		_, err = r.u32()
	case immU32x2:
		if _, err = r.u32(); err == nil {
			_, err = r.u32()
		}
	case immBrTable:
		var n uint32
		n, err = r.u32()
		for i := uint64(0); err == nil && i <= uint64(n); i++ { // n labels and the default
			_, err = r.u32()
		}
	case immSelectT:
		var n uint32
		n, err = r.u32()
		for i := uint32(0); err == nil && i < n; i++ {
			err = skipValType(r)
		}
	case immMemarg:
		err = skipMemarg(r)
	case immI32:
		_, err = r.sleb(32)
	case immI64:
		_, err = r.sleb(64)
	case immF32:
		_, err = r.bytes(4)
	case immF64:
		_, err = r.bytes(8)
	case immHeapType:
		_, err = r.sleb(33)
	case immMisc:
		err = skipMisc(r)
	case immSIMD:
		err = skipSIMD(r)
	case immAtomic:
		err = fmt.Errorf("%w: threads (atomic) instructions", ErrUnsupportedInstr)
	case immEH:
		err = fmt.Errorf("%w: exception handling instructions", ErrUnsupportedInstr)
	case immV128:
		_, err = r.bytes(16)
	case immLane:
		_, err = r.byte()
	case immMemargLane:
		if err = skipMemarg(r); err == nil {
			_, err = r.byte()
		}
	default:
		err = fmt.Errorf("%w: unknown opcode", ErrUnsupportedInstr)
	}
	return err
}

// skipBlockType reads a block type: 0x40, a value type (one byte, or
// 0x63/0x64 and a heap type) or a type index, all as one s33.
func skipBlockType(r *reader) error {
	v, err := r.sleb(33)
	if err == nil && (v == -29 || v == -28) { // 0x63 (ref null ht), 0x64 (ref ht)
		_, err = r.sleb(33)
	}
	return err
}

// skipMemarg reads a memarg: alignment flags, a memory index when bit 6
// is set (multi-memory), and the offset.
func skipMemarg(r *reader) error {
	align, err := r.u32()
	if err != nil {
		return err
	}
	if align >= 0x80 {
		return fmt.Errorf("%w: memarg alignment flags %#x", ErrMalformed, align)
	}
	if align&0x40 != 0 {
		if _, err := r.u32(); err != nil {
			return err
		}
	}
	_, err = r.u32()
	return err
}

// skipMisc reads a 0xfc sub-opcode and its immediates.
func skipMisc(r *reader) error {
	sub, err := r.u32()
	if err != nil {
		return err
	}
	n := 0
	switch sub {
	case 0, 1, 2, 3, 4, 5, 6, 7: // saturating truncations
	case 9, 11, 13, 15, 16, 17: // data.drop, memory.fill, elem.drop, table.grow/size/fill
		n = 1
	case 8, 10, 12, 14: // memory.init, memory.copy, table.init, table.copy
		n = 2
	default:
		return fmt.Errorf("%w: 0xfc %d", ErrUnsupportedInstr, sub)
	}
	for ; n > 0; n-- {
		if _, err := r.u32(); err != nil {
			return err
		}
	}
	return nil
}

// skipSIMD reads a 0xfd sub-opcode and its immediates.
func skipSIMD(r *reader) error {
	start := r.pos
	sub, err := r.u32()
	if err != nil {
		return err
	}
	if sub > 0xff {
		return fmt.Errorf("%w: SIMD opcode %#x", ErrUnsupportedInstr, sub)
	}
	if r.pos-start != ulebLen(uint64(sub)) {
		return fmt.Errorf("%w: SIMD opcode %#x not minimally encoded", ErrUnsupportedInstr, sub)
	}
	kind := simdImm[sub]
	if kind == immInvalid {
		return fmt.Errorf("%w: unknown SIMD opcode %#x", ErrUnsupportedInstr, sub)
	}
	return skipImmediates(r, kind)
}
