package sandbox

import (
	"fmt"

	"github.com/walkerhost/walkerhost/abi"
)

// opArgs reads the argument list of a store_call or kv_call (abi/ABI.md
// "Storage") one argument at a time, straight from guest memory. The
// first argument of the wrong kind sticks as the error; later reads give
// zero values. Byte strings are views of guest memory, valid during the
// host call only.
type opArgs struct {
	r    abi.Reader
	n, i int    // arguments in the list, arguments read
	what string // e.g. "store_call upload", for messages
	err  error
}

// newOpArgs starts reading the list value in b.
func newOpArgs(b []byte, what string) *opArgs {
	a := &opArgs{what: what}
	a.r.Reset(b)
	if a.r.Byte() != abi.TagList {
		a.err = fmt.Errorf("sandbox: %s: the arguments must be a list value", what)
		return a
	}
	a.n = int(a.r.U32())
	a.check()
	return a
}

func (a *opArgs) check() {
	if err := a.r.Err(); err != nil && a.err == nil {
		a.err = fmt.Errorf("sandbox: %s: malformed arguments: %w", a.what, err)
	}
}

// next moves to the next argument and returns its tag, or false when the
// list has ended or an error stuck.
func (a *opArgs) next() (byte, bool) {
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

// peek returns the tag of the next argument without reading it.
func (a *opArgs) peek() (byte, bool) {
	if a.err != nil || a.i >= a.n {
		return 0, false
	}
	return a.r.Peek(), true
}

func (a *opArgs) wrong(want string, tag byte) {
	a.r.Skip()
	a.err = fmt.Errorf("sandbox: %s: argument %d must be %s, got %s", a.what, a.i, want, tagName(tag))
}

// bytes reads a string argument as a view of guest memory.
func (a *opArgs) bytes() []byte {
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

// str reads a string argument.
func (a *opArgs) str() string { return string(a.bytes()) }

// optStr reads a string argument that may be null ("").
func (a *opArgs) optStr() string {
	if a.err == nil && a.i < a.n && a.r.Peek() == abi.TagNull {
		a.i++
		a.r.Byte()
		return ""
	}
	return a.str()
}

// int reads an int argument.
func (a *opArgs) int() int64 {
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

// bool reads a bool argument.
func (a *opArgs) bool() bool {
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

// value reads an argument of any kind, decoded.
func (a *opArgs) value() any {
	if _, ok := a.next(); !ok {
		return nil
	}
	v := a.r.Value()
	a.check()
	return v
}

// list reads a list argument, decoded.
func (a *opArgs) list() []any {
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

// done returns the first error, or one for arguments left over.
func (a *opArgs) done() error {
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
