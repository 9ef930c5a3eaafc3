package wasmrewrite

import (
	"fmt"
	"unicode/utf8"
)

// Section ids this package cares about.
const (
	idCustom    = 0
	idImport    = 2
	idCode      = 10
	idData      = 11
	idDataCount = 12
	maxID       = 13 // tag section (exception handling)
)

// headerLen is the length of the magic and version.
const headerLen = 8

var wasmMagic = [4]byte{0x00, 'a', 's', 'm'}

// Section locates one section of a module.
type Section struct {
	ID     byte   // section id (0 = custom)
	Start  int    // offset of the id byte
	Offset int    // offset of the first payload byte
	Size   int    // payload size in bytes
	Name   string // custom sections only: the section name
}

// End returns the offset just past the section.
func (s Section) End() int { return s.Offset + s.Size }

// Sections parses the module header and the section structure (ids and
// sizes, custom section names) without decoding section contents. It
// rejects bad magic or version, sizes that run past the end of the input,
// unknown section ids and duplicate non-custom sections.
func Sections(wasm []byte) ([]Section, error) {
	if err := checkHeader(wasm); err != nil {
		return nil, fmt.Errorf("wasmrewrite: %w", err)
	}
	r := reader{buf: wasm, pos: headerLen}
	var out []Section
	var seen [maxID + 1]bool
	for r.remaining() > 0 {
		s, err := readSection(&r)
		if err != nil {
			return nil, fmt.Errorf("wasmrewrite: section %d at offset %#x: %w", len(out), s.Start, err)
		}
		if s.ID != idCustom && seen[s.ID] {
			return nil, fmt.Errorf("wasmrewrite: section %d at offset %#x: %w: duplicate section id %d",
				len(out), s.Start, ErrMalformed, s.ID)
		}
		seen[s.ID] = true
		out = append(out, s)
	}
	return out, nil
}

func checkHeader(wasm []byte) error {
	if len(wasm) < 4 || [4]byte(wasm[:4]) != wasmMagic {
		return ErrNotWasm
	}
	if len(wasm) < headerLen {
		return fmt.Errorf("header: %w", ErrTruncated)
	}
	if v := wasm[4:8]; v[0] != 1 || v[1] != 0 || v[2] != 0 || v[3] != 0 {
		return fmt.Errorf("%w: % x", ErrVersion, v)
	}
	return nil
}

// readSection reads one section header and skips its payload. The returned
// Section has Start set even on error.
func readSection(r *reader) (Section, error) {
	s := Section{Start: r.pos}
	id, err := r.byte()
	if err != nil {
		return s, err
	}
	s.ID = id
	if id > maxID {
		return s, fmt.Errorf("%w: unknown section id %d", ErrMalformed, id)
	}
	payload, err := r.vec()
	if err != nil {
		return s, fmt.Errorf("id %d: size: %w", id, err)
	}
	s.Offset, s.Size = r.pos-len(payload), len(payload)
	if id == idCustom {
		s.Name, err = customName(payload)
	}
	return s, err
}

// customName reads the name at the start of a custom section payload.
func customName(payload []byte) (string, error) {
	r := reader{buf: payload}
	name, err := r.vec()
	if err != nil {
		return "", fmt.Errorf("custom section name: %w", err)
	}
	if !utf8.Valid(name) {
		return "", fmt.Errorf("%w: custom section name is not UTF-8", ErrMalformed)
	}
	return string(name), nil
}

// Contents returns what a custom section of wasm holds after its name.
// s must come from Sections(wasm), which has read the name.
func (s Section) Contents(wasm []byte) []byte {
	r := reader{buf: wasm[s.Offset:s.End():s.End()]}
	r.vec() //nolint:errcheck // the name, read by Sections already
	return r.buf[r.pos:]
}

// CutCustom returns wasm without its custom sections called name, and the
// contents of those sections (after the name), in order. The module is
// returned unchanged, not copied, when it has none.
func CutCustom(wasm []byte, name string) (rest []byte, contents [][]byte, err error) {
	secs, err := Sections(wasm)
	if err != nil {
		return nil, nil, err
	}
	last := 0 // end of the part of wasm already copied to rest
	for _, s := range secs {
		if s.ID != idCustom || s.Name != name {
			continue
		}
		if rest == nil {
			rest = make([]byte, 0, len(wasm)-s.Size)
		}
		rest = append(rest, wasm[last:s.Start]...)
		last = s.End()
		contents = append(contents, s.Contents(wasm))
	}
	if rest == nil {
		return wasm, nil, nil
	}
	return append(rest, wasm[last:]...), contents, nil
}
