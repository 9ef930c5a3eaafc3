package wasmrewrite

import (
	"bytes"
	"strings"
	"testing"
)

const testG = 0x100 // value of env.g in wazero and simulations

func TestMergeDataSegments(t *testing.T) {
	tests := []struct {
		name   string
		sp     spec
		maxGap int
		after  int  // expected SegmentsAfter
		same   bool // output must be byte-identical to input
		fill   int  // expected ZeroFillBytes
		placeh int  // expected Placeholders
	}{
		{name: "adjacent", sp: spec{segs: []seg{active(0, "ab"), active(2, "cd"), active(4, "ef")}}, after: 1},
		{name: "small gap", sp: spec{segs: []seg{active(16, "ab"), active(26, "cd")}}, maxGap: 8, after: 1, fill: 8},
		{name: "gap equals maxGap", sp: spec{segs: []seg{active(0, "ab"), active(10, "cd")}}, maxGap: 8, after: 1, fill: 8},
		{name: "gap above maxGap", sp: spec{segs: []seg{active(0, "ab"), active(11, "cd")}}, maxGap: 8, after: 2, same: true},
		{name: "large gap", sp: spec{segs: []seg{active(0, "ab"), active(2, "x"), active(9000, "cd"), active(9002, "y")}}, maxGap: 4096, after: 2},
		{name: "maxGap 0 merges only adjacent", sp: spec{segs: []seg{active(0, "a"), active(1, "b"), active(3, "c")}}, after: 2},
		{name: "overlapping", sp: spec{segs: []seg{active(0, "abcd"), active(2, "XY")}}, maxGap: 64, after: 2, same: true},
		{name: "out of order", sp: spec{segs: []seg{active(100, "a"), active(0, "b"), active(1, "c")}}, maxGap: 64, after: 2},
		{name: "no fill over earlier write", sp: spec{segs: []seg{active(50, "hello"), active(0, "x"), active(100, "y")}}, maxGap: 4096, after: 3, same: true},
		{name: "fill above earlier write", sp: spec{segs: []seg{active(5, "hello"), active(10, "x"), active(100, "y")}}, maxGap: 4096, after: 1, fill: 89},
		{name: "large hole stays mergeable", sp: spec{pages: 2, segs: []seg{active(0, "a"), active(10000, "b"), active(5000, "c"), active(5005, "d")}}, maxGap: 1 << 20, after: 2, fill: 9999 + 4},
		{name: "small hole blocks", sp: spec{segs: []seg{active(0, "a"), active(100, "b"), active(50, "c"), active(55, "d")}}, maxGap: 1 << 20, after: 3, fill: 99},
		{name: "passive in between", sp: spec{segs: []seg{active(0, "a"), passive("p"), active(1, "b"), active(2, "c")}}, maxGap: 64, after: 3},
		{name: "global.get offset", sp: spec{importGlobal: true, segs: []seg{active(0, "a"), globalSeg(0, "G"), active(1, "b")}}, maxGap: 64, after: 3, same: true},
		{name: "no fill after global.get", sp: spec{importGlobal: true, segs: []seg{globalSeg(0, "G"), active(0, "a"), active(1, "b"), active(300, "c")}}, maxGap: 4096, after: 3},
		{name: "flag 2 memory 0", sp: spec{segs: []seg{activeMem(0, 0, "ab"), activeMem(0, 4, "cd")}}, maxGap: 8, after: 1, fill: 2},
		{name: "zero-length segments", sp: spec{segs: []seg{active(0, ""), active(0, "ab"), active(5, ""), active(5, "cd")}}, maxGap: 8, after: 1, fill: 3},
		{name: "negative offset out of bounds", sp: spec{segs: []seg{active(-8, "abcd"), active(-4, "efgh")}}, after: 1},
		{name: "end past 4 GiB kept", sp: spec{segs: []seg{active(-4, "abcd"), active(-2, "efgh")}}, after: 2, same: true},
		{name: "out of bounds", sp: spec{segs: []seg{active(0, "ab"), active(65534, "cdef")}}, maxGap: 1 << 20, after: 1, fill: 65532},
		{name: "data count updated", sp: spec{dataCount: true, segs: []seg{active(0, "a"), active(1, "b"), passive("p")}}, after: 2},
		{name: "data count with memory.init preserves indices", sp: spec{dataCount: true, initSeg: 4, initLen: 3,
			segs: []seg{active(0, "a"), active(1, "b"), active(2, "c"), passive("xyz")}}, after: 4, placeh: 2},
		{name: "imported memory", sp: spec{importMemory: true, segs: []seg{active(0, "a"), active(1, "b")}}, after: 2, same: true},
		{name: "custom sections kept", sp: spec{custom: true, segs: []seg{active(0, "a"), active(1, "b")}}, after: 1},
		{name: "no segments", sp: spec{}, after: 0, same: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.sp.build()
			orig := bytes.Clone(in)
			out, st, err := MergeDataSegments(in, tc.maxGap)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(in, orig) {
				t.Fatal("input modified")
			}
			checkStructure(t, in, out)
			checkSimulated(t, in, out, testG)
			checkWazero(t, in, out, testG, tc.sp.pages)
			want := Stats{len(tc.sp.segs), tc.after, len(in), len(out), tc.fill, tc.placeh}
			if st != want {
				t.Fatalf("stats %+v, want %+v", st, want)
			}
			if tc.same != bytes.Equal(in, out) {
				t.Fatalf("output identical to input: %v, want %v", !tc.same, tc.same)
			}
			again, st2, err := MergeDataSegments(out, tc.maxGap)
			if err != nil || st2.SegmentsAfter != st.SegmentsAfter || !bytes.Equal(again, out) {
				t.Fatalf("not idempotent: %+v, %v", st2, err)
			}
		})
	}
}

// TestMergedEncoding checks the exact bytes of a merged segment.
func TestMergedEncoding(t *testing.T) {
	in := spec{segs: []seg{active(-16, "ab"), active(-12, "cd")}}.build()
	out, _, err := MergeDataSegments(in, 8)
	if err != nil {
		t.Fatal(err)
	}
	want := spec{segs: []seg{active(-16, "ab\x00\x00cd")}}.build()
	if !bytes.Equal(out, want) {
		t.Fatalf("got\n% x\nwant\n% x", out, want)
	}
}

// TestZeroFillCap: a module of tiny segments 1 MiB apart stops filling once
// MaxZeroFill is spent.
func TestZeroFillCap(t *testing.T) {
	var segs []seg
	for i := range 40 {
		segs = append(segs, active(int32(i<<20), "x"))
	}
	in := spec{segs: segs, pages: 1000}.build()
	out, st, err := MergeDataSegments(in, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if st.ZeroFillBytes > MaxZeroFill || st.SegmentsAfter < 2 || len(out) > len(in)+MaxZeroFill+64 {
		t.Fatalf("stats %+v, output %d bytes", st, len(out))
	}
	t.Logf("%+v", st)
	checkStructure(t, in, out)
}

func TestMergeErrors(t *testing.T) {
	hdr := "\x00asm\x01\x00\x00\x00"
	data := func(p ...byte) string { return hdr + string(section(11, p)) }
	tests := []struct {
		name string
		in   string
		gap  int
		err  error
		msg  string // exact message when set
	}{
		{name: "empty", in: "", err: ErrNotWasm},
		{name: "bad magic", in: "\x00asn\x01\x00\x00\x00", err: ErrNotWasm},
		{name: "component", in: "\x00asm\x0d\x00\x01\x00", err: ErrVersion},
		{name: "short header", in: "\x00asm\x01\x00", err: ErrTruncated},
		{name: "negative maxGap", in: hdr, gap: -1, err: ErrInvalidArgument},
		{name: "section size past end", in: hdr + "\x0b\x05\x00", err: ErrTruncated},
		{name: "section size overlong", in: hdr + "\x0b\x80\x80\x80\x80\x80\x00", err: ErrLEB128},
		{name: "section size overflow", in: hdr + "\x0b\xff\xff\xff\xff\x7f", err: ErrLEB128},
		{name: "unknown section", in: hdr + "\x0e\x00", err: ErrMalformed},
		{name: "duplicate data section", in: data(0) + string(section(11, []byte{0})), err: ErrMalformed},
		{name: "custom name past end", in: hdr + "\x00\x02\x05a", err: ErrTruncated},
		{name: "custom name not utf-8", in: hdr + "\x00\x02\x01\xff", err: ErrMalformed},
		{name: "count past segments", in: data(2, 1, 0), err: ErrTruncated,
			msg: "wasmrewrite: data section: segment 1: flags: truncated"},
		{name: "unknown flags", in: data(1, 3), err: ErrMalformed},
		{name: "offset truncated", in: data(1, 0, 0x41), err: ErrTruncated,
			msg: "wasmrewrite: data section: segment 0: offset expression: truncated"},
		{name: "offset missing end", in: data(1, 0, 0x41, 0x00), err: ErrTruncated},
		{name: "offset overflow", in: data(1, 0, 0x41, 0xff, 0xff, 0xff, 0xff, 0x08, 0x0b, 0), err: ErrLEB128},
		{name: "unsupported opcode", in: data(1, 0, 0x10, 0x00, 0x0b, 0), err: ErrUnsupportedExpr,
			msg: "wasmrewrite: data section: segment 0: offset expression: unsupported opcode in constant expression: 0x10"},
		{name: "memory index truncated", in: data(1, 2), err: ErrTruncated},
		{name: "data past end", in: data(1, 1, 5, 'a'), err: ErrTruncated,
			msg: "wasmrewrite: data section: segment 0: data: truncated"},
		{name: "trailing bytes", in: data(1, 1, 0, 0xaa), err: ErrMalformed},
		{name: "data count mismatch", in: hdr + string(section(12, []byte{2})) + string(section(11, []byte{1, 1, 0})), err: ErrMalformed},
		{name: "data count without data", in: hdr + string(section(12, []byte{1})), err: ErrMalformed},
		{name: "data count trailing", in: hdr + string(section(12, []byte{1, 0})), err: ErrMalformed},
		{name: "data count truncated", in: hdr + string(section(12, nil)), err: ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := MergeDataSegments([]byte(tc.in), tc.gap)
			if out != nil || !errorsIs(err, tc.err) {
				t.Fatalf("got %v (output %d bytes), want %v", err, len(out), tc.err)
			}
			if !strings.HasPrefix(err.Error(), "wasmrewrite: ") || (tc.msg != "" && err.Error() != tc.msg) {
				t.Fatalf("message %q, want %q", err, tc.msg)
			}
		})
	}
}

func TestSections(t *testing.T) {
	in := spec{custom: true, dataCount: true, segs: []seg{active(0, "a")}}.build()
	secs, err := Sections(in)
	if err != nil {
		t.Fatal(err)
	}
	var ids []byte
	for _, s := range secs {
		ids = append(ids, s.ID)
	}
	if !bytes.Equal(ids, []byte{0, 5, 7, 12, 11, 0}) || secs[0].Name != "before" || secs[5].Name != "after" {
		t.Fatalf("sections %+v", secs)
	}
	if secs[0].Start != 8 || secs[len(secs)-1].End() != len(in) {
		t.Fatalf("offsets %+v", secs)
	}
}

// TestHostileInputs: crafted layouts stay within the memory and time
// bounds (zero-fill cap, interval-set cap).
func TestHostileInputs(t *testing.T) {
	const n = 200_000
	layouts := map[string]func(i int) int32{
		"tiny segments maxGap apart": func(i int) int32 { return int32(i * (DefaultMaxGap + 1)) },
		"descending":                 func(i int) int32 { return int32((n - i) * 16) },
		"interleaved":                func(i int) int32 { return int32((i%2)*(n*8) + (i/2)*8) },
	}
	for name, off := range layouts {
		t.Run(name, func(t *testing.T) {
			segs := make([]seg, n)
			for i := range segs {
				segs[i] = active(off(i), "x")
			}
			in := spec{segs: segs}.build()
			out, st, err := MergeDataSegments(in, DefaultMaxGap)
			if err != nil {
				t.Fatal(err)
			}
			if st.ZeroFillBytes > MaxZeroFill || len(out) > len(in)+st.ZeroFillBytes+16 {
				t.Fatalf("stats %+v", st)
			}
			t.Logf("%d bytes -> %d, segments %d -> %d", len(in), len(out), st.SegmentsBefore, st.SegmentsAfter)
		})
	}
}
