package graph

import (
	"crypto/rand"
	"encoding"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sync"
	"time"
)

// ID identifies a node or edge. The first 8 bytes are a big-endian
// nanosecond clock that never repeats or goes back within a process, the
// last 8 are random; so IDs sort, as bytes and as strings, in creation order.
// The zero ID identifies nothing.
type ID [16]byte

// ids is the process-wide ID generator.
var ids struct {
	sync.Mutex
	last uint64    // last clock value handed out
	rnd  [512]byte // crypto/rand bytes, consumed 8 at a time
	off  int       // next unused byte of rnd
}

func init() { ids.off = len(ids.rnd) }

// NewID returns a fresh ID, later than every ID this process made before. It
// is safe for concurrent use.
func NewID() ID {
	var id ID
	now := uint64(time.Now().UnixNano())
	ids.Lock()
	ids.last = max(now, ids.last+1)
	binary.BigEndian.PutUint64(id[:8], ids.last)
	if ids.off == len(ids.rnd) {
		rand.Read(ids.rnd[:]) // never fails (crypto/rand)
		ids.off = 0
	}
	copy(id[8:], ids.rnd[ids.off:])
	ids.off += 8
	ids.Unlock()
	return id
}

// ParseID parses the 32 lowercase hex digits that String returns. Anything
// else, including upper case, is an error wrapping ErrBadID.
func ParseID(s string) (ID, error) {
	var id ID
	if len(s) != 2*len(id) {
		return ID{}, fmt.Errorf("%w: [%.40q] is not 32 hex digits", ErrBadID, s)
	}
	for i := range id {
		hi, ok1 := unhex(s[2*i])
		lo, ok2 := unhex(s[2*i+1])
		if !ok1 || !ok2 {
			return ID{}, fmt.Errorf("%w: [%.40q] is not 32 lowercase hex digits", ErrBadID, s)
		}
		id[i] = hi<<4 | lo
	}
	return id, nil
}

// unhex decodes one lowercase hex digit.
func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// String returns the ID as 32 lowercase hex digits.
func (id ID) String() string { return hex.EncodeToString(id[:]) }

// IsZero reports whether id is the zero ID.
func (id ID) IsZero() bool { return id == ID{} }

// MarshalText implements encoding.TextMarshaler, so IDs are JSON strings.
func (id ID) MarshalText() ([]byte, error) { return hex.AppendEncode(nil, id[:]), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseID's rules.
func (id *ID) UnmarshalText(b []byte) error {
	v, err := ParseID(string(b))
	if err == nil {
		*id = v
	}
	return err
}

var (
	_ fmt.Stringer             = ID{}
	_ encoding.TextMarshaler   = ID{}
	_ encoding.TextUnmarshaler = (*ID)(nil)
)
