package apps

import "errors"

// Sentinel errors; the admin API maps each to a status and code.
var (
	// ErrBadName: an app name that config.ValidAppName refuses.
	ErrBadName = errors.New("apps: invalid app name")
	// ErrNoApp: an app that is neither configured nor uploaded.
	ErrNoApp = errors.New("apps: no such app")
	// ErrNoVersion: a module version the app does not have.
	ErrNoVersion = errors.New("apps: no such version")
	// ErrActive: deleting the version an app serves.
	ErrActive = errors.New("apps: version is active")
	// ErrRefused: a module the loader refused; the message is the loader's.
	ErrRefused = errors.New("apps: module refused")
)
