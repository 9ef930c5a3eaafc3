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
// spawned; a panic in the spawned walker is returned as an error.
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

// protect runs fn, turning a panic into an error, so that a bug in walker
// code fails its request instead of the instance.
func protect(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = panicError(r)
		}
	}()
	return fn()
}

func panicError(r any) error {
	switch x := r.(type) {
	case error:
		return errors.New("panic: " + x.Error())
	case string:
		return errors.New("panic: " + x)
	}
	return errors.New("panic")
}
