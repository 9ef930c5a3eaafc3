//go:build !linux

package sandbox

// cowAvailable reports whether this build can map images copy-on-write.
const cowAvailable = false

// newImage is a heap copy of b: this platform has no copy-on-write path.
func newImage(b []byte) *memImage { return heapImage(b) }

type mmapMemory = sliceMemory

func mapImage(*memImage, uint64) *mmapMemory           { return nil }
func rebase([]byte, *memImage) bool                    { return false }
func privatePages([]byte, *[]byte, func(off int)) bool { return false }
