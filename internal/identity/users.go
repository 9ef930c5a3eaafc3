// Package identity owns users, password hashes and tokens. Users are kept
// per app in the embedded store; each owns a root node created at
// registration.
package identity

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/graph"
	"golang.org/x/crypto/bcrypt"
)

const usersKind = "users"

// User is a registered account.
type User struct {
	Username string    `json:"username"`
	Hash     []byte    `json:"hash"`
	Root     graph.ID  `json:"root"`
	Created  time.Time `json:"created"`
	// Gen is the user's token generation: every token carries the one it
	// was issued in, and only tokens of the current generation are
	// accepted. A password change or a sign-out everywhere moves it on,
	// which ends every earlier token on every host at its next request.
	Gen int64 `json:"gen,omitempty"`
}

// Service registers and authenticates users and issues tokens. It is safe
// for concurrent use.
type Service struct {
	db      *store.DB
	newRoot func(app string) (graph.ID, error)
	tokens  *Tokens
	gate    *hashGate
	guard   *throttle
}

// New returns a Service storing users in db, creating roots with newRoot
// and issuing tokens with tokens, with DefaultLoginLimits kept in memory
// until Limit says otherwise.
func New(db *store.DB, newRoot func(app string) (graph.ID, error), tokens *Tokens) *Service {
	s := &Service{db: db, newRoot: newRoot, tokens: tokens}
	s.Limit(DefaultLoginLimits(), NewMemoryEphemeral())
	return s
}

// Limit sets the login limits and where the failure counters live. Call
// it before the Service is used concurrently.
func (s *Service) Limit(l LoginLimits, counters Ephemeral) {
	s.gate = newHashGate(l.Hashers, l.HashQueue)
	s.guard = &throttle{lim: l, eph: counters}
}

// Tokens returns the token issuer.
func (s *Service) Tokens() *Tokens { return s.tokens }

// dummyHash makes a login for an unknown user cost as much as a wrong
// password, so timing does not reveal which usernames exist.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("walker-host-dummy"), hashCost)
	return h
})

// hashCost is the bcrypt cost of new password hashes; tests lower it.
var hashCost = bcrypt.DefaultCost

// Register creates a user with a new root node.
// The username is stored normalised (NormalizeUsername).
func (s *Service) Register(app, username, password string) (*User, error) {
	username, err := checkCredentials(username, password)
	if err != nil {
		return nil, err
	}
	if _, err := s.lookup(app, username); err == nil {
		return nil, fmt.Errorf("%w: %q", ErrUserExists, username)
	}
	hash, err := s.gate.generate(password)
	if err != nil {
		return nil, err
	}
	root, err := s.newRoot(app)
	if err != nil {
		return nil, err
	}
	u := &User{Username: username, Hash: hash, Root: root, Created: time.Now().UTC()}
	rec, _ := json.Marshal(u)
	err = s.db.Update(func(tx *store.Tx) error {
		b := tx.Bucket(app, usersKind)
		if b.Get([]byte(username)) != nil {
			return fmt.Errorf("%w: %q", ErrUserExists, username)
		}
		return b.Put([]byte(username), rec)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Login checks a password and returns the user. client is the caller's
// address (ClientKey; "" when unknown): a username or client with too many
// recent failures gets a LimitError before any bcrypt runs, and bcrypt
// runs on a bounded number of cores (LoginLimits).
func (s *Service) Login(ctx context.Context, app, client, username, password string) (*User, error) {
	username, err := checkCredentials(username, password)
	if err != nil {
		return nil, err
	}
	if err := s.guard.allow(ctx, app, client, username); err != nil {
		return nil, err
	}
	u, err := s.lookup(app, username)
	hash := dummyHash()
	if err == nil {
		hash = u.Hash
	} else if !errors.Is(err, ErrInvalidCredentials) {
		return nil, err
	}
	ok, gerr := s.gate.compare(hash, password)
	switch {
	case gerr != nil:
		return nil, gerr
	case err != nil || !ok:
		if err := s.guard.failed(ctx, app, client, username); err != nil {
			return nil, err
		}
		return nil, ErrInvalidCredentials
	}
	s.guard.succeeded(ctx, app, username)
	return u, nil
}

// Root returns the root node of a user. It reads the store each time, whose
// cache stays current across hosts; a cache here would keep accepting the
// tokens of a user renamed on another host.
func (s *Service) Root(app, username string) (graph.ID, error) {
	u, err := s.User(app, username)
	if err != nil {
		return graph.ID{}, err
	}
	return u.Root, nil
}

// User returns a user by name; ErrInvalidToken when there is none.
func (s *Service) User(app, username string) (*User, error) {
	u, err := s.lookup(app, username)
	if err != nil {
		return nil, ErrInvalidToken
	}
	return u, nil
}

// Issue returns a token for u of app, of u's current generation.
func (s *Service) Issue(app string, u *User) (string, error) { return s.tokens.Issue(app, u) }

// Authenticate verifies a token and returns its user and root. The token
// must have been issued by app, name an existing user, carry that user's
// root and be of the user's current generation, so a token of another
// app, for a renamed user, for a name someone registered again, or issued
// before a password change or a sign-out everywhere, is refused. The user
// record is read from the store on every call (its cache is current
// across hosts), so no extra lookup is needed for the generation.
func (s *Service) Authenticate(app, token string) (string, graph.ID, error) {
	u, err := s.authenticate(app, token)
	if err != nil {
		return "", graph.ID{}, err
	}
	return u.Username, u.Root, nil
}

func (s *Service) authenticate(app, token string) (*User, error) {
	c, err := s.tokens.verify(token)
	if err != nil {
		return nil, err
	}
	if c.App != app {
		return nil, ErrInvalidToken
	}
	u, err := s.User(app, c.Username)
	if err != nil || c.Root != u.Root.String() || c.Gen != u.Gen {
		return nil, ErrInvalidToken
	}
	return u, nil
}

// Refresh trades a valid token for a new one with a fresh expiry.
func (s *Service) Refresh(app, token string) (string, error) {
	u, err := s.authenticate(app, token)
	if err != nil {
		return "", err
	}
	return s.tokens.Issue(app, u)
}

func (s *Service) lookup(app, username string) (*User, error) {
	var rec []byte
	err := s.db.View(func(tx *store.Tx) error {
		rec = tx.Bucket(app, usersKind).Get([]byte(username))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, ErrInvalidCredentials
	}
	var u User
	if err := json.Unmarshal(rec, &u); err != nil {
		return nil, fmt.Errorf("identity: user record %q: %w", username, err)
	}
	return &u, nil
}

// checkCredentials returns the normalised username, or why the username
// or password is refused.
func checkCredentials(username, password string) (string, error) {
	name, err := NormalizeUsername(username)
	if err != nil {
		return "", err
	}
	switch {
	case password == "":
		return "", fmt.Errorf("%w: password must not be empty", ErrValidation)
	case len(password) > 72:
		return "", fmt.Errorf("%w: password must be at most 72 bytes", ErrValidation)
	}
	return name, nil
}
