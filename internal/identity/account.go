package identity

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/walkerhost/walkerhost/host/store"
)

// Rename changes a user's name, keeping the same root. caller is the name
// in the request's token: only the user may rename themself. Tokens issued
// for the old name stop working, because Root no longer finds it.
func (s *Service) Rename(app, caller, current, next string) (*User, error) {
	current, err := NormalizeUsername(current)
	if err != nil {
		return nil, err
	}
	if next, err = NormalizeUsername(next); err != nil {
		return nil, err
	}
	if caller != current {
		return nil, ErrForbidden
	}
	var u User
	err = s.db.Update(func(tx *store.Tx) error {
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
// one (a login, throttled like one: client is the caller's address), and
// ends every token issued before. caller is the name in the request's
// token. It returns the user, for a token of the new generation.
func (s *Service) ChangePassword(ctx context.Context, app, client, caller, username, current, next string) (*User, error) {
	username, err := checkCredentials(username, next)
	if err != nil {
		return nil, err
	}
	if caller != username {
		return nil, ErrForbidden
	}
	if _, err := s.Login(ctx, app, client, username, current); err != nil {
		return nil, err
	}
	hash, err := s.gate.generate(next)
	if err != nil {
		return nil, err
	}
	return s.update(app, username, func(u *User) {
		u.Hash = hash
		u.Gen++
	})
}

// SignOutEverywhere ends every token issued so far to caller, on every
// host: the next request with one is refused.
func (s *Service) SignOutEverywhere(app, caller string) error {
	_, err := s.update(app, caller, func(u *User) { u.Gen++ })
	return err
}

// update applies change to the stored record of username and returns it;
// ErrInvalidToken when the user no longer exists.
func (s *Service) update(app, username string, change func(*User)) (*User, error) {
	var u User
	err := s.db.Update(func(tx *store.Tx) error {
		b := tx.Bucket(app, usersKind)
		rec := b.Get([]byte(username))
		if rec == nil {
			return ErrInvalidToken
		}
		u = User{}
		if err := json.Unmarshal(rec, &u); err != nil {
			return fmt.Errorf("identity: user record %q: %w", username, err)
		}
		change(&u)
		out, _ := json.Marshal(&u)
		return b.Put([]byte(username), out)
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}
