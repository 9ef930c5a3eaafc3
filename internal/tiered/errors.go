package tiered

import "errors"

// Sentinel errors. Callers match them with errors.Is; the wrapping error says
// which server and what failed.
var (
	// ErrConfig means an option is missing or malformed.
	ErrConfig = errors.New("tiered: invalid option")
	// ErrRedis means Redis could not be reached or answered an error.
	ErrRedis = errors.New("tiered: redis")
	// ErrMongo means MongoDB could not be reached or answered an error.
	ErrMongo = errors.New("tiered: mongodb")
	// ErrUnavailable means a write was refused because Redis, which orders
	// writers, stayed unreachable; reads keep being served from MongoDB.
	ErrUnavailable = errors.New("tiered: writes are refused while redis is unreachable")
	// ErrUnpublished means a commit is durable in MongoDB but the host could
	// not announce it; the next commit of any host completes it.
	ErrUnpublished = errors.New("tiered: commit stored but not yet announced to other hosts")
	// ErrOtherWriter means another host writes to the same MongoDB database
	// without the Redis that would order both.
	ErrOtherWriter = errors.New("tiered: another host writes to this MongoDB database; several hosts need Redis too")
	// ErrCorrupt means a stored record or message could not be decoded.
	ErrCorrupt = errors.New("tiered: corrupt data")
	// ErrTooLarge means a value is larger than MaxValue.
	ErrTooLarge = errors.New("tiered: value too large")
	// ErrClosed means the store was closed.
	ErrClosed = errors.New("tiered: store closed")
)

// configError is a malformed option of one server: it matches both
// ErrConfig and the server's sentinel (ErrRedis or ErrMongo).
type configError struct {
	server error
	msg    string
}

func (e *configError) Error() string { return e.server.Error() + ": " + e.msg }

func (e *configError) Is(target error) bool { return target == ErrConfig || target == e.server }
