package identity

import "errors"

// Sentinel errors; the HTTP layer maps each to a status and code.
var (
	ErrUserExists         = errors.New("identity: user already exists")
	ErrInvalidCredentials = errors.New("identity: invalid credentials")
	ErrInvalidToken       = errors.New("identity: invalid or expired token")
	ErrValidation         = errors.New("identity: invalid input")
)
