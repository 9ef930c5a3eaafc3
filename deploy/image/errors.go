package image

import "errors"

var (
	// ErrHost is returned for a host binary that cannot run alone in the
	// image: not a Linux executable, or dynamically linked.
	ErrHost = errors.New("image: host binary")
	// ErrBase is returned when the base layer cannot be made.
	ErrBase = errors.New("image: base layer")
)
