package apps

import (
	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/web"
)

// Sentinel errors. Each carries the status and code the admin API answers
// it with (web.ErrorFor, the host's one mapping from errors to answers).
var (
	// ErrBadName: an app name that config.ValidAppName refuses.
	ErrBadName error = web.NewKind(fasthttp.StatusBadRequest, web.CodeValidation, "apps: invalid app name")
	// ErrNoApp: an app that is neither configured nor uploaded.
	ErrNoApp error = web.NewKind(fasthttp.StatusNotFound, web.CodeNotFound, "apps: no such app")
	// ErrNoVersion: a module version the app does not have.
	ErrNoVersion error = web.NewKind(fasthttp.StatusNotFound, web.CodeNotFound, "apps: no such version")
	// ErrActive: deleting the version an app serves.
	ErrActive error = web.NewKind(fasthttp.StatusConflict, web.CodeValidation, "apps: version is active")
	// ErrRefused: a module the loader refused; the message is the loader's.
	ErrRefused error = web.NewKind(fasthttp.StatusUnprocessableEntity, web.CodeValidation, "apps: module refused")
)
