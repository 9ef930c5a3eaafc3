package identity

import "errors"

// Sentinel errors; the HTTP layer maps each to a status and code.
var (
	ErrUserExists         = errors.New("identity: user already exists")
	ErrInvalidCredentials = errors.New("identity: invalid credentials")
	ErrInvalidToken       = errors.New("identity: invalid or expired token")
	ErrValidation         = errors.New("identity: invalid input")
	// ErrForbidden: a signed-in user acting on another user's account or key.
	ErrForbidden = errors.New("identity: not the owner")
	// ErrKeyNotFound: an API key id that does not exist in this app.
	ErrKeyNotFound = errors.New("identity: API key not found")
	// ErrMissingAPIKey, ErrInvalidAPIKey, ErrMissingSignature,
	// ErrBadSignature and ErrStaleTimestamp are the webhook refusals (401).
	ErrMissingAPIKey    = errors.New("identity: API key required")
	ErrInvalidAPIKey    = errors.New("identity: invalid or expired API key")
	ErrMissingSignature = errors.New("identity: webhook signature required")
	ErrBadSignature     = errors.New("identity: invalid webhook signature")
	ErrStaleTimestamp   = errors.New("identity: webhook timestamp outside the replay window")
	// ErrMissingTimestamp: a signed webhook without X-Webhook-Timestamp
	// while timestamps are required (401).
	ErrMissingTimestamp = errors.New("identity: webhook timestamp required")
	// ErrReplay: a webhook whose signature was already accepted within
	// the replay window (409).
	ErrReplay = errors.New("identity: webhook request already received")
)
