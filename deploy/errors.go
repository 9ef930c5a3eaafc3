package deploy

import "errors"

var (
	// ErrUnknownTarget is returned for a target name that is not registered.
	ErrUnknownTarget = errors.New("deploy: unknown target")
	// ErrNotReady is returned when a deploy did not become ready in time, or
	// its pods failed; the message carries the pods' reasons.
	ErrNotReady = errors.New("deploy: not ready")
	// ErrNoImage is returned when there is no image to deploy: nothing was
	// built yet and none is pinned.
	ErrNoImage = errors.New("deploy: no image")
	// ErrNotDeployed is returned by operations that need a deployed app.
	ErrNotDeployed = errors.New("deploy: not deployed")
	// ErrHostBinary is returned when the jac binary cannot go in an image.
	ErrHostBinary = errors.New("deploy: host binary")
)
