package wasmrewrite

import (
	"bytes"
	"errors"
	"testing"
)

// memoryModule is a module with only a memory section holding limits.
func memoryModule(limits ...byte) []byte {
	m := []byte{0, 'a', 's', 'm', 1, 0, 0, 0, idMemory, byte(len(limits) + 1), 1}
	return append(m, limits...)
}

func TestCapMemory(t *testing.T) {
	tests := []struct {
		name     string
		in       []byte
		maxPages uint32
		want     []byte
		decl     Memory
	}{
		{"no maximum gets one", memoryModule(0x00, 2), 16, memoryModule(0x01, 2, 16), Memory{Min: 2}},
		{"larger maximum is lowered", memoryModule(0x01, 2, 100), 16, memoryModule(0x01, 2, 16), Memory{Min: 2, Max: 100, HasMax: true}},
		{"smaller maximum is kept", memoryModule(0x01, 2, 8), 16, memoryModule(0x01, 2, 8), Memory{Min: 2, Max: 8, HasMax: true}},
		{"minimum over the cap is left for the caller", memoryModule(0x00, 32), 16, memoryModule(0x00, 32), Memory{Min: 32}},
		{"no memory section", []byte{0, 'a', 's', 'm', 1, 0, 0, 0}, 16, []byte{0, 'a', 's', 'm', 1, 0, 0, 0}, Memory{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, decl, err := CapMemory(tc.in, tc.maxPages)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, tc.want) || decl != tc.decl {
				t.Fatalf("got % x %+v, want % x %+v", out, decl, tc.want, tc.decl)
			}
		})
	}
}

func TestCapMemory_Errors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"not wasm", []byte("hello"), ErrNotWasm},
		{"shared memory", memoryModule(0x03, 1, 2), ErrMalformed},
		{"truncated limits", memoryModule(0x01, 1), ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := CapMemory(tc.in, 16); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}
