package wasmrewrite

import (
	"bytes"
	"strings"
	"testing"
)

func FuzzMergeDataSegments(f *testing.F) {
	seeds := []spec{
		{segs: []seg{active(0, "ab"), active(2, "cd"), active(10, "ef")}},
		{segs: []seg{active(100, "a"), active(0, "b"), active(1, "c"), active(40, "d")}},
		{importGlobal: true, segs: []seg{active(0, "a"), globalSeg(0, "G"), active(1, "b"), passive("p")}},
		{dataCount: true, initSeg: 3, initLen: 2, segs: []seg{active(0, "a"), active(1, "b"), passive("xy")}},
		{importMemory: true, custom: true, segs: []seg{activeMem(0, 0, "a"), activeMem(1, 1, "b")}},
		{segs: []seg{active(-8, "abcd"), active(-4, "efgh"), active(0, "")}},
	}
	for i, sp := range seeds {
		f.Add(sp.build(), uint16(8*i))
	}
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x0b\x06\x01\x00\x41\x00\x0b\x00"), uint16(0))
	f.Fuzz(func(t *testing.T, in []byte, gap uint16) {
		orig := bytes.Clone(in)
		out, st, err := MergeDataSegments(in, int(gap))
		if !bytes.Equal(in, orig) {
			t.Fatal("input modified")
		}
		if err != nil {
			if out != nil {
				t.Fatal("output with error")
			}
			return
		}
		if st.BytesAfter != len(out) || len(out) > len(in)+st.ZeroFillBytes+16+st.SegmentsAfter {
			t.Fatalf("size: %+v, %d -> %d", st, len(in), len(out))
		}
		checkStructure(t, in, out)
		checkSimulated(t, in, out, testG)
		again, st2, err := MergeDataSegments(out, int(gap))
		if err != nil {
			t.Fatalf("output does not merge again: %v", err)
		}
		if st.ZeroFillBytes+int(gap) < MaxZeroFill && (st2.SegmentsAfter != st.SegmentsAfter || !bytes.Equal(again, out)) {
			t.Fatalf("not idempotent: %+v then %+v", st, st2)
		}
	})
}

// FuzzMergeLayout builds modules from a fuzzed segment layout (3 bytes per
// segment: kind, offset, length) and checks the merged module against the
// original in the simulator and in wazero.
func FuzzMergeLayout(f *testing.F) {
	f.Add([]byte{0, 0, 4, 0, 4, 4, 0, 10, 2, 1, 0, 3, 0, 2, 1}, uint8(8), false)
	f.Add([]byte{0, 50, 3, 0, 0, 1, 0, 70, 1, 2, 9, 2, 3, 1, 1, 0, 8, 1}, uint8(64), true)
	f.Fuzz(func(t *testing.T, layout []byte, gap uint8, dataCount bool) {
		sp := spec{importGlobal: true, dataCount: dataCount}
		for i := 0; i+2 < len(layout) && len(sp.segs) < 64; i += 3 {
			sp.segs = append(sp.segs, layoutSeg(layout[i], layout[i+1], layout[i+2]))
		}
		for i, s := range sp.segs {
			if dataCount && s.flags == 1 && len(s.data) > 0 {
				sp.initSeg, sp.initLen = i+1, len(s.data)
			}
		}
		in := sp.build()
		out, _, err := MergeDataSegments(in, int(gap))
		if err != nil {
			t.Fatal(err)
		}
		checkStructure(t, in, out)
		checkSimulated(t, in, out, testG)
		checkWazero(t, in, out, testG, 1)
	})
}

// layoutSeg: kind%8 selects i32.const (0-4), passive (5), global.get (6)
// or flag 2 with memory 0 (7); offsets are multiples of 4 up to 1020 (kind
// bit 3 moves them to the end of the first page to test out of bounds).
func layoutSeg(kind, off, n byte) seg {
	data := strings.Repeat(string(rune('a'+kind%26)), int(n%24))
	o := int32(off) * 4
	if kind&8 != 0 {
		o = 65536 - int32(off%32)
	}
	switch kind % 8 {
	case 5:
		return passive(data)
	case 6:
		return globalSeg(0, data)
	case 7:
		return activeMem(0, o, data)
	}
	return active(o, data)
}
