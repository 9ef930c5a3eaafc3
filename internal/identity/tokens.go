package identity

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Tokens issues and verifies JWTs signed with one HMAC algorithm.
type Tokens struct {
	secret []byte
	method jwt.SigningMethod
	ttl    time.Duration
	parser *jwt.Parser
}

// NewTokens returns an issuer for algorithm (HS256, HS384 or HS512).
// Only that algorithm is accepted when verifying.
func NewTokens(secret []byte, algorithm string, ttl time.Duration) (*Tokens, error) {
	m := jwt.GetSigningMethod(algorithm)
	if _, ok := m.(*jwt.SigningMethodHMAC); !ok {
		return nil, fmt.Errorf("identity: unsupported JWT algorithm %q", algorithm)
	}
	return &Tokens{
		secret: secret, method: m, ttl: ttl,
		parser: jwt.NewParser(jwt.WithValidMethods([]string{m.Alg()}), jwt.WithExpirationRequired(), jwt.WithIssuedAt()),
	}, nil
}

type claims struct {
	Username string `json:"username"`
	// Root binds the token to the account, not only to its name: after a
	// rename someone else may register the old name, and the old token
	// must not open their account.
	Root string `json:"root,omitempty"`
	// App binds the token to the app whose user signed in: apps of one
	// host share the signing secret, and a token of one app must not open
	// a same-named account of another.
	App string `json:"app"`
	// Gen is the user's token generation when issued (User.Gen).
	Gen int64 `json:"gen,omitempty"`
	jwt.RegisteredClaims
}

// Issue returns a token for user u of app with claims username, app,
// iat, exp, a unique jti, root (the user's root id, when not zero) and gen
// (the user's token generation, when not zero).
func (t *Tokens) Issue(app string, u *User) (string, error) {
	username, root := u.Username, u.Root
	jti := make([]byte, 16)
	_, _ = rand.Read(jti)
	now := time.Now()
	c := claims{Username: username, App: app, Gen: u.Gen, RegisteredClaims: jwt.RegisteredClaims{
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(t.ttl)),
		ID:        hex.EncodeToString(jti),
	}}
	if !root.IsZero() {
		c.Root = root.String()
	}
	return jwt.NewWithClaims(t.method, c).SignedString(t.secret)
}

// Verify checks a token (a "Bearer " prefix is allowed) and returns its
// username.
func (t *Tokens) Verify(token string) (string, error) {
	c, err := t.verify(token)
	return c.Username, err
}

// verify checks a token and returns its claims.
func (t *Tokens) verify(token string) (claims, error) {
	token, ok := bareToken(token)
	if !ok {
		return claims{}, ErrInvalidToken
	}
	var c claims
	_, err := t.parser.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.secret, nil })
	if err != nil || c.Username == "" {
		return claims{}, ErrInvalidToken
	}
	return c, nil
}

const secretFile = "jwt_secret"

// LoadSecret returns configured when set; otherwise the secret kept in
// dataDir, generating and saving a random one the first time (and logging
// that once), so tokens survive restarts without a well-known default.
func LoadSecret(dataDir, configured string, log *slog.Logger) ([]byte, error) {
	if configured != "" {
		return []byte(configured), nil
	}
	path := filepath.Join(dataDir, secretFile)
	b, err := os.ReadFile(path)
	if err == nil && len(b) >= 32 {
		return b, nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("identity: read %s: %w", path, err)
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	secret := []byte(hex.EncodeToString(raw))
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	if err := os.WriteFile(path, secret, 0o600); err != nil {
		return nil, fmt.Errorf("identity: write %s: %w", path, err)
	}
	log.Warn("no JWT secret configured; generated one and saved it in the data directory", "path", path)
	return secret, nil
}
