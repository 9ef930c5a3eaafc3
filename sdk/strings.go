package sdk

import "unsafe"

// Strings made from request bytes (field values, ids) are copied into a
// shared chunk instead of each taking a heap allocation, which costs far
// more than a copy in wasm. A chunk's bytes are never written again once a
// string points at them, so the strings are as immutable as any other: a
// full chunk is replaced, never reused, and lives as long as one of its
// strings does. Long strings are allocated on their own, so that a kept
// string pins at most strChunkSize bytes.
const (
	strChunkSize = 2048
	strMaxShared = 64
)

var strChunk []byte

// newString returns b as a string.
func newString(b []byte) string {
	if len(b) == 0 || len(b) > strMaxShared {
		return string(b)
	}
	if cap(strChunk)-len(strChunk) < len(b) {
		strChunk = make([]byte, 0, strChunkSize)
	}
	n := len(strChunk)
	strChunk = append(strChunk, b...)
	return unsafe.String(&strChunk[n], len(b))
}
