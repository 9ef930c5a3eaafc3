package wasmrewrite

import (
	"bytes"
	"fmt"
	"math"
)

const (
	// DefaultMaxGap is the recommended maxGap: gaps of up to one page of
	// zeros are filled, larger ones start a new segment.
	DefaultMaxGap = 4096
	// MaxZeroFill caps the zero bytes one MergeDataSegments call adds to
	// fill gaps. Once spent, gaps start new segments instead.
	MaxZeroFill = 16 << 20
)

// Stats describes a MergeDataSegments call.
type Stats struct {
	SegmentsBefore int // data segments in the input
	SegmentsAfter  int // data segments in the output (including Placeholders)
	BytesBefore    int // module size in bytes, input
	BytesAfter     int // module size in bytes, output
	ZeroFillBytes  int // zero bytes added to fill gaps
	Placeholders   int // empty passive segments kept to preserve segment indices
}

// MergeDataSegments returns a copy of wasm in which runs of consecutive
// active data segments of memory 0 with ascending, non-overlapping i32.const
// offsets are merged into single segments, filling gaps of at most maxGap
// bytes with zeros (see the package documentation for the exact rules).
// Only the data and data count sections change. The input is not modified.
// When nothing can be merged the output is byte-identical to the input.
func MergeDataSegments(wasm []byte, maxGap int) ([]byte, Stats, error) {
	st := Stats{BytesBefore: len(wasm)}
	if maxGap < 0 {
		return nil, st, fmt.Errorf("wasmrewrite: %w: maxGap %d < 0", ErrInvalidArgument, maxGap)
	}
	secs, err := Sections(wasm)
	if err != nil {
		return nil, st, err
	}
	m, err := inspect(wasm, secs, maxGap)
	if err != nil {
		return nil, st, fmt.Errorf("wasmrewrite: %w", err)
	}
	runs := m.plan.runs
	st.SegmentsBefore, st.SegmentsAfter = m.count, m.count
	if len(runs) == m.count {
		st.BytesAfter = len(wasm)
		return bytes.Clone(wasm), st, nil
	}
	out, err := m.assemble(wasm, secs)
	if err != nil {
		return nil, st, fmt.Errorf("wasmrewrite: %w", err)
	}
	st.SegmentsAfter = m.newCount(runs)
	if m.preserve {
		st.Placeholders = m.count - len(runs)
	}
	st.BytesAfter, st.ZeroFillBytes = len(out), int(MaxZeroFill-m.plan.budget)
	return out, st, nil
}

// module holds what MergeDataSegments learnt about a module.
type module struct {
	count       int     // data segments in the input
	dataIdx     int     // index in secs of the data section, or -1
	memImported bool    // memory 0 may be imported: merge nothing
	preserve    bool    // code may use data indices: keep them with placeholders
	plan        planner // the runs
}

// inspect scans the import, data count and code sections, then parses the
// data section and plans the runs.
func inspect(wasm []byte, secs []Section, maxGap int) (*module, error) {
	m := &module{dataIdx: -1}
	var code []byte
	dataCount := int64(-1)
	for i, s := range secs {
		payload := wasm[s.Offset:s.End()]
		var err error
		switch s.ID {
		case idImport:
			m.memImported = importsMemory(payload)
		case idCode:
			code = payload
		case idDataCount:
			dataCount, err = parseDataCount(payload)
		case idData:
			m.dataIdx = i
		}
		if err != nil {
			return nil, err
		}
	}
	m.preserve = dataCount >= 0 && mayReferenceData(code)
	m.plan = planner{maxGap: uint64(maxGap), budget: MaxZeroFill, merge: !m.memImported}
	if m.dataIdx >= 0 {
		s := secs[m.dataIdx]
		n, err := scanData(wasm[s.Offset:s.End()], m.plan.add)
		if err != nil {
			return nil, fmt.Errorf("data section: %w", err)
		}
		m.count = n
	}
	if dataCount >= 0 && dataCount != int64(m.count) {
		return nil, fmt.Errorf("data count section: %w: count %d, data section has %d segments",
			ErrMalformed, dataCount, m.count)
	}
	return m, nil
}

// parseDataCount parses a data count section payload: exactly one u32.
func parseDataCount(payload []byte) (int64, error) {
	r := reader{buf: payload}
	n, err := r.u32()
	if err != nil {
		return 0, fmt.Errorf("data count section: %w", err)
	}
	if r.remaining() != 0 {
		return 0, fmt.Errorf("data count section: %w: %d trailing bytes", ErrMalformed, r.remaining())
	}
	return int64(n), nil
}

// assemble builds the output module: every section copied verbatim except
// the data section (re-encoded from the runs) and the data count section.
// The output is allocated once, at its final size.
func (m *module) assemble(wasm []byte, secs []Section) ([]byte, error) {
	runs := m.plan.runs
	dataSize := m.dataSize(runs)
	if dataSize > math.MaxUint32 {
		return nil, fmt.Errorf("data section: %w: %d bytes", ErrTooLarge, dataSize)
	}
	count := uint64(m.newCount(runs))
	old := secs[m.dataIdx]
	total := len(wasm) - (old.End() - old.Start) + 1 + ulebLen(dataSize) + int(dataSize)
	out := make([]byte, 0, total+16) // +16: a re-encoded data count section
	out = append(out, wasm[:headerLen]...)
	for _, s := range secs {
		switch s.ID {
		case idData:
			out = append(out, idData)
			out = appendULEB(out, dataSize)
			e := emitter{dst: appendULEB(out, count), runs: runs, preserve: m.preserve}
			if _, err := scanData(wasm[s.Offset:s.End()], e.visit); err != nil {
				return nil, err // cannot happen: inspect parsed the same bytes
			}
			out = e.dst
		case idDataCount:
			out = append(out, idDataCount, byte(ulebLen(count)))
			out = appendULEB(out, count)
		default:
			out = append(out, wasm[s.Start:s.End()]...)
		}
	}
	return out, nil
}

// newCount returns the number of segments in the output.
func (m *module) newCount(runs []run) int {
	if m.preserve {
		return m.count
	}
	return len(runs)
}
