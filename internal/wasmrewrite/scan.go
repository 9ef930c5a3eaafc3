package wasmrewrite

// importsMemory reports whether an import section payload may import a
// memory (and so whether memory 0 may be imported). Anything it cannot parse
// counts as "yes": the answer only ever makes the rewrite more conservative.
func importsMemory(payload []byte) bool {
	r := reader{buf: payload}
	count, err := r.u32()
	if err != nil {
		return true
	}
	for i := uint32(0); i < count; i++ {
		kind, err := skipImportNames(&r)
		if err != nil || kind == 0x02 || skipImportDesc(&r, kind) != nil {
			return true
		}
	}
	return false
}

// skipImportNames skips module and field names and returns the import kind.
// readImportNames reads an import's module and field names and its kind.
func readImportNames(r *reader) (mod, name []byte, kind byte, err error) {
	if mod, err = r.vec(); err != nil {
		return
	}
	if name, err = r.vec(); err != nil {
		return
	}
	kind, err = r.byte()
	return
}

func skipImportNames(r *reader) (byte, error) {
	if _, err := r.vec(); err != nil {
		return 0, err
	}
	if _, err := r.vec(); err != nil {
		return 0, err
	}
	return r.byte()
}

// skipImportDesc skips a non-memory import descriptor.
func skipImportDesc(r *reader, kind byte) error {
	switch kind {
	case 0x00: // function: type index
		_, err := r.u32()
		return err
	case 0x01: // table: reftype, limits
		if err := skipValType(r); err != nil {
			return err
		}
		return skipLimits(r)
	case 0x03: // global: valtype, mutability
		if err := skipValType(r); err != nil {
			return err
		}
		_, err := r.byte()
		return err
	case 0x04: // tag: attribute, type index
		if _, err := r.byte(); err != nil {
			return err
		}
		_, err := r.u32()
		return err
	}
	return ErrMalformed
}

// skipValType skips a value or reference type, including typed references.
func skipValType(r *reader) error {
	t, err := r.byte()
	if err != nil {
		return err
	}
	if t == 0x63 || t == 0x64 { // (ref null ht), (ref ht)
		_, err = r.sleb(33)
	}
	return err
}

// skipLimits skips table or memory limits (max, shared, 64-bit and custom
// page size flags).
func skipLimits(r *reader) error {
	flags, err := r.byte()
	if err != nil {
		return err
	}
	if flags&^0x0f != 0 {
		return ErrMalformed
	}
	read := r.u32
	if flags&0x04 != 0 {
		read = func() (uint32, error) { _, err := r.u64(); return 0, err }
	}
	if _, err = read(); err == nil && flags&0x01 != 0 {
		_, err = read()
	}
	if err == nil && flags&0x08 != 0 {
		_, err = r.u32()
	}
	return err
}

// mayReferenceData reports whether a code section payload may contain
// memory.init (0xfc 8) or data.drop (0xfc 9). It scans every byte rather
// than decoding instructions, so it can report false positives but never
// misses a real instruction (the sub-opcode is a u32 LEB128, possibly
// non-minimal, which the scan decodes too).
func mayReferenceData(code []byte) bool {
	for i := 0; i < len(code); i++ {
		if code[i] != 0xfc {
			continue
		}
		v, _, err := decodeULEB(code[i+1:], 32)
		if err == nil && (v == 8 || v == 9) {
			return true
		}
	}
	return false
}
