// Package bundle is the program form a Jac module carries: the source files
// of a Jac app, each a name and its text, in one byte string. `jac build`
// writes it into the module's walker.program section (abi/ABI.md
// "Program"); the Jac runtime reads it back during _initialize and parses
// it there, so that the program a host runs is exactly the source that was
// checked.
//
// The form is the magic "jacprog1", then for each file its name and its
// text, each as a uvarint length followed by the bytes.
package bundle

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Magic starts every bundle.
const Magic = "jacprog1"

// File is one source file of a bundle.
type File struct {
	Name string
	Src  []byte
}

// Encode returns the bundle of files, in order.
func Encode(files []File) []byte {
	b := []byte(Magic)
	for _, f := range files {
		b = binary.AppendUvarint(b, uint64(len(f.Name)))
		b = append(b, f.Name...)
		b = binary.AppendUvarint(b, uint64(len(f.Src)))
		b = append(b, f.Src...)
	}
	return b
}

// ErrFormat is wrapped by every error of Decode.
var ErrFormat = errors.New("bundle: not a Jac program bundle")

// Decode returns the files of a bundle. Their Src slices alias b.
func Decode(b []byte) ([]File, error) {
	if len(b) < len(Magic) || string(b[:len(Magic)]) != Magic {
		return nil, fmt.Errorf("%w: no %q header", ErrFormat, Magic)
	}
	b = b[len(Magic):]
	var files []File
	for len(b) > 0 {
		name, rest, err := chunk(b)
		if err != nil {
			return nil, fmt.Errorf("%w: file %d: name: %v", ErrFormat, len(files)+1, err)
		}
		src, rest, err := chunk(rest)
		if err != nil {
			return nil, fmt.Errorf("%w: file %d (%s): text: %v", ErrFormat, len(files)+1, name, err)
		}
		files = append(files, File{Name: string(name), Src: src})
		b = rest
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%w: no files", ErrFormat)
	}
	return files, nil
}

// chunk reads one length-prefixed byte string.
func chunk(b []byte) (data, rest []byte, err error) {
	n, k := binary.Uvarint(b)
	if k <= 0 {
		return nil, nil, errors.New("bad length")
	}
	b = b[k:]
	if n > uint64(len(b)) {
		return nil, nil, fmt.Errorf("length %d runs past the end", n)
	}
	return b[:n:n], b[n:], nil
}

// MainWalker is the private walker through which the Jac runtime runs a
// program's `with entry` blocks (jac run). Being private it has no HTTP
// route. Its one report is {"stdout": what the blocks printed, "error":
// the exception that ended them, or nil}.
const MainWalker = "_jac_main"

// Section is the name of the custom section a module carries its bundle
// in: the walker ABI's program section (abi.ProgramSection, which this
// module, free of dependencies, cannot import).
const Section = "walker.program"

// Append returns the module wasm with the bundle of files appended as its
// program section.
func Append(wasm []byte, files []File) []byte {
	payload := binary.AppendUvarint(nil, uint64(len(Section)))
	payload = append(payload, Section...)
	payload = append(payload, Encode(files)...)
	out := make([]byte, 0, len(wasm)+len(payload)+binary.MaxVarintLen32+1)
	out = append(out, wasm...)
	out = append(out, 0) // a custom section
	out = binary.AppendUvarint(out, uint64(len(payload)))
	return append(out, payload...)
}
