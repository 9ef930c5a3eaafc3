package wasmrewrite

import (
	"fmt"
	"math"
)

const idMemory = 5

// Memory is what a module's memory section declares, in 64 KiB pages.
type Memory struct {
	Min    uint32
	Max    uint32 // meaningful when HasMax
	HasMax bool
}

// CapMemory returns a copy of wasm whose defined memory declares a maximum
// of at most maxPages, and the memory as the module declared it. A host
// whose runtime caps every module alike can so give each module a limit of
// its own. A module without a memory section is returned unchanged; a
// module whose minimum exceeds maxPages is returned unchanged too, and the
// caller compares decl.Min itself to refuse it with its own message.
func CapMemory(wasm []byte, maxPages uint32) ([]byte, Memory, error) {
	secs, err := Sections(wasm)
	if err != nil {
		return nil, Memory{}, err
	}
	for _, s := range secs {
		if s.ID != idMemory {
			continue
		}
		decl, rest, err := readMemory(wasm[s.Offset:s.End():s.End()])
		if err != nil {
			return nil, Memory{}, fmt.Errorf("wasmrewrite: memory section: %w", err)
		}
		if decl.Min > maxPages {
			return wasm, decl, nil
		}
		max := maxPages
		if decl.HasMax {
			max = min(max, decl.Max)
		}
		payload := appendULEB(nil, 1)
		payload = append(payload, 0x01)
		payload = appendULEB(payload, uint64(decl.Min))
		payload = appendULEB(payload, uint64(max))
		payload = append(payload, rest...)
		if uint64(len(payload)) > math.MaxUint32 {
			return nil, Memory{}, fmt.Errorf("wasmrewrite: memory section: %w", ErrTooLarge)
		}
		out := make([]byte, 0, len(wasm)+8)
		out = append(out, wasm[:s.Start]...)
		out = append(out, idMemory)
		out = appendULEB(out, uint64(len(payload)))
		out = append(out, payload...)
		return append(out, wasm[s.End():]...), decl, nil
	}
	return wasm, Memory{}, nil
}

// readMemory decodes the first memory of a memory section and returns what
// follows it (further memories, which only multi-memory modules have).
func readMemory(payload []byte) (Memory, []byte, error) {
	r := reader{buf: payload}
	n, err := r.u32()
	if err != nil {
		return Memory{}, nil, err
	}
	if n != 1 {
		return Memory{}, nil, fmt.Errorf("%w: %d memories; a module may define one", ErrMalformed, n)
	}
	flags, err := r.byte()
	if err != nil {
		return Memory{}, nil, err
	}
	if flags > 1 {
		return Memory{}, nil, fmt.Errorf("%w: memory flags %#x (shared or 64-bit memory)", ErrMalformed, flags)
	}
	var m Memory
	if m.Min, err = r.u32(); err != nil {
		return Memory{}, nil, err
	}
	if flags == 1 {
		m.HasMax = true
		if m.Max, err = r.u32(); err != nil {
			return Memory{}, nil, err
		}
	}
	return m, payload[r.pos:], nil
}
