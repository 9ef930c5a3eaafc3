package wasmrewrite

import "fmt"

// eachImport decodes an import section payload and calls fn with every
// import's names and kind.
func eachImport(payload []byte, fn func(mod, name []byte, kind byte)) error {
	r := reader{buf: payload}
	count, err := r.u32()
	if err != nil {
		return fmt.Errorf("import section: count: %w", err)
	}
	for i := uint32(0); i < count; i++ {
		mod, name, kind, err := readImportNames(&r)
		switch {
		case err != nil:
		case kind > 0x04:
			err = fmt.Errorf("%w: unknown import kind %#02x", ErrMalformed, kind)
		case kind == 0x02: // memory
			err = skipLimits(&r)
		default:
			err = skipImportDesc(&r, kind)
		}
		if err != nil {
			return fmt.Errorf("import section: import %d: %w", i, err)
		}
		fn(mod, name, kind)
	}
	if n := r.remaining(); n != 0 {
		return fmt.Errorf("import section: %w: %d trailing bytes", ErrMalformed, n)
	}
	return nil
}

// eachExport decodes an export section payload, calls check with every
// export's name, and returns the export count and the length of its
// encoding.
func eachExport(payload []byte, check func(name string) error) (count uint32, countLen int, err error) {
	r := reader{buf: payload}
	if count, err = r.u32(); err != nil {
		return 0, 0, fmt.Errorf("export section: count: %w", err)
	}
	countLen = r.pos
	for i := uint32(0); i < count; i++ {
		name, err := r.vec()
		if err != nil {
			return 0, 0, fmt.Errorf("export section: export %d: name: %w", i, err)
		}
		kind, err := r.byte()
		if err == nil && kind > 0x04 {
			err = fmt.Errorf("%w: unknown export kind %#02x", ErrMalformed, kind)
		}
		if err == nil {
			_, err = r.u32()
		}
		if err == nil {
			err = check(string(name))
		}
		if err != nil {
			return 0, 0, fmt.Errorf("export section: export %d: %w", i, err)
		}
	}
	if n := r.remaining(); n != 0 {
		return 0, 0, fmt.Errorf("export section: %w: %d trailing bytes", ErrMalformed, n)
	}
	return count, countLen, nil
}
