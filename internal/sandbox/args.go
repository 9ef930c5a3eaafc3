package sandbox

import (
	"github.com/walkerhost/walkerhost/internal/graph"
)

// args reads the arguments of a host function. The first argument that
// does not resolve answers the call with its errno (written to stack[0],
// whose argument has been read by then); later reads return zero values,
// so a function checks ok once before acting.
type args struct {
	s     *session
	stack []uint64
	errno uint64
}

// argsOf returns the argument reader of a host function.
func argsOf(s *session, stack []uint64) args {
	return args{s: s, stack: stack}
}

func (a *args) ok() bool { return a.errno == 0 }

func (a *args) check(errno uint64) {
	if errno != 0 && a.errno == 0 {
		a.errno, a.stack[0] = errno, errno
	}
}

// handle reads the handle in slot i.
func (a *args) handle(i int) graph.ID {
	if !a.ok() {
		return graph.ID{}
	}
	id, errno := a.s.handle(a.stack[i])
	a.check(errno)
	return id
}

// level reads the access level in slot i.
func (a *args) level(fn string, i int) graph.Level {
	if !a.ok() {
		return 0
	}
	l, errno := a.s.level(fn, a.stack[i])
	a.check(errno)
	return l
}

// rootID reads the root id whose pointer and length are in slots i and i+1.
func (a *args) rootID(fn string, i int) graph.ID {
	if !a.ok() {
		return graph.ID{}
	}
	id, errno := a.s.rootID(fn, a.stack[i], a.stack[i+1])
	a.check(errno)
	return id
}

// done answers the call with the outcome of a graph operation.
func (a *args) done(err error) { a.stack[0] = a.s.done(err) }
