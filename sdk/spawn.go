package sdk

import "errors"

// spawner is a declared walker as Spawn runs it.
type spawner interface {
	spawnValue(x any, at Node) (bool, error)
	spawnNew(at Node) error
}

// Spawn runs another walker of this module to completion on node at,
// within the same request; its reports join this response. walker is a
// walker's name (it starts from its defaults) or a walker value, such as
// one from WalkerDef.New with fields set, whose fields can be read after
// (the first walker declared with that Go type runs). Private walkers can be
// spawned; a panic in the spawned walker is returned as an error, which
// fails the request with StatusPanicked if the caller returns it.
func (v *Visit) Spawn(walker any, at Node) error { return Spawn(walker, at) }

// Spawn is Visit.Spawn for code outside a walk, such as a function.
func Spawn(walker any, at Node) error {
	if name, ok := walker.(string); ok {
		h := reg.byName[0][name]
		if h == nil {
			return errors.New("spawn: no walker named " + quote(name))
		}
		return h.(spawner).spawnNew(at)
	}
	for _, h := range reg.walkers {
		if ok, err := h.(spawner).spawnValue(walker, at); ok {
			return err
		}
	}
	return errors.New("spawn: not a walker value of this module")
}

// panicError is a recovered panic as an error, so that a bug in walker code
// fails its request instead of the instance.
type panicError struct{ msg string }

func (e *panicError) Error() string { return e.msg }

// recovered returns the error for a recovered panic value r: "panic: " and
// r's message.
func recovered(r any) error {
	switch x := r.(type) {
	case error:
		return &panicError{"panic: " + x.Error()}
	case string:
		return &panicError{"panic: " + x}
	}
	return &panicError{"panic"}
}

// isPanic reports whether err is, or wraps, a recovered panic.
func isPanic(err error) bool {
	for err != nil {
		switch x := err.(type) {
		case *panicError:
			return true
		case interface{ Unwrap() error }:
			err = x.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range x.Unwrap() {
				if isPanic(e) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}
