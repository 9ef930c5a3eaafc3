package wasmrewrite

import (
	"slices"
	"testing"
)

func TestMayReferenceData(t *testing.T) {
	tests := []struct {
		code []byte
		want bool
	}{
		{nil, false},
		{[]byte{0xfc}, false},
		{[]byte{0xfc, 0x0a, 0x00, 0x00}, false}, // memory.copy
		{[]byte{0xfc, 0x08, 0x00, 0x00}, true},  // memory.init
		{[]byte{0x41, 0x00, 0xfc, 0x09, 0x00}, true},
		{[]byte{0xfc, 0x88, 0x80, 0x00}, true},              // non-minimal sub-opcode 8
		{[]byte{0xfc, 0x88, 0x80, 0x80, 0x80, 0x10}, false}, // overflow: not 8
	}
	for _, tc := range tests {
		if got := mayReferenceData(tc.code); got != tc.want {
			t.Errorf("mayReferenceData(% x) = %v, want %v", tc.code, got, tc.want)
		}
	}
}

func TestImportsMemory(t *testing.T) {
	imp := func(kind byte, desc ...byte) []byte {
		return slices.Concat(name("m"), name("f"), []byte{kind}, desc)
	}
	tests := []struct {
		name    string
		payload []byte
		want    bool
	}{
		{"none", vec(), false},
		{"func global table tag", vec(imp(0, 0), imp(3, 0x7f, 0), imp(1, 0x70, 0x01, 0, 1), imp(4, 0, 0)), false},
		{"typed ref global", vec(imp(3, 0x63, 0x70, 0)), false},
		{"memory", vec(imp(0, 0), imp(2, 0, 1)), true},
		{"unknown kind", vec(imp(7)), true},
		{"truncated", vec(imp(0)), true},
		{"bad limits", vec(imp(1, 0x70, 0x10, 0)), true},
	}
	for _, tc := range tests {
		if got := importsMemory(tc.payload); got != tc.want {
			t.Errorf("%s: importsMemory = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestIntervalSet(t *testing.T) {
	var s intervalSet
	for _, iv := range []interval{{10, 20}, {30, 40}, {20, 25}, {50, 50}, {0, 5}, {38, 60}} {
		s.add(iv.start, iv.end)
	}
	if want := []interval{{0, 5}, {10, 25}, {30, 60}}; !slices.Equal(s.iv, want) {
		t.Fatalf("set %v, want %v", s.iv, want)
	}
	for _, q := range []struct {
		a, b uint64
		want bool
	}{{5, 10, false}, {4, 10, true}, {25, 30, false}, {24, 26, true}, {60, 100, false}, {59, 61, true}, {0, 1, true}} {
		if got := s.intersects(q.a, q.b); got != q.want {
			t.Errorf("intersects(%d, %d) = %v, want %v", q.a, q.b, got, q.want)
		}
	}
	for i := range maxTrackedRuns {
		s.add(uint64(1000+2*i), uint64(1001+2*i))
	}
	if !s.full() || len(s.iv) > maxTrackedRuns {
		t.Fatalf("cap: full %v, %d intervals", s.full(), len(s.iv))
	}
}
