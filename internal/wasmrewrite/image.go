package wasmrewrite

import (
	"fmt"
	"math"
)

// DataImage returns a copy of wasm whose active data segments of memory 0
// carry no bytes, and image, the memory those segments wrote at
// instantiation: zeros up to the highest byte any of them wrote, with each
// segment's data at its offset, later segments over earlier ones. A host
// that gives new instances a memory already holding image (a copy-on-write
// mapping of it, say) instantiates them without copying the data.
//
// The segments keep their order, offsets and indices. ok is false, and
// nothing is rewritten, when the result could behave differently: memory 0
// is imported or absent, some active segment's offset is not an i32.const,
// a segment lies past the declared minimum (instantiation must still
// fail), or the code may use memory.init or data.drop (whose behaviour on
// active segments after instantiation wazero does not share with the spec).
func DataImage(wasm []byte) (out, image []byte, ok bool, err error) {
	secs, err := Sections(wasm)
	if err != nil {
		return nil, nil, false, err
	}
	var data, mem *Section
	var code []byte
	dataCount := false
	for i, s := range secs {
		switch s.ID {
		case idCode:
			code = wasm[s.Offset:s.End()]
		case idDataCount:
			dataCount = true
		case idImport:
			if importsMemory(wasm[s.Offset:s.End()]) {
				return wasm, nil, false, nil
			}
		case idMemory:
			mem = &secs[i]
		case idData:
			data = &secs[i]
		}
	}
	if data == nil || mem == nil || dataCount && mayReferenceData(code) {
		return wasm, nil, false, nil
	}
	decl, _, err := readMemory(wasm[mem.Offset:mem.End()])
	if err != nil {
		return nil, nil, false, fmt.Errorf("wasmrewrite: memory section: %w", err)
	}
	minBytes := uint64(decl.Min) * 65536
	payload := wasm[data.Offset:data.End()]
	var size uint64
	fits := true
	if _, err := scanData(payload, func(_ int, s *segment) {
		switch s.kind {
		case segOpaque:
			fits = false
		case segConst:
			if s.end() > minBytes {
				fits = false
			}
			size = max(size, s.end())
		}
	}); err != nil {
		return nil, nil, false, fmt.Errorf("wasmrewrite: data section: %w", err)
	}
	if !fits {
		return wasm, nil, false, nil
	}
	image = make([]byte, size)
	section := make([]byte, 0, len(payload))
	n, _ := scanData(payload, func(_ int, s *segment) {
		if s.kind != segConst {
			section = append(section, s.raw...)
			return
		}
		copy(image[s.offset:], s.data)
		section = append(section, 0x00, opI32Const)
		section = appendSLEB(section, int64(int32(s.offset)))
		section = append(section, opEnd, 0x00) // no bytes
	})
	section = append(appendULEB(nil, uint64(n)), section...)
	if uint64(len(section)) > math.MaxUint32 {
		return nil, nil, false, fmt.Errorf("wasmrewrite: data section: %w", ErrTooLarge)
	}
	out = make([]byte, 0, len(wasm)-data.Size+len(section))
	out = append(out, wasm[:data.Start]...)
	out = append(out, idData)
	out = appendULEB(out, uint64(len(section)))
	out = append(out, section...)
	out = append(out, wasm[data.End():]...)
	return out, image, true, nil
}
