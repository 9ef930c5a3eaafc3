package identity

import (
	"encoding/json"
	"fmt"

	"github.com/walkerhost/walkerhost/host/store"
	"golang.org/x/crypto/bcrypt"
)

// Rename changes a user's name, keeping the same root. caller is the name
// in the request's token: only the user may rename themself. Tokens issued
// for the old name stop working, because Root no longer finds it.
func (s *Service) Rename(app, caller, current, next string) (*User, error) {
	for _, name := range []string{current, next} {
		if err := checkUsername(name); err != nil {
			return nil, err
		}
	}
	if caller != current {
		return nil, ErrForbidden
	}
	var u User
	err := s.db.Update(func(tx *store.Tx) error {
		b := tx.Bucket(app, usersKind)
		rec := b.Get([]byte(current))
		if rec == nil {
			return ErrInvalidToken // the caller's own account is gone
		}
		if b.Get([]byte(next)) != nil {
			return fmt.Errorf("%w: %q", ErrUserExists, next)
		}
		if err := json.Unmarshal(rec, &u); err != nil {
			return fmt.Errorf("identity: user record %q: %w", current, err)
		}
		u.Username = next
		out, _ := json.Marshal(&u)
		if err := b.Put([]byte(next), out); err != nil {
			return err
		}
		return b.Delete([]byte(current))
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// ChangePassword replaces a user's password after checking the current
// one. caller is the name in the request's token.
func (s *Service) ChangePassword(app, caller, username, current, next string) error {
	if err := checkCredentials(username, next); err != nil {
		return err
	}
	if caller != username {
		return ErrForbidden
	}
	if _, err := s.Login(app, username, current); err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(next), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("identity: hash: %w", err)
	}
	return s.db.Update(func(tx *store.Tx) error {
		b := tx.Bucket(app, usersKind)
		var u User
		rec := b.Get([]byte(username))
		if rec == nil {
			return ErrInvalidCredentials
		}
		if err := json.Unmarshal(rec, &u); err != nil {
			return fmt.Errorf("identity: user record %q: %w", username, err)
		}
		u.Hash = hash
		out, _ := json.Marshal(&u)
		return b.Put([]byte(username), out)
	})
}
