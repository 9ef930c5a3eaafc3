package wasmrewrite

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

func TestDecodeULEB(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		bits uint
		want uint64
		n    int
		err  error
	}{
		{"zero", []byte{0x00}, 32, 0, 1, nil},
		{"127", []byte{0x7f}, 32, 127, 1, nil},
		{"128", []byte{0x80, 0x01}, 32, 128, 2, nil},
		{"stops at end byte", []byte{0x05, 0xff}, 32, 5, 1, nil},
		{"non-minimal allowed", []byte{0x80, 0x00}, 32, 0, 2, nil},
		{"non-minimal 5 bytes", []byte{0x80, 0x80, 0x80, 0x80, 0x00}, 32, 0, 5, nil},
		{"max u32", []byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 32, math.MaxUint32, 5, nil},
		{"u32 overflow", []byte{0xff, 0xff, 0xff, 0xff, 0x1f}, 32, 0, 0, ErrLEB128},
		{"u32 unused bit", []byte{0x80, 0x80, 0x80, 0x80, 0x40}, 32, 0, 0, ErrLEB128},
		{"u32 6 bytes", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 32, 0, 0, ErrLEB128},
		{"empty", nil, 32, 0, 0, ErrTruncated},
		{"truncated", []byte{0x80}, 32, 0, 0, ErrTruncated},
		{"truncated 4", []byte{0x80, 0x80, 0x80, 0x80}, 32, 0, 0, ErrTruncated},
		{"max u64", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 64, math.MaxUint64, 10, nil},
		{"u64 overflow", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, 64, 0, 0, ErrLEB128},
		{"u64 11 bytes", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 64, 0, 0, ErrLEB128},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, n, err := decodeULEB(tc.in, tc.bits)
			if !errors.Is(err, tc.err) || v != tc.want || n != tc.n {
				t.Fatalf("decodeULEB(% x) = %d, %d, %v; want %d, %d, %v", tc.in, v, n, err, tc.want, tc.n, tc.err)
			}
		})
	}
}

func TestDecodeSLEB(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		bits uint
		want int64
		n    int
		err  error
	}{
		{"-1", []byte{0x7f}, 32, -1, 1, nil},
		{"63", []byte{0x3f}, 32, 63, 1, nil},
		{"-64", []byte{0x40}, 32, -64, 1, nil},
		{"64", []byte{0xc0, 0x00}, 32, 64, 2, nil},
		{"-128", []byte{0x80, 0x7f}, 32, -128, 2, nil},
		{"max s32", []byte{0xff, 0xff, 0xff, 0xff, 0x07}, 32, math.MaxInt32, 5, nil},
		{"min s32", []byte{0x80, 0x80, 0x80, 0x80, 0x78}, 32, math.MinInt32, 5, nil},
		{"-1 non-minimal", []byte{0xff, 0xff, 0xff, 0xff, 0x7f}, 32, -1, 5, nil},
		{"s32 overflow positive", []byte{0xff, 0xff, 0xff, 0xff, 0x08}, 32, 0, 0, ErrLEB128},
		{"s32 overflow negative", []byte{0x80, 0x80, 0x80, 0x80, 0x77}, 32, 0, 0, ErrLEB128},
		{"s32 6 bytes", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, 32, 0, 0, ErrLEB128},
		{"s32 truncated", []byte{0xff, 0xff}, 32, 0, 0, ErrTruncated},
		{"max s64", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}, 64, math.MaxInt64, 10, nil},
		{"min s64", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}, 64, math.MinInt64, 10, nil},
		{"s64 overflow", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, 64, 0, 0, ErrLEB128},
		{"s33 -1", []byte{0xff, 0xff, 0xff, 0xff, 0x7f}, 33, -1, 5, nil},
		{"s33 max", []byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 33, 1<<32 - 1, 5, nil},
		{"s33 min", []byte{0x80, 0x80, 0x80, 0x80, 0x70}, 33, -1 << 32, 5, nil},
		{"s33 overflow", []byte{0x80, 0x80, 0x80, 0x80, 0x10}, 33, 0, 0, ErrLEB128},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, n, err := decodeSLEB(tc.in, tc.bits)
			if !errors.Is(err, tc.err) || v != tc.want || n != tc.n {
				t.Fatalf("decodeSLEB(% x) = %d, %d, %v; want %d, %d, %v", tc.in, v, n, err, tc.want, tc.n, tc.err)
			}
		})
	}
}

func TestLEBRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	u := []uint64{0, 1, 63, 64, 127, 128, 1<<32 - 1, 1 << 35, math.MaxUint64}
	s := []int64{0, -1, 63, -64, 64, -65, math.MaxInt32, math.MinInt32, math.MaxInt64, math.MinInt64}
	for range 1000 {
		u = append(u, rng.Uint64()>>rng.IntN(64))
		s = append(s, int64(rng.Uint64())>>rng.IntN(64))
	}
	for _, v := range u {
		b := appendULEB(nil, v)
		got, n, err := decodeULEB(b, 64)
		if err != nil || got != v || n != len(b) || ulebLen(v) != len(b) {
			t.Fatalf("uleb %d: % x -> %d, %d, %v", v, b, got, n, err)
		}
	}
	for _, v := range s {
		b := appendSLEB(nil, v)
		got, n, err := decodeSLEB(b, 64)
		if err != nil || got != v || n != len(b) || slebLen(v) != len(b) {
			t.Fatalf("sleb %d: % x -> %d, %d, %v", v, b, got, n, err)
		}
	}
}
