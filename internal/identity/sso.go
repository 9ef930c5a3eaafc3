package identity

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
)

// External returns the user named by a provider-verified email, registering
// it (with a random password nobody knows) when create is set and it does
// not exist yet. created says whether it did.
func (s *Service) External(app, email string, create bool) (u *User, created bool, err error) {
	if email, err = NormalizeUsername(email); err != nil {
		return nil, false, err
	}
	if u, err = s.lookup(app, email); err == nil {
		return u, false, nil
	}
	if !errors.Is(err, ErrInvalidCredentials) || !create {
		return nil, false, err
	}
	secret := make([]byte, 24)
	_, _ = rand.Read(secret)
	u, err = s.Register(app, email, hex.EncodeToString(secret))
	return u, err == nil, err
}
