package identity

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/walkerhost/walkerhost/host/graph"
	"github.com/walkerhost/walkerhost/host/store"
)

// Store kinds: key records by id, and the id of each key by its hash, so a
// webhook call is one lookup and the key itself is never stored.
const (
	apiKeysKind   = "api_keys"
	apiHashesKind = "api_key_hashes"
)

// APIKey is the stored record of an API key: metadata and the hash of the
// key, never the key.
type APIKey struct {
	ID      string     `json:"id"`
	Name    string     `json:"name"`
	Owner   graph.ID   `json:"owner"` // the owner's root: stable across renames
	Hash    string     `json:"hash"`
	Created time.Time  `json:"created"`
	Expires *time.Time `json:"expires,omitempty"` // nil: permanent
	Revoked bool       `json:"revoked"`
}

// Active reports whether the key may be used at now.
func (k *APIKey) Active(now time.Time) bool {
	return !k.Revoked && (k.Expires == nil || now.Before(*k.Expires))
}

// APIKeys mints, lists, revokes and checks API keys, kept per app in the
// store so that revocations survive restarts and are seen by replicas.
type APIKeys struct {
	db     *store.DB
	pepper []byte // webhook secret; when set, keys are hashed with HMAC
	now    func() time.Time
}

// NewAPIKeys returns the key service. pepper (the configured webhook
// secret, may be empty) keys the stored hashes, so a copy of the store
// alone does not let anyone test guessed keys; changing it invalidates
// every key.
func NewAPIKeys(db *store.DB, pepper string) *APIKeys {
	return &APIKeys{db: db, pepper: []byte(pepper), now: time.Now}
}

func (s *APIKeys) hash(key string) string {
	if len(s.pepper) == 0 {
		sum := sha256.Sum256([]byte(key))
		return hex.EncodeToString(sum[:])
	}
	m := hmac.New(sha256.New, s.pepper)
	m.Write([]byte(key))
	return hex.EncodeToString(m.Sum(nil))
}

// Create mints a key for owner that expires after expiryDays (0: never).
// It returns the key, shown once, and its record.
func (s *APIKeys) Create(app string, owner graph.ID, name string, expiryDays int) (string, *APIKey, error) {
	switch {
	case strings.TrimSpace(name) == "" || utf8.RuneCountInString(name) > 256:
		return "", nil, fmt.Errorf("%w: name must be 1..256 characters", ErrValidation)
	case expiryDays < 0 || expiryDays > 36500:
		return "", nil, fmt.Errorf("%w: expiry_days must be 0 (never) to 36500", ErrValidation)
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	key := APIKeyPrefix + base64.RawURLEncoding.EncodeToString(raw)
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	now := s.now().UTC()
	rec := &APIKey{ID: hex.EncodeToString(id), Name: name, Owner: owner, Hash: s.hash(key), Created: now}
	if expiryDays > 0 {
		exp := now.AddDate(0, 0, expiryDays)
		rec.Expires = &exp
	}
	out, _ := json.Marshal(rec)
	err := s.db.Update(func(tx *store.Tx) error {
		if err := tx.Bucket(app, apiKeysKind).Put([]byte(rec.ID), out); err != nil {
			return err
		}
		return tx.Bucket(app, apiHashesKind).Put([]byte(rec.Hash), []byte(rec.ID))
	})
	if err != nil {
		return "", nil, err
	}
	return key, rec, nil
}

// List returns owner's keys, revoked and expired ones included, oldest
// first.
func (s *APIKeys) List(app string, owner graph.ID) ([]*APIKey, error) {
	var keys []*APIKey
	err := s.db.View(func(tx *store.Tx) error {
		return tx.Bucket(app, apiKeysKind).Scan(nil, func(_, v []byte) bool {
			var k APIKey
			if json.Unmarshal(v, &k) == nil && k.Owner == owner {
				keys = append(keys, &k)
			}
			return true
		})
	})
	slices.SortStableFunc(keys, func(a, b *APIKey) int { return a.Created.Compare(b.Created) })
	return keys, err
}

// Revoke marks owner's key id revoked; the record stays, so the key stays
// refused. Another user's key is ErrForbidden, an unknown id ErrKeyNotFound.
func (s *APIKeys) Revoke(app string, owner graph.ID, id string) error {
	return s.db.Update(func(tx *store.Tx) error {
		b := tx.Bucket(app, apiKeysKind)
		v := b.Get([]byte(id))
		if v == nil {
			return ErrKeyNotFound
		}
		var k APIKey
		if err := json.Unmarshal(v, &k); err != nil {
			return fmt.Errorf("identity: API key record %q: %w", id, err)
		}
		if k.Owner != owner {
			return ErrForbidden
		}
		k.Revoked = true
		out, _ := json.Marshal(&k)
		return b.Put([]byte(id), out)
	})
}

// Authenticate returns the owner of an active key. Every refusal is
// ErrInvalidAPIKey, so callers cannot tell unknown from revoked.
func (s *APIKeys) Authenticate(app, key string) (graph.ID, error) {
	var k APIKey
	found := false
	err := s.db.View(func(tx *store.Tx) error {
		id := tx.Bucket(app, apiHashesKind).Get([]byte(s.hash(key)))
		if id == nil {
			return nil
		}
		v := tx.Bucket(app, apiKeysKind).Get(id)
		found = v != nil && json.Unmarshal(v, &k) == nil
		return nil
	})
	if err != nil {
		return graph.ID{}, err
	}
	if !found || !k.Active(s.now()) {
		return graph.ID{}, ErrInvalidAPIKey
	}
	return k.Owner, nil
}
