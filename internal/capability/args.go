package capability

import (
	"fmt"

	"github.com/walkerhost/walkerhost/abi"
)

// Args reads the argument list of a store_call or kv_call (abi/ABI.md
// "Storage") one argument at a time, straight from guest memory. The
// first argument of the wrong kind sticks as the error; later reads give
// zero values. Byte strings are views of guest memory, valid during the
// host call only.
type Args struct {
	r    abi.Reader
	n, i int    // arguments in the list, arguments read
	what string // e.g. "store_call upload", for messages
	err  error
}

// NewArgs starts reading the list value in b.
func NewArgs(b []byte, what string) *Args {
	a := &Args{what: what}
	a.r.Reset(b)
	if a.r.Byte() != abi.TagList {
		a.err = fmt.Errorf("sandbox: %s: the arguments must be a list value", what)
		return a
	}
	a.n = int(a.r.U32())
	a.check()
	return a
}

func (a *Args) check() {
	if err := a.r.Err(); err != nil && a.err == nil {
		a.err = fmt.Errorf("sandbox: %s: malformed arguments: %w", a.what, err)
	}
}

// next moves to the next argument and returns its tag, or false when the
// list has ended or an error stuck.
func (a *Args) next() (byte, bool) {
	if a.err != nil {
		return 0, false
	}
	if a.i >= a.n {
		a.err = fmt.Errorf("sandbox: %s: argument %d is missing", a.what, a.i+1)
		return 0, false
	}
	a.i++
	return a.r.Peek(), true
}

// Peek returns the tag of the next argument without reading it.
func (a *Args) Peek() (byte, bool) {
	if a.err != nil || a.i >= a.n {
		return 0, false
	}
	return a.r.Peek(), true
}

func (a *Args) wrong(want string, tag byte) {
	a.r.Skip()
	a.err = fmt.Errorf("sandbox: %s: argument %d must be %s, got %s", a.what, a.i, want, tagName(tag))
}

// Bytes reads a string argument as a view of guest memory.
func (a *Args) Bytes() []byte {
	tag, ok := a.next()
	if !ok {
		return nil
	}
	if tag != abi.TagString {
		a.wrong("a string", tag)
		return nil
	}
	a.r.Byte()
	b := a.r.StrBytes()
	a.check()
	return b
}

// Str reads a string argument.
func (a *Args) Str() string { return string(a.Bytes()) }

// OptStr reads a string argument that may be null ("").
func (a *Args) OptStr() string {
	if a.err == nil && a.i < a.n && a.r.Peek() == abi.TagNull {
		a.i++
		a.r.Byte()
		return ""
	}
	return a.Str()
}

// Int reads an int argument.
func (a *Args) Int() int64 {
	tag, ok := a.next()
	if !ok {
		return 0
	}
	if tag != abi.TagInt {
		a.wrong("an int", tag)
		return 0
	}
	a.r.Byte()
	v := int64(a.r.U64())
	a.check()
	return v
}

// Bool reads a bool argument.
func (a *Args) Bool() bool {
	tag, ok := a.next()
	if !ok {
		return false
	}
	if tag != abi.TagTrue && tag != abi.TagFalse {
		a.wrong("a bool", tag)
		return false
	}
	return a.r.Byte() == abi.TagTrue
}

// Value reads an argument of any kind, decoded.
func (a *Args) Value() any {
	if _, ok := a.next(); !ok {
		return nil
	}
	v := a.r.Value()
	a.check()
	return v
}

// List reads a list argument, decoded.
func (a *Args) List() []any {
	tag, ok := a.next()
	if !ok {
		return nil
	}
	if tag != abi.TagList {
		a.wrong("a list", tag)
		return nil
	}
	l, _ := a.r.Value().([]any)
	a.check()
	return l
}

// Done returns the first error, or one for arguments left over.
func (a *Args) Done() error {
	if a.err == nil && (a.i != a.n || a.r.Len() != 0) {
		a.err = fmt.Errorf("sandbox: %s: takes %d arguments, got %d", a.what, a.i, a.n)
	}
	return a.err
}

func tagName(tag byte) string {
	switch tag {
	case abi.TagNull:
		return "null"
	case abi.TagFalse, abi.TagTrue:
		return "a bool"
	case abi.TagInt:
		return "an int"
	case abi.TagFloat:
		return "a float"
	case abi.TagString:
		return "a string"
	case abi.TagList:
		return "a list"
	case abi.TagMap:
		return "a map"
	case abi.TagNode, abi.TagEdge:
		return "a node or edge"
	}
	return "a malformed value"
}

// Err returns the first error so far, without checking for arguments left
// over (see Done).
func (a *Args) Err() error { return a.err }
