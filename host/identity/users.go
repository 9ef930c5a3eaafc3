// Package identity owns users, password hashes and tokens. Users are kept
// per app in the embedded store; each owns a root node created at
// registration.
package identity

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/walkerhost/walkerhost/host/graph"
	"github.com/walkerhost/walkerhost/host/store"
	"golang.org/x/crypto/bcrypt"
)

const usersKind = "users"

// User is a registered account.
type User struct {
	Username string    `json:"username"`
	Hash     []byte    `json:"hash"`
	Root     graph.ID  `json:"root"`
	Created  time.Time `json:"created"`
}

// Service registers and authenticates users and issues tokens. It is safe
// for concurrent use.
type Service struct {
	db      *store.DB
	newRoot func(app string) (graph.ID, error)
	tokens  *Tokens
}

// New returns a Service storing users in db, creating roots with newRoot
// and issuing tokens with tokens.
func New(db *store.DB, newRoot func(app string) (graph.ID, error), tokens *Tokens) *Service {
	return &Service{db: db, newRoot: newRoot, tokens: tokens}
}

// Tokens returns the token issuer.
func (s *Service) Tokens() *Tokens { return s.tokens }

// dummyHash makes a login for an unknown user cost as much as a wrong
// password, so timing does not reveal which usernames exist.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("walker-host-dummy"), bcrypt.DefaultCost)

// Register creates a user with a new root node.
func (s *Service) Register(app, username, password string) (*User, error) {
	if err := checkCredentials(username, password); err != nil {
		return nil, err
	}
	if _, err := s.lookup(app, username); err == nil {
		return nil, fmt.Errorf("%w: %q", ErrUserExists, username)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return nil, fmt.Errorf("identity: hash: %w", err)
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

// Login checks a password and returns the user.
func (s *Service) Login(app, username, password string) (*User, error) {
	if err := checkCredentials(username, password); err != nil {
		return nil, err
	}
	u, err := s.lookup(app, username)
	if err != nil {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return nil, ErrInvalidCredentials
	}
	if bcrypt.CompareHashAndPassword(u.Hash, []byte(password)) != nil {
		return nil, ErrInvalidCredentials
	}
	return u, nil
}

// Root returns the root node of a user. It reads the store each time, whose
// cache stays current across hosts; a cache here would keep accepting the
// tokens of a user renamed on another host.
func (s *Service) Root(app, username string) (graph.ID, error) {
	u, err := s.lookup(app, username)
	if err != nil {
		return graph.ID{}, ErrInvalidToken
	}
	return u.Root, nil
}

// Authenticate verifies a token and returns its user and root. The token
// must have been issued by app, name an existing user and carry that
// user's root, so a token of another app, for a renamed user, or for a
// name someone registered again, is refused.
func (s *Service) Authenticate(app, token string) (string, graph.ID, error) {
	c, err := s.tokens.verify(token)
	if err != nil {
		return "", graph.ID{}, err
	}
	if c.App != app {
		return "", graph.ID{}, ErrInvalidToken
	}
	id, err := s.Root(app, c.Username)
	if err != nil || c.Root != id.String() {
		return "", graph.ID{}, ErrInvalidToken
	}
	return c.Username, id, nil
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

func checkUsername(username string) error {
	switch {
	case strings.TrimSpace(username) == "":
		return fmt.Errorf("%w: username must not be empty", ErrValidation)
	case utf8.RuneCountInString(username) > 256 || !utf8.ValidString(username):
		return fmt.Errorf("%w: username must be valid UTF-8 of at most 256 characters", ErrValidation)
	}
	return nil
}

func checkCredentials(username, password string) error {
	if err := checkUsername(username); err != nil {
		return err
	}
	switch {
	case password == "":
		return fmt.Errorf("%w: password must not be empty", ErrValidation)
	case len(password) > 72:
		return fmt.Errorf("%w: password must be at most 72 bytes", ErrValidation)
	}
	return nil
}
