package server

import "github.com/walkerhost/walkerhost/internal/web"

// Error codes of docs/ERRORS.md.
const (
	CodeValidation       = web.CodeValidation
	CodeUnauthorized     = web.CodeUnauthorized
	CodeForbidden        = web.CodeForbidden
	CodeNotFound         = web.CodeNotFound
	CodeUserExists       = web.CodeUserExists
	CodeExecution        = web.CodeExecution
	CodeLimit            = web.CodeLimit
	CodeInternal         = web.CodeInternal
	CodeMethodNotAllowed = web.CodeMethodNotAllowed
	CodeConflict         = web.CodeConflict // a walker's own refusal with 409
)
