package registry

import "errors"

var (
	// ErrSetting is returned when a setting a registry needs is missing or
	// malformed; the message names it.
	ErrSetting = errors.New("registry: missing setting")
	// ErrName is returned when the settings make an invalid repository name.
	ErrName = errors.New("registry: invalid repository")
	// ErrNoCredentials is returned when nothing can log in to a registry.
	ErrNoCredentials = errors.New("registry: no credentials")
)
